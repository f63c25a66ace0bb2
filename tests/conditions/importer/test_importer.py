"""The importer (conditions.importer.parse_article) on the seed's format:
plain-text articles into structured ones. (The command, import_article, is
tests/conditions/management/commands/test_import_article.py.)"""

import codecs
import re

import pytest

from conditions import importer
from conditions.demo import MYOCLONUS_FILE
from tests.conditions.importer.articles import kinds, parse
from tests.paths import ROOT

SEED = MYOCLONUS_FILE


def body(parsed, kind):
    return next(s["body"] for s in parsed.data["sections"] if s["kind"] == kind)


def groups(parsed):
    return [(g["heading"], [d["name"] for d in g["drugs"]]) for g in parsed.data["drug_groups"]]


def test_seed_copy_in_the_repository_is_the_seed():
    shared = ROOT.parent / "shared" / "seed" / "myoclonus.txt"
    if shared.exists():  # the shared folder is only there in the project's workspace
        assert SEED.read_bytes() == shared.read_bytes()
    assert SEED.read_bytes().startswith(b"Myoclonus is a brief and rapid twitching")


def test_seed_sections_follow_the_fixed_order_with_the_surviving_heading_as_anchor():
    # No django_db mark: parsing that touched the database would fail here.
    parsed = parse(SEED)
    assert parsed.title == "Myoclonus" and parsed.slug == "myoclonus"
    assert kinds(parsed) == [
        "definition",
        "causes",
        "risk_factors",
        "symptoms",
        "diagnosis",
        "treatment",
        "prevention",
    ]
    assert all(s["heading"] == "" for s in parsed.data["sections"])
    found = {s.kind: s.how for s in parsed.report.sections}
    assert found["risk_factors"] == "heading line"
    assert found["references"].startswith("guessed")
    assert parsed.data["summary"] == (
        "Myoclonus is a brief and rapid twitching of a muscle or muscle groups."
    )


def test_seed_glued_sentences_become_paragraphs_and_lost_lists_are_gaps():
    parsed = parse(SEED)
    definition = body(parsed, "definition")
    assert "controlled.There" not in definition
    assert "It cannot be stopped or controlled.\n\nThere are different types" in definition
    assert "according to:\n\n- Underlying cause\n- Pattern of movement\n" in definition
    symptoms = body(parsed, "symptoms")
    assert "all muscle groups.\n\nLight, sound, touch" in symptoms
    diagnosis = body(parsed, "diagnosis")
    assert "This can be done with:\n\nPictures may be taken" in diagnosis
    # The space a lost link left before the period is gone.
    assert "prevent brain injury. For example" in body(parsed, "prevention")
    assert [(label, s) for label, s in parsed.report.gaps] == [
        ("Causes", "Possible causes include:"),
        ("Diagnosis", "This can be done with:"),
        ("Diagnosis", "This can be done with:"),
    ]


def test_seed_drug_groups_references_organizations_and_figure():
    parsed = parse(SEED)
    assert groups(parsed) == [
        ("Sedatives", ["Lorazepam", "Diazepam", "Clonazepam", "Piracetam", "Tetrabenazine"]),
        (
            "Anticonvulsants",
            [
                "Clonazepam",
                "Divalproate sodium",
                "Gabapentin",
                "Topiramate",
                "Primidone",
                "Carbamazepine",
            ],
        ),
        ("", ["5-hydroxytryptophan (5-HTP)", "Adrenocorticotropic hormone (ACTH)"]),
    ]
    # The drug list left the treatment text; the paragraph before it stays.
    treatment = body(parsed, "treatment")
    assert "Lorazepam" not in treatment and "Some have serious side effects." in treatment
    first, second = parsed.data["references"]
    assert (first["authors"], first["title"], first["journal"]) == (
        "Dalmau J, Rosenfeld MR",
        "Paraneoplastic syndromes of the CNS",
        "Lancet Neurology",
    )
    assert (first["year"], first["volume"], first["pages"]) == (2008, "7", "327-340")
    assert (second["authors"], second["title"], second["journal"]) == (
        "",
        "Myoclonus and its disorders",
        "Neurologic Clinics",
    )
    assert (second["year"], second["month"], second["volume"]) == (2001, "August", "")
    assert [(o["name"], o["region"]) for o in parsed.data["organizations"]] == [
        ("National Institute of Neurological Disorders and Stroke", "US"),
        ("Canadian Association of Neuroscience Nurses", "CA"),
        ("Health Canada", "CA"),
    ]
    (figure,) = parsed.data["figures"]
    assert figure["caption"] == "The Nervous System Pathways"
    assert figure["credit"] == "Copyright © Nucleus Medical Media, Inc."
    assert figure["placement"] == "causes" and figure["alt_text"] == figure["caption"]
    assert "The Nervous System Pathways" not in body(parsed, "causes")


def test_seed_page_chrome_is_dropped_and_reported():
    parsed = parse(SEED)
    dropped = [text for _, text in parsed.report.dropped]
    assert dropped[0] == "Revision Information"
    for chrome in [
        "Did you like this? Share with your family and friends.",
        "Current Research From Top Journals",
        "Breastfeeding May Decrease the Risk of Childhood Obesity",
        "Our Free Newsletter",
    ]:
        assert chrome in dropped
    everything = repr(parsed.data)
    assert "Did you like this" not in everything and "peanuts" not in everything


SEED_SECTIONS = [
    "definition",
    "causes",
    "risk_factors",
    "symptoms",
    "diagnosis",
    "treatment",
    "prevention",
]


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="windows line ends"),
        pytest.param(lambda b: codecs.BOM_UTF8 + b, id="byte order mark"),
        pytest.param(
            lambda b: b.replace(b"    \xe2\x80\xa2", b"\t\t\xe2\x80\xa2").replace(
                b"  \xe2\x80\xa2", b"\t\xe2\x80\xa2"
            ),
            id="tabs",
        ),
        pytest.param(lambda b: b.replace(b"Risk Factors\n", b""), id="no heading survived"),
        pytest.param(lambda b: re.sub(rb"\n{3,}", b"\n\n", b), id="single blank lines"),
        pytest.param(lambda b: b.split(b"Revision Information")[0], id="no page chrome"),
        pytest.param(lambda b: b.replace("•".encode(), b"-"), id="dash bullets"),
    ],
)
def test_the_seed_survives_variations_of_its_format(variant):
    parsed = importer.parse_article(variant(SEED.read_bytes()), name="myoclonus.txt")
    assert kinds(parsed) == SEED_SECTIONS
    assert [len(g["drugs"]) for g in parsed.data["drug_groups"]] == [5, 6, 2]
    assert [o["region"] for o in parsed.data["organizations"]] == ["US", "CA", "CA"]
    assert [bool(r["title"]) for r in parsed.data["references"]] == [True, True]
    assert [f["placement"] for f in parsed.data["figures"]] == ["causes"]


def test_scraped_article_with_nested_lists_four_drug_groups_and_mixed_citations():
    parsed = parse("essential-tremor.txt")
    assert parsed.title == "Essential tremor"
    assert kinds(parsed) == [
        "definition",
        "causes",
        "risk_factors",
        "symptoms",
        "diagnosis",
        "treatment",
        "prevention",
    ]
    assert "- Action tremor\n  - Postural tremor—when holding the arms out\n" in body(
        parsed, "definition"
    )
    assert "  - Buttoning a shirt\n" in body(parsed, "symptoms")
    assert groups(parsed) == [
        ("Beta-blockers", ["Propranolol", "Metoprolol"]),
        ("Anticonvulsants", ["Primidone", "Gabapentin", "Topiramate"]),
        ("Benzodiazepines", ["Alprazolam", "Clonazepam"]),
        ("", ["Botulinum toxin injections"]),
    ]
    # Paragraphs after the drug list stay in the section.
    treatment = body(parsed, "treatment")
    assert "Deep brain stimulation" in treatment and "weighted utensils" in treatment
    refs = parsed.data["references"]
    assert [bool(r["title"]) for r in refs] == [True, True, True, True]
    assert refs[0]["title"].startswith("How common is the most common adult movement disorder?")
    assert (refs[0]["volume"], refs[0]["issue"], refs[0]["pages"]) == ("25", "5", "534-541")
    assert (refs[2]["journal"], refs[2]["month"], refs[2]["year"]) == (
        "Practical Neurology",
        "March",
        2012,
    )
    # A website citation: page title, the website's name (its publisher, not a
    # journal: issue 31), the updated date's year, the address.
    assert (refs[3]["title"], refs[3]["publisher"], refs[3]["year"], refs[3]["month"]) == (
        "Essential tremor",
        "EBSCO DynaMed",
        2019,
        "June",
    )
    assert refs[3]["journal"] == ""
    assert refs[3]["url"] == "https://www.dynamed.com/condition/essential-tremor"
    assert all(r.parsed for r in parsed.report.references)
    assert [o["region"] for o in parsed.data["organizations"]] == ["US", "US", "CA", "CA"]
    assert parsed.data["figures"][0]["placement"] == "causes"


def test_explicit_heading_lines_keep_extra_blocks_in_their_section():
    parsed = parse("restless-legs-syndrome.txt")
    assert kinds(parsed) == [
        "definition",
        "causes",
        "risk_factors",
        "symptoms",
        "diagnosis",
        "treatment",
    ]
    assert all(s.how == "heading line" for s in parsed.report.sections)
    causes = body(parsed, "causes")
    assert causes.startswith("The cause is not always known.")
    assert "- Kidney failure" in causes
    assert "  - Crawling\n" in body(parsed, "symptoms")
    assert [g[0] for g in groups(parsed)] == [
        "Dopamine agonists",
        "Alpha-2-delta ligands",
        "Opioids",
        "",
    ]
    assert "augmentation" in body(parsed, "treatment")
    orgs = parsed.data["organizations"]
    assert [(o["name"], o["url"], o["region"]) for o in orgs] == [
        ("National Sleep Foundation", "https://www.thensf.org/", "US"),
        ("Restless Legs Syndrome Foundation", "https://www.rls.org/", "US"),
        ("Health Canada", "", "CA"),
    ]
    assert (len(orgs), len(parsed.data["references"])) == (3, 2)
    assert "Reviewed by the medical team." in [t for _, t in parsed.report.dropped]


def test_markdown_headings_with_extra_kinds_and_numbered_references():
    parsed = parse("migraine.txt")
    assert kinds(parsed) == [
        "definition",
        "causes",
        "risk_factors",
        "symptoms",
        "diagnosis",
        "treatment",
        "living_with",
        "when_to_call",
    ]
    sections = {s["kind"]: s for s in parsed.data["sections"]}
    assert sections["living_with"]["heading"] == "Living With Migraine"
    assert sections["when_to_call"]["heading"] == "When to Call Your Doctor"
    assert sections["causes"]["heading"] == ""
    assert (1, "# Migraine") in parsed.report.dropped  # the title line
    assert len(groups(parsed)) == 4
    refs = parsed.data["references"]
    assert (refs[0]["title"], refs[0]["journal"], refs[0]["year"], refs[0]["volume"]) == (
        "Headache in adults",
        "Lancet",
        2018,
        "",
    )
    assert refs[1]["authors"].startswith("Goadsby PJ") and refs[1]["pages"] == "553-622"
    assert [(o["name"], o["region"]) for o in parsed.data["organizations"]] == [
        ("American Migraine Foundation", "US"),
        ("Migraine Canada", "CA"),
    ]


def test_missing_sections_without_headings_are_recognised_by_content():
    parsed = parse("gout.txt")
    assert kinds(parsed) == ["definition", "causes", "symptoms", "diagnosis", "treatment"]
    assert groups(parsed) == [
        ("", ["Nonsteroidal anti-inflammatory drugs (NSAIDs)", "Colchicine", "Corticosteroids"])
    ]
    assert [r["month"] for r in parsed.data["references"]] == ["February", ""]
    assert parsed.report.gaps == [("Causes", "Too much uric acid may be due to:")]
    assert {s.kind for s in parsed.report.sections} >= {"resources", "references"}


def test_title_comes_from_the_file_name_or_the_option():
    assert importer.title_from_filename("essential-tremor.txt") == "Essential tremor"
    assert importer.title_from_filename("restless_legs syndrome.txt") == "Restless legs syndrome"
    parsed = parse("gout.txt", title="Gout (gouty arthritis)", slug="gout-arthritis")
    assert (parsed.data["title"], parsed.data["slug"]) == (
        "Gout (gouty arthritis)",
        "gout-arthritis",
    )
