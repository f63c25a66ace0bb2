"""import_article: plain-text articles in the seed's format into structured
articles, and load_demo building Myoclonus through it."""

import codecs
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conditions import importer, services
from conditions.demo import MYOCLONUS_FILE
from conditions.models import Condition, Drug, DrugGroup, Figure, Organization, Revision
from conditions.publishing import snapshots
from tests import factories

ARTICLES = Path(__file__).with_name("articles")
SEED = MYOCLONUS_FILE


def parse(name, **kwargs):
    path = ARTICLES / name if not isinstance(name, Path) else name
    return importer.parse_article(path.read_bytes(), name=path.name, **kwargs)


def kinds(parsed):
    return [s["kind"] for s in parsed.data["sections"]]


def body(parsed, kind):
    return next(s["body"] for s in parsed.data["sections"] if s["kind"] == kind)


def groups(parsed):
    return [(g["heading"], [d["name"] for d in g["drugs"]]) for g in parsed.data["drug_groups"]]


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_article", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def content_counts():
    return (
        Condition.objects.count(),
        Revision.objects.count(),
        Drug.objects.count(),
        Organization.objects.count(),
        Figure.objects.count(),
    )


# Parsing (pure: these tests have no database access).


def test_seed_copy_in_the_repository_is_the_seed():
    shared = Path(__file__).resolve().parents[3] / "shared" / "seed" / "myoclonus.txt"
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


# Writing, through the command.


@pytest.mark.django_db
def test_import_creates_a_draft_with_a_revision_and_prints_the_report():
    output = run(ARTICLES / "essential-tremor.txt")
    condition = Condition.objects.get(slug="essential-tremor")
    assert condition.status == "draft" and not condition.is_live
    assert not Condition.objects.live().exists()
    assert [r.comment for r in condition.revisions.all()] == ["Imported from essential-tremor.txt"]
    assert condition.sections.count() == 7
    assert [g.heading for g in condition.drug_groups.all()] == [
        "Beta-blockers",
        "Anticonvulsants",
        "Benzodiazepines",
        "",
    ]
    figure = condition.figures.get()
    assert figure.caption == "Brain Areas Involved in Movement"
    assert figure.placement == "causes" and figure.alt_text == figure.caption
    assert figure.renditions and figure.srcset and figure.width == 1200
    for text in [
        "Created “Essential tremor” at /conditions/essential-tremor/",
        "Sections (10):",
        "Beta-blockers: Propranolol (new), Metoprolol (new)",
        "References (4): 4 parsed, 0 kept whole",
        "Health Canada (Canada, new)",
        "“Brain Areas Involved in Movement” in Causes",
        "Content gaps (1)",
        "Diagnosis: “This can be done with:”",
        "Dropped lines (12):",
        "line 77: Did you like this? Share with your family and friends.",
    ]:
        assert text in output, text


@pytest.mark.django_db
def test_drugs_and_organizations_are_matched_not_duplicated():
    Drug.objects.create(name="propranolol", slug="propranolol")
    Drug.objects.create(
        name="Onabotulinumtoxin A", slug="botox", other_names="Botulinum toxin injections\nBotox"
    )
    Organization.objects.create(name="Health Canada", region="CA", url="https://www.canada.ca/")
    output = run(ARTICLES / "essential-tremor.txt")
    assert "Beta-blockers: Propranolol (matched), Metoprolol (new)" in output
    assert "Botulinum toxin injections (matched “Onabotulinumtoxin A”)" in output
    assert "Health Canada (Canada, matched)" in output
    assert Drug.objects.filter(name__iexact="propranolol").count() == 1
    assert Organization.objects.filter(name="Health Canada").count() == 1
    # Clonazepam from the seed and from this article is one drug.
    run(SEED)
    clonazepam = Drug.objects.get(name="Clonazepam")
    articles = {
        i.group.condition.slug for i in clonazepam.group_items.select_related("group__condition")
    }
    assert articles == {"essential-tremor", "myoclonus"}
    assert DrugGroup.objects.filter(items__drug=clonazepam).count() == 3


@pytest.mark.django_db
def test_abbreviations_in_parentheses_match_and_are_remembered():
    run(SEED)
    htp = Drug.objects.get(name="5-hydroxytryptophan (5-HTP)")
    assert htp.slug == "5-hydroxytryptophan" and htp.other_name_list == ["5-HTP"]


@pytest.mark.django_db
def test_importing_again_adds_a_revision_and_keeps_what_editors_added():
    run(ARTICLES / "gout.txt", "--publish")
    condition = Condition.objects.get(slug="gout", is_live=False)
    figure = condition.figures.get()
    figure.alt_text = "Needle-shaped crystals in the space of a toe joint."
    figure.save()
    data = snapshots.take(condition)
    data["tags"] = ["Joints"]
    services.update_article(condition=condition, data=data, comment="Editor added a topic")
    counts = content_counts()

    output = run(ARTICLES / "gout.txt")
    assert "Updated “Gout”" in output and "published version is unchanged" in output
    assert Condition.objects.editable().filter(slug="gout").count() == 1
    condition.refresh_from_db()
    assert condition.revisions.first().comment == "Imported from gout.txt"
    assert condition.revisions.count() == 4  # import, published, editor, import again
    assert [t.name for t in condition.tags.all()] == ["Joints"]
    kept = condition.figures.get()
    assert kept.alt_text == "Needle-shaped crystals in the space of a toe joint."
    assert kept.image.name == figure.image.name
    assert "kept the existing image" in output
    assert content_counts()[0] == counts[0]  # no new article
    assert content_counts()[2:] == counts[2:]  # no new drugs, organizations, figures


@pytest.mark.django_db
def test_publish_puts_it_live_with_the_import_as_update_note(client):
    output = run(ARTICLES / "migraine.txt", "--publish")
    assert "and published it" in output
    live = Condition.objects.live().get(slug="migraine")
    assert live.update_notes[0]["note"] == "Imported from migraine.txt"
    working = live.source
    assert [r.comment for r in working.revisions.all()] == [
        "Published",
        "Imported from migraine.txt",
    ]
    page = client.get("/conditions/migraine/").content.decode()
    assert "Living With Migraine" in page and "Triptans" in page


@pytest.mark.django_db
def test_dry_run_reports_what_would_happen_and_writes_nothing(settings):
    Drug.objects.create(name="Colchicine", slug="colchicine")
    before = content_counts()
    output = run(ARTICLES / "gout.txt", "--dry-run", "--publish")
    assert output.startswith("Dry run, nothing was written: the import would create “Gout”")
    assert "Colchicine (matched)" in output and "Corticosteroids (new)" in output
    assert content_counts() == before
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_title_and_slug_options():
    run(ARTICLES / "gout.txt", "--title", "Gouty arthritis", "--slug", "gouty-arthritis")
    assert Condition.objects.get(slug="gouty-arthritis").title == "Gouty arthritis"
    with pytest.raises(CommandError, match="--slug"):
        run(ARTICLES / "gout.txt", "--slug", "not a slug")


BAD_FILES = {
    "binary.txt": factories.png_bytes(40, 40),
    "empty.txt": b"",
    "blank.txt": b"\n\n   \n\t\n",
    "latin1.txt": "Caf\u00e9 au lait spots are flat patches on the skin.".encode("latin-1"),
    "utf16.txt": codecs.BOM_UTF16_LE + "Gout is a type of arthritis.".encode("utf-16-le"),
    "shopping-list.txt": b"eggs\nmilk\nbread\n",
    "data.txt": b'{"name": "Gout", "sections": []}\n',
    "only-references.txt": (ARTICLES / "essential-tremor.txt").read_bytes().split(b"\n\n\n")[-1],
    "only-headings.txt": b"Definition\n\nCauses\n\nTreatment\n  \xe2\x80\xa2 Rest\n",
    "only-chrome.txt": b"Did you like this? Share with your family and friends.\n"
    b"Our Free Newsletter\n",
    "one-long-line.txt": b"word " * 5000,
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("binary.txt", "binary.txt is a binary file, not a plain-text article."),
        ("empty.txt", "empty.txt is empty"),
        ("blank.txt", "blank.txt is empty"),
        ("latin1.txt", "latin1.txt is not UTF-8 text (byte 0xe9 at position 3)"),
        ("utf16.txt", "utf16.txt is UTF-16 text"),
        ("shopping-list.txt", "shopping-list.txt: no article found"),
        ("data.txt", "data.txt: no article found"),
        ("only-references.txt", "only-references.txt: no article found"),
        ("only-headings.txt", "only-headings.txt: no article found"),
        ("only-chrome.txt", "only-chrome.txt: no article found"),
        ("one-long-line.txt", "line 1 is 25,000 characters long"),
    ],
)
def test_bad_files_exit_with_one_line_and_change_nothing(tmp_path, settings, name, reason):
    factories.article("Asthma")
    before = content_counts()
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    with pytest.raises(CommandError) as excinfo:
        run(path)
    message = str(excinfo.value)
    assert reason in message and "\n" not in message
    assert content_counts() == before
    media = Path(settings.MEDIA_ROOT)
    assert not (media / "renditions").exists() or all(
        "asthma" not in p.name for p in (media / "renditions").iterdir()
    )


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nope.txt")


@pytest.mark.django_db
def test_a_failure_after_parsing_changes_nothing_and_removes_stored_images(settings):
    # An archived article cannot be published: the import's writes roll back.
    run(ARTICLES / "gout.txt")
    condition = Condition.objects.get(slug="gout")
    condition.figures.all().delete()
    services.record_revision(condition=condition, comment="Figure removed")
    services.archive(condition=condition)
    before = content_counts()
    renditions = set((Path(settings.MEDIA_ROOT) / "renditions").iterdir())
    with pytest.raises(CommandError, match="nothing was imported"):
        run(ARTICLES / "gout.txt", "--publish")
    assert content_counts() == before
    assert Condition.objects.get(slug="gout").status == "archived"
    assert set((Path(settings.MEDIA_ROOT) / "renditions").iterdir()) == renditions


# The demo is the seed, imported.


@pytest.mark.django_db
def test_load_demo_builds_myoclonus_through_the_importer():
    call_command("load_demo", "--force", verbosity=0)
    call_command("load_demo", "--force", verbosity=0)  # idempotent
    working = Condition.objects.editable().get(slug="myoclonus")
    assert Condition.objects.filter(slug="myoclonus").count() == 2  # working + live copy
    live = working.live_copy
    assert [s.kind for s in live.sections.all()] == [
        "definition",
        "causes",
        "risk_factors",
        "symptoms",
        "diagnosis",
        "treatment",
        "prevention",
    ]
    group_list = [(g.heading, g.items.count()) for g in live.drug_groups.all()]
    assert group_list == [("Sedatives", 5), ("Anticonvulsants", 6), ("", 2)]
    assert Drug.objects.filter(name="Clonazepam").count() == 1
    assert DrugGroup.objects.filter(condition=live, items__drug__name="Clonazepam").count() == 2
    orgs = [
        (link.organization.region, link.organization.url) for link in live.organization_links.all()
    ]
    assert orgs == [
        ("US", "https://www.ninds.nih.gov/"),
        ("CA", "https://cann.ca/"),
        ("CA", "https://www.canada.ca/en/health-canada.html"),
    ]
    assert live.references.count() == 2
    figure = live.figures.get()
    assert figure.placement == "causes" and figure.renditions
    assert figure.alt_text.startswith("A simple drawing made for the healthlib demo")
    assert [(c.system, c.code) for c in live.codes.all()] == [("icd10cm", "G25.3")]
    assert sorted(t.name for t in live.tags.all()) == ["Movement disorders", "Nervous system"]
    assert (live.reviewer_name, live.reviewer_credentials) == ("Demo Medical Reviewer", "MD")
    assert live.update_notes[0]["note"].startswith("Removed sentences that introduced lists")
    assert working.revisions.last().comment == "Imported from the seed (myoclonus.txt)"
