"""The demo library: the seed's Myoclonus article, imported from
``myoclonus.txt`` (a copy of ``../shared/seed/myoclonus.txt``) by the same
importer editors use, so the demo and the importer can never disagree.

What the scraped text does not carry is here: the medical code, topics and
their Spanish names, the drugs' RxNorm codes, organizations' addresses and
the review. The figure is drawn for the demo
(``figure.py``). The sentences that introduced the lists of links the
scraping lost are removed by an editor's revision, not filled in: nothing
medical is invented.
"""

from pathlib import Path

MYOCLONUS_FILE = Path(__file__).with_name("myoclonus.txt")
# The seed's text in Spanish, line for line in the seed's format: a faithful
# translation, nothing added; organizations' names and citations as written.
MYOCLONUS_ES_FILE = Path(__file__).with_name("myoclonus.es.txt")
MYOCLONUS_ES_TITLE = "Mioclonía"

MYOCLONUS_DETAILS = {
    "tags": ["Movement disorders", "Nervous system"],
    "codes": [{"system": "icd10cm", "code": "G25.3"}],
}
# The topics' names on Spanish pages.
TOPIC_NAMES_ES = {
    "Movement disorders": "Trastornos del movimiento",
    "Nervous system": "Sistema nervioso",
}
# The RxNorm codes (RxCUIs) of the seed's drugs' ingredients, by which their
# pages link to their official labels and to MedlinePlus. No clinical text is
# written for the demo: editors fill that in, reviewed like articles.
# "Divalproate sodium" (divalproex sodium) is filed by RxNorm under its
# ingredient, valproate. Left out, their codes not known for certain here:
# piracetam (not sold in the United States), tetrabenazine,
# 5-hydroxytryptophan (a supplement) and adrenocorticotropic hormone
# (corticotropin); an editor can add them from RxNav.
RXNORM_CODES = {
    "Lorazepam": "6470",
    "Diazepam": "3322",
    "Clonazepam": "2598",
    "Divalproate sodium": "11118",
    "Gabapentin": "25480",
    "Topiramate": "38404",
    "Primidone": "8691",
    "Carbamazepine": "2002",
}
ORGANIZATION_URLS = {
    "National Institute of Neurological Disorders and Stroke": "https://www.ninds.nih.gov/",
    "Canadian Association of Neuroscience Nurses": "https://cann.ca/",
    "Health Canada": "https://www.canada.ca/en/health-canada.html",
}
LEADIN_COMMENT = (
    "Removed the sentences that introduced lists of links lost when the seed was scraped"
)
SUBMIT_COMMENT = "Ready for review: lead-ins of the lost lists removed, illustration in place."
REVIEW = {
    "reviewer_name": "Demo Medical Reviewer",
    "reviewer_credentials": "MD",
    "update_note": "Removed sentences that introduced lists missing from the original text, "
    "and added an illustration of the nervous system pathways.",
}
# The Spanish translation's own sign-off by the demo reviewer.
REVIEW_ES = {
    "reviewer_name": "Demo Medical Reviewer",
    "reviewer_credentials": "MD",
    "update_note": "Primera versión en español: traducción del artículo en inglés, sin las "
    "frases que presentaban listas que faltan en el texto original.",
}
FIGURE_ES_COMMENT = "Described the illustration in Spanish: alt text and credit"
