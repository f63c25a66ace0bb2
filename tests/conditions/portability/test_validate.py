"""Checking an export before anything is loaded
(conditions.portability.validate and schema.json): every problem named by
its path, on one line each, and nothing saved."""

import base64
import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from healthlib import portability
from newsletter.models import Edition, Newsletter, ResearchSummary
from tests import factories
from tests.portability import content_rows, empty_the_database, export, import_

pytestmark = pytest.mark.django_db


def mangle(doc):
    gout = next(a for a in doc["articles"] if a["slug"] == "gout")
    n = doc["articles"].index(gout)
    gout["sections"][1]["kind"] = "foo"
    gout["revisions"][0]["snapshot"]["references"][0]["year"] = 1066
    gout["drug_groups"][0]["drugs"][0]["ref"] = "no-such-drug"
    gout["live_revision"] = 99
    doc["drugs"][1]["name"] = doc["drugs"][0]["name"].upper()
    doc["newsletters"][0]["editions"][0]["slug"] = "feed"
    return n


def test_validation_errors_name_the_path_of_each_bad_field_and_change_nothing(
    library, tmp_path, settings
):
    path = tmp_path / "out.json"
    export(path)
    doc = json.loads(path.read_text())
    n = mangle(doc)
    path.write_text(json.dumps(doc))
    empty_the_database()
    settings.MEDIA_ROOT = tmp_path / "another-server"
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path), stdout=StringIO(), stderr=err)
    errors = err.getvalue().splitlines()
    assert str(excinfo.value) == f"{path}: nothing was imported: 6 problems, listed above."
    assert f"articles[{n}].sections[1].kind: Value 'foo' is not a valid choice." in errors
    assert (
        f"articles[{n}].revisions[0].snapshot.references[0].year: "
        "Ensure this value is greater than or equal to 1800."
    ) in errors
    assert (
        f'articles[{n}].drug_groups[0].drugs[0].ref: no drug "no-such-drug" in this document'
        in errors
    )
    assert any(e.startswith(f"articles[{n}].live_revision: 99 is not the index") for e in errors)
    assert any(
        e.startswith("drugs[1].name: ") and "is used twice (also drugs[0])" in e for e in errors
    )
    assert any(
        e.startswith("newsletters[0].editions[0].slug: “feed” is used by another page")
        for e in errors
    )
    assert not any(content_rows().values())
    assert not Path(settings.MEDIA_ROOT).exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.update(version=3),
            "version: 3 is not supported; this healthlib reads versions 1 and 2",
        ),
        (lambda d: d.update(format="other"), 'format: expected "healthlib-content"'),
        (lambda d: d.update(articles={}), "articles: expected a list, got {}"),
        (
            lambda d: d["files"].update({"../../etc/passwd": "aGk="}),
            'files["../../etc/passwd"]: not a safe file name',
        ),
        (
            lambda d: d["files"].update({next(iter(d["files"])): "not base64!"}),
            "not valid base64",
        ),
        (
            lambda d: d["files"].update({next(iter(d["files"])): "aGVsbG8="}),
            "This file is not an image we can read.",
        ),
        (
            lambda d: d["files"].update({"figures/page.html": "aGk="}),
            'files["figures/page.html"]: not a safe file name',
        ),
        (
            lambda d: d["files"].update(
                {"figures/stowaway.png": base64.b64encode(factories.png_bytes(8, 8)).decode()}
            ),
            'files["figures/stowaway.png"]: not the image of any figure',
        ),
        (lambda d: d["articles"][0].pop("created_at"), "articles[0].created_at: missing"),
        (
            lambda d: d["articles"][0]["tags"].append("Nowhere"),
            'articles[0].tags[2]: the tag "Nowhere" is not in tags',
        ),
        (
            lambda d: d["articles"][0]["revisions"][0].update(created_at="yesterday"),
            "articles[0].revisions[0].created_at: expected a date and time with a time zone",
        ),
    ],
)
def test_bad_documents_are_refused_with_the_path(tmp_path, change, expected):
    factories.article("Gout", figures=1, tags=("Joints", "Nervous system"))
    export(tmp_path / "out.json")
    doc = json.loads((tmp_path / "out.json").read_text())
    change(doc)
    empty_the_database()
    with pytest.raises(portability.ContentImportError) as excinfo:
        portability.import_content(doc)
    assert any(expected in e for e in excinfo.value.errors), excinfo.value.errors
    assert not any(content_rows().values())


def _mutations(value, path=()):
    """Every way to break one field: leave it out, or give it the wrong type."""
    if isinstance(value, dict):
        for key, item in value.items():
            if path == () and key == "files":
                continue
            yield (*path, key), "delete"
            yield (*path, key), "wrong type"
            yield from _mutations(item, (*path, key))
    elif isinstance(value, list) and value:
        yield (*path, 0), "wrong type"
        yield from _mutations(value[0], (*path, 0))


def _apply(doc, where, how):
    doc = copy.deepcopy(doc)
    parent = doc
    for step in where[:-1]:
        parent = parent[step]
    if how == "delete":
        del parent[where[-1]]
    else:
        old = parent[where[-1]]
        parent[where[-1]] = {"x": 1} if not isinstance(old, dict) else [1]
    return doc


def test_no_broken_document_crashes_the_import(tmp_path):
    """Any field left out or of the wrong type gives errors with paths (or,
    where the field is optional, loads), never a crash."""
    gout = factories.article(
        "Gout", figures=1, sections=1, groups=1, drugs_per_group=1, references=1, tags=("Joints",)
    )
    edition = Edition.objects.create(
        newsletter=Newsletter.objects.create(name="News"), title="May", slug="may"
    )
    ResearchSummary.objects.create(edition=edition, headline="A study").related_articles.add(gout)
    export(tmp_path / "out.json")
    doc = json.loads((tmp_path / "out.json").read_text())
    empty_the_database()
    crashes = []
    for where, how in _mutations(doc):
        broken = _apply(doc, where, how)
        try:
            with transaction.atomic():
                portability.import_content(broken)
                transaction.set_rollback(True)
        except portability.ContentImportError:
            pass
        except Exception as exc:  # collecting every crash is the point
            crashes.append(f"{'.'.join(map(str, where))} ({how}): {exc!r}")
    assert crashes == [], "\n".join(crashes)


def _translation(doc):
    return next(a for a in doc["articles"] if a["language"] == "es")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: _translation(d).update(translation_of="nothing"),
            'translation_of: "nothing": no English article with this slug in this document',
        ),
        (
            lambda d: d["articles"].append(
                {
                    **copy.deepcopy(_translation(d)),
                    "slug": "gota-2",
                    "translation_of": "gota",
                    "live": None,
                }
            ),
            'translation_of: "gota": a translation of a translation: name the English article',
        ),
        (
            lambda d: _translation(d).update(language="fr"),
            'language: "fr" is not one of this site\'s languages (en, es)',
        ),
        (
            lambda d: _translation(d).update(translation_of=None),
            "translation_of: a Español article is a translation",
        ),
        (
            lambda d: d["articles"][0].update(translation_of="gout"),
            "translation_of: an English article is not a translation",
        ),
        (
            lambda d: _translation(d).update(translated_from=9),
            "translated_from: 9 is not the index of one of the 2 revisions of the English "
            'article "gout"',
        ),
        (
            lambda d: d["drugs"][0].update(names={"xx": "?"}),
            'drugs[0].names: "xx" is not a language articles are translated into (es)',
        ),
        (
            lambda d: d["articles"].append(
                {**copy.deepcopy(_translation(d)), "slug": "gota-2", "live": None}
            ),
            '"gout" already has a Español translation',
        ),
    ],
)
def test_bad_translations_are_refused_on_one_line_and_nothing_is_saved(
    bilingual, tmp_path, change, expected
):
    change(bilingual)
    (tmp_path / "bad.json").write_text(json.dumps(bilingual))
    with pytest.raises(CommandError) as excinfo:
        import_(tmp_path / "bad.json")
    assert expected in str(excinfo.value) and "\n" not in str(excinfo.value)
    assert "nothing was imported" in str(excinfo.value)
    assert not any(content_rows().values())


def test_a_translation_appears_in_the_published_schema(bilingual):
    for error in portability.SCHEMA.iter_errors(bilingual):
        pytest.fail(error.message)
    article = json.loads(
        (Path(portability.__file__).parents[1] / ".." / "conditions/portability/schema.json")
        .resolve()
        .read_text()
    )["$defs"]["article"]["allOf"][1]["properties"]
    assert {"language", "translation_of", "translated_from", "source_updated_at"} <= set(article)
