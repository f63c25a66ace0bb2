"""The content document's JSON Schema, and regression tests for issue 13,
item 5: documents that ended in a traceback, or loaded and then broke the
site, are refused with "path: problem" lines and change nothing."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from jsonschema import Draft202012Validator

from healthlib import portability
from newsletter.models import Edition, Newsletter, ResearchSummary
from tests import factories
from tests.paths import ROOT
from tests.portability import content_rows, empty_the_database, export, import_

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc():
    """A small exported library (an article with every part, a newsletter),
    and an empty database to import it into."""
    gout = factories.article(
        "Gout",
        figures=1,
        groups=1,
        drugs_per_group=2,
        organizations=2,
        codes=[("icd10cm", "M10.9"), ("snomedct", "90560007")],
        tags=("Joints",),
    )
    edition = Edition.objects.create(
        newsletter=Newsletter.objects.create(name="News"), title="May", slug="may"
    )
    ResearchSummary.objects.create(edition=edition, headline="A study").related_articles.add(gout)
    Edition.objects.create(newsletter=edition.newsletter, title="June", slug="june")
    doc, missing = portability.export_content()
    assert not missing
    doc = json.loads(portability.dumps(doc))
    empty_the_database()
    return doc


def refused(doc, expected):
    with pytest.raises(portability.ContentImportError) as excinfo:
        portability.import_content(doc)
    errors = excinfo.value.errors
    assert any(e.startswith(expected) for e in errors), errors
    assert not any(content_rows().values())
    return errors


def test_the_published_schemas_are_valid_and_the_export_matches_them(doc):
    for path in portability.SCHEMA_FILES:
        Draft202012Validator.check_schema(json.loads(path.read_text()))
    assert list(portability.SCHEMA.iter_errors(doc)) == []
    assert portability.validate(doc) == []


def test_schema_errors_read_like_the_document(doc):
    doc["articles"][0]["sections"][1]["order"] = "first"
    del doc["articles"][0]["revisions"][0]["snapshot"]["summary"]
    doc["files"]["bad\\name.png"] = "aGk="
    errors = refused(doc, "articles[0].sections[1].order: expected a whole number, got")
    assert "articles[0].revisions[0].snapshot.summary: missing" in errors
    assert 'files["bad\\\\name.png"]: not a safe file name' in " ".join(errors)


def test_a_code_twice_in_one_article(doc):
    codes = doc["articles"][0]["codes"]
    codes.append(dict(codes[0]))
    refused(doc, "articles[0].codes[2]: the code icd10cm M10.9 is listed twice (also")


def test_a_drug_twice_in_one_group(doc):
    drugs = doc["articles"][0]["drug_groups"][0]["drugs"]
    drugs[1]["ref"] = drugs[0]["ref"]
    refused(doc, "articles[0].drug_groups[0].drugs[1]: the drug ")


def test_an_organization_twice_in_one_article(doc):
    orgs = doc["articles"][0]["organizations"]
    orgs[1]["ref"] = orgs[0]["ref"]
    refused(doc, "articles[0].organizations[1]: the organization ")


def test_two_editions_with_one_address(doc):
    editions = doc["newsletters"][0]["editions"]
    editions[1]["slug"] = editions[0]["slug"]
    refused(doc, "newsletters[0].editions[1].slug: ")


def test_a_nul_character(doc):
    doc["articles"][0]["sections"][0]["body"] = "a\x00b"
    refused(doc, "articles[0].sections[0].body: contains a NUL character")


@pytest.mark.parametrize("width", [-1, 10**20])
def test_a_figure_width_out_of_range(doc, width):
    doc["articles"][0]["figures"][0]["width"] = width
    refused(doc, "articles[0].figures[0].width: ")


def test_update_notes_that_are_not_notes(doc):
    doc["articles"][0]["live"]["update_notes"] = ["x"]
    refused(doc, 'articles[0].live.update_notes[0]: expected an object, got "x"')


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "/etc/x.png", "figures/a.png\n"])
def test_a_figure_image_outside_media(doc, name):
    doc["articles"][0]["figures"][0]["image"] = name
    refused(doc, "articles[0].figures[0].image: not a safe file name")


def test_a_file_name_ending_in_a_newline(doc):
    name = next(iter(doc["files"]))
    doc["files"][name + "\n"] = doc["files"].pop(name)
    refused(doc, f"files[{json.dumps(name + chr(10))}]: not a safe file name")


def test_a_time_that_has_no_utc(doc):
    doc["articles"][0]["revisions"][0]["created_at"] = "0001-01-01T00:00:00+05:00"
    refused(doc, "articles[0].revisions[0].created_at: ")


def test_the_command_reports_json_nested_too_deeply(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CommandError, match="nested too deeply"):
        call_command("import_content", str(path), stdout=StringIO(), stderr=StringIO())


def test_the_commands_refuse_a_file_name_ending_in_a_newline(tmp_path):
    path = tmp_path / "content.json"
    path.write_text("{}")
    for command in ("import_content", "import_article"):
        with pytest.raises(CommandError, match="not a usable file name"):
            call_command(command, f"{path}\n", stdout=StringIO(), stderr=StringIO())


def test_the_import_commands_share_one_file_reader():
    for command in (
        "healthlib/management/commands/import_content.py",
        "conditions/management/commands/import_article.py",
    ):
        source = (ROOT / command).read_text()
        assert "read_bytes" not in source and "healthlib.lib.commands" in source


@pytest.mark.parametrize("value", ["", "2020-01-01\n", " 2020-01-01"])
@pytest.mark.parametrize("where", ["article", "revision"])
def test_a_date_that_is_not_exactly_a_date(doc, value, where):
    # Found by the property tests: an empty date, or one with a line break,
    # either crashed the import or was stored and broke a later restore.
    article = doc["articles"][0]
    target = article if where == "article" else article["revisions"][0]["snapshot"]
    target["next_review_due"] = value
    path = "articles[0]" if where == "article" else "articles[0].revisions[0].snapshot"
    refused(doc, f"{path}.next_review_due: ISO 8601 date")


def test_an_export_from_before_the_drug_page_fields_still_imports(doc):
    for drug in doc["drugs"]:
        for name in ("usual_use", "side_effects", "label_url", "medlineplus_url"):
            del drug[name]
    summary = portability.import_content(doc)
    assert summary.drugs == len(doc["drugs"])


def test_unreadable_files_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "healthlib-content", ')
    with pytest.raises(CommandError, match=r"is not valid JSON \(line 1, column"):
        import_(bad)
    with pytest.raises(CommandError, match="no such file"):
        import_(tmp_path / "missing.json")
    with pytest.raises(CommandError, match="does not exist"):
        export(tmp_path / "no-dir" / "out.json")
