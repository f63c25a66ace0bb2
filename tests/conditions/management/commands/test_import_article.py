"""manage.py import_article: a draft with its revision and a report, drugs
and organizations matched, again as a new revision, --publish, --dry-run,
--title and --slug, and one line for what it refuses."""

import codecs
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conditions import services
from conditions.demo import MYOCLONUS_FILE
from conditions.models import Condition, Drug, DrugGroup, Figure, Organization, Revision
from conditions.publishing import snapshots
from tests import factories
from tests.paths import ARTICLES

SEED = MYOCLONUS_FILE


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


@pytest.mark.django_db
def test_check_these_lists_the_uncertain_bullets_and_no_drug_is_made_of_them():
    out = __import__("io").StringIO()
    call_command("import_article", str(ARTICLES / "tennis-elbow.txt"), stdout=out)
    output = out.getvalue()
    assert "Check these (2): left as they are for an editor to decide" in output
    assert "  Treatment: “Platelet-rich plasma injections” (may be a medicine)" in output
    assert "  Treatment: “Pain relievers, such as ibuprofen”" in output
    assert Drug.objects.count() == 0
    condition = Condition.objects.get(slug="tennis-elbow")
    treatment = condition.sections.get(kind="treatment").body
    assert "- Platelet-rich plasma injections" in treatment
    assert not condition.drug_groups.exists()


@pytest.mark.django_db
def test_a_drug_the_library_has_is_recognized_in_a_new_article():
    Drug.objects.create(name="Calamine", slug="calamine", other_names="Calamine lotion")
    out = __import__("io").StringIO()
    call_command("import_article", str(ARTICLES / "shingles.txt"), stdout=out)
    output = out.getvalue()
    assert "Calamine lotion (matched “Calamine”)" in output
    assert "Check these (0)" in output
    assert Drug.objects.filter(name__icontains="calamine").count() == 1
