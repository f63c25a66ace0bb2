"""The demo library: the seed's Myoclonus article, imported from
``myoclonus.txt`` (a copy of ``../shared/seed/myoclonus.txt``) by the same
importer editors use, so the demo and the importer can never disagree.

What the scraped text does not carry is here: the medical code, topics,
organizations' addresses, the figure's description and the review. Its lost
lists of links stay as the flagged content gaps; nothing medical is invented.
"""

from pathlib import Path

MYOCLONUS_FILE = Path(__file__).with_name("myoclonus.txt")

MYOCLONUS_DETAILS = {
    "tags": ["Movement disorders", "Nervous system"],
    "codes": [{"system": "icd10cm", "code": "G25.3"}],
}
ORGANIZATION_URLS = {
    "National Institute of Neurological Disorders and Stroke": "https://www.ninds.nih.gov/",
    "Canadian Association of Neuroscience Nurses": "https://cann.ca/",
    "Health Canada": "https://www.canada.ca/en/health-canada.html",
}
FIGURE_ALT_TEXT = {
    "The Nervous System Pathways": "Diagram of the nervous system pathways: the brain, the "
    "spinal cord and the nerves that carry messages to the muscles.",
}
REVIEW = {
    "reviewer_name": "Demo Medical Reviewer",
    "reviewer_credentials": "MD",
    "update_note": "Demo content loaded from the seed article.",
}
