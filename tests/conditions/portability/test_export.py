"""export_content / import_content: all content out as one JSON document and
back into an empty database, byte for byte, all or nothing."""

import base64
import copy
import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from conditions import services
from conditions.models import Condition, Drug, Organization, Revision, TopicName
from conditions.publishing import snapshots
from healthlib import portability
from newsletter.models import Delivery, Edition, Newsletter, ResearchSummary, Subscriber
from newsletter.portability import load as newsletter_load
from tests import factories

pytestmark = pytest.mark.django_db


def edit(condition, user=None, comment="Edited", **changes):
    data = snapshots.take(condition)
    data.update(changes)
    return services.update_article(condition=condition, data=data, user=user, comment=comment)


@pytest.fixture
def library(load_demo):
    """Content in every state the export must carry."""
    load_demo()  # Myoclonus and the newsletter
    editor = User.objects.create_user("editor", first_name="Edna", last_name="Editor")
    gout = factories.article(
        "Gout", figures=2, codes=[("icd10cm", "M10.9")], tags=("Joints", "Nervous system")
    )
    draft = factories.article("Draft only", publish=False, user=editor)
    # Published, then edited: the live copy and the working copy differ.
    edit(
        gout,
        user=editor,
        summary="A changed summary.",
        related=[{"id": draft.pk, "slug": draft.slug}],
    )
    services.record_review(condition=gout, note="Checked, still current")
    # Archived, sending readers to Gout.
    old = factories.article("Old name")
    services.archive(condition=old, replaced_by=gout)
    # Approved to go live tomorrow.
    later = factories.article("Scheduled", publish=False)
    services.publish(condition=later, go_live_at=timezone.now() + datetime.timedelta(days=1))
    # A drug renamed, and one deleted, after revisions named them.
    renamed = Drug.objects.get(name="Drug 0-0")
    renamed.name = "Renamed drug"
    renamed.save()
    groups = snapshots.take(draft)["drug_groups"]
    groups[0]["drugs"].append(factories.drug("Withdrawn drug"))
    edit(draft, drug_groups=groups, comment="Added a drug")
    groups[0]["drugs"].pop()
    edit(draft, drug_groups=groups, comment="Dropped it again")
    Drug.objects.filter(name="Withdrawn drug").delete()
    Organization.objects.create(name="Unused organization", region="INT")
    Tag.objects.create(name="Unused topic", slug="unused-topic")
    # The newsletter: a summary about Gout with topics, and subscriber data.
    edition = Edition.objects.order_by("slug").first()
    summary = ResearchSummary.objects.create(
        edition=edition,
        order=5,
        headline="Cherries and gout",
        body="A *small* study.",
        doi="10.1/x",
    )
    summary.related_articles.add(gout)
    summary.tags.add("Joints", "Diet")
    newsletter = Newsletter.objects.get()
    subscriber = Subscriber.objects.create(
        newsletter=newsletter,
        email="reader@example.org",
        status="confirmed",
        consent_text="Yes, send me the newsletter",
        consent_at=timezone.now(),
    )
    Delivery.objects.create(edition=edition, subscriber=subscriber, status="sent")
    # Spanish (issue 19): the demo's translation (Mioclonía), signed off, and
    # the English article published again, so the translation is behind it;
    # a translation not published yet; names of shared records in Spanish.
    myoclonus = Condition.objects.editable().get(slug="myoclonus")
    assert Condition.objects.live("es").filter(translation_of=myoclonus).exists()
    edit(myoclonus, summary="Rewritten after the translation.")
    services.publish(condition=myoclonus, update_note="Summary rewritten")
    translate(draft, title="Solo borrador", slug="solo-borrador", publish=False)
    Drug.objects.filter(name="Renamed drug").update(names={"es": "Fármaco renombrado"})
    Organization.objects.filter(name="Unused organization").update(names={"es": "Organización"})
    TopicName.objects.create(
        tag=Tag.objects.get(name="Joints"), language="es", name="Articulaciones"
    )
    return {"gout": gout, "draft": draft}


def translate(source, *, title, slug, user=None, publish=True):
    translation = services.create_translation(source=source, language="es", user=user)
    translation = edit(translation, user=user, title=title, slug=slug, summary="En español.")
    if publish:
        services.publish(
            condition=translation, reviewer_name="Dra. Ana Ruiz", update_note="Primera versión"
        )
    return translation


def export(path):
    call_command("export_content", str(path), stdout=StringIO(), stderr=StringIO())
    return Path(path).read_bytes()


def import_(path):
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), stdout=out, stderr=err)
    return out.getvalue()


def empty_the_database():
    for live_first in (True, False):
        for condition in Condition.objects.filter(is_live=live_first):
            condition.delete()
    for model in (Delivery, Subscriber, ResearchSummary, Edition, Newsletter):
        model.objects.all().delete()
    for model in (Drug, Organization, Tag, User):
        model.objects.all().delete()


def content_rows():
    return {
        model.__name__: model.objects.count()
        for model in (Condition, Revision, Drug, Organization, Tag, Edition, ResearchSummary, User)
    }


def test_round_trip_into_an_empty_database_is_byte_identical(library, tmp_path, settings, client):
    first = export(tmp_path / "first.json")
    assert export(tmp_path / "again.json") == first  # deterministic

    empty_the_database()
    assert not any(content_rows().values())
    settings.MEDIA_ROOT = tmp_path / "another-server"
    # Pages cached while the library was empty must not outlive the import.
    client.get("/conditions/?letter=g")
    assert client.get("/conditions/?letter=g")["X-Page-Cache"] == "hit"
    output = import_(tmp_path / "first.json")
    assert output.startswith("Imported 7 articles (3 published")
    assert 'href="/conditions/gout/"' in client.get("/conditions/?letter=g").content.decode()
    assert export(tmp_path / "second.json") == first

    # And the library works as before.
    gout = Condition.objects.editable().get(slug="gout")
    assert gout.has_unpublished_changes and gout.status == "draft"
    assert gout.live_copy.summary != "A changed summary." == gout.summary
    assert [c.slug for c in gout.related.all()] == ["draft-only"]
    assert Condition.objects.editable().get(slug="old-name").replaced_by == gout
    assert Revision.objects.filter(approved_go_live_at__isnull=False).count() == 1
    assert {r.author.username for r in Revision.objects.exclude(author=None)} == {"editor"}
    assert not User.objects.get(username="editor").is_active  # a name, not an account
    response = client.get("/conditions/gout/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "srcset=" in html and "Checked, still current" in html
    for figure in gout.figures.all():
        assert (Path(settings.MEDIA_ROOT) / figure.image.name).exists()
        assert all((Path(settings.MEDIA_ROOT) / r["name"]).exists() for r in figure.renditions)
    assert client.get("/conditions/myoclonus/").status_code == 200
    assert client.get("/conditions/draft-only/").status_code == 404
    summary = ResearchSummary.objects.get(headline="Cherries and gout")
    assert list(summary.related_articles.all()) == [gout]
    assert sorted(t.name for t in summary.tags.all()) == ["Diet", "Joints"]
    assert summary.body_html == "<p>A <em>small</em> study.</p>\n"

    # The translations, each with its source, the revision it was made from
    # and whether the English article changed since.
    mioclonia = Condition.objects.editable("es").get(slug="mioclonia")
    myoclonus = Condition.objects.editable().get(slug="myoclonus")
    assert mioclonia.translation_of == myoclonus
    assert mioclonia.translated_from.condition == myoclonus
    assert mioclonia.translated_from != myoclonus.live_revision
    assert mioclonia.source_updated_at is not None
    assert mioclonia.live_copy.translated_from == mioclonia.translated_from
    assert mioclonia.live_copy.language_versions == {
        "en": "/conditions/myoclonus/",
        "es": "/es/conditions/mioclonia/",
    }
    page = client.get("/es/conditions/mioclonia/")
    assert page.status_code == 200 and "/conditions/myoclonus/" in page.content.decode()
    draft = Condition.objects.editable("es").get(slug="solo-borrador")
    assert draft.translation_of.slug == "draft-only" and not hasattr(draft, "live_copy")
    assert Drug.objects.get(name="Renamed drug").names == {"es": "Fármaco renombrado"}
    assert TopicName.objects.get(language="es").name == "Articulaciones"


def test_export_has_no_primary_keys_and_no_subscriber_data(library, tmp_path):
    text = export(tmp_path / "out.json").decode()
    doc = json.loads(text)
    assert doc["format"] == "healthlib-content" and doc["version"] == 2
    assert "reader@example.org" not in text and "consent" not in text
    assert "subscribers" not in doc["newsletters"][0] and "deliveries" not in text

    def keys(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from keys(item)
        elif isinstance(value, list):
            for item in value:
                yield from keys(item)

    assert not {"id", "pk", "condition_id", "source_id"} & set(keys(doc))
    draft = next(a for a in doc["articles"] if a["slug"] == "draft-only")
    first = draft["revisions"][0]["snapshot"]["drug_groups"][0]["drugs"]
    added = draft["revisions"][1]["snapshot"]["drug_groups"][0]["drugs"]
    # History names drugs as they were; "ref" is the drug now (None: deleted).
    assert (first[0]["name"], first[0]["ref"]) == ("Drug 0-0", "drug-0-0")
    assert (added[-1]["name"], added[-1]["ref"]) == ("Withdrawn drug", None)
    assert "Renamed drug" in [d["name"] for d in doc["drugs"]]
    assert draft["live"] is None and draft["revisions"][0]["author"] == "editor"


def test_import_into_a_database_with_content_is_refused(library, tmp_path):
    export(tmp_path / "out.json")
    before = content_rows()
    with pytest.raises(CommandError, match="already holds content") as excinfo:
        import_(tmp_path / "out.json")
    assert "\n" not in str(excinfo.value)
    assert content_rows() == before


def test_a_failure_while_loading_leaves_the_database_and_media_unchanged(
    library, tmp_path, settings, monkeypatch
):
    export(tmp_path / "out.json")
    empty_the_database()
    settings.MEDIA_ROOT = tmp_path / "another-server"
    before = content_rows()

    def fail(*args):
        raise RuntimeError("the disk is full")

    # Everything else is written by the time the newsletters are loaded.
    monkeypatch.setattr(newsletter_load, "_newsletter", fail)
    with pytest.raises(RuntimeError, match="disk is full"):
        import_(tmp_path / "out.json")
    assert content_rows() == before
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


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


def test_unreadable_files_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "healthlib-content", ')
    with pytest.raises(CommandError, match=r"is not valid JSON \(line 1, column"):
        import_(bad)
    with pytest.raises(CommandError, match="no such file"):
        import_(tmp_path / "missing.json")
    with pytest.raises(CommandError, match="does not exist"):
        export(tmp_path / "no-dir" / "out.json")


def test_an_empty_library_round_trips(tmp_path):
    first = export(tmp_path / "a.json")
    assert json.loads(first)["articles"] == []
    import_(tmp_path / "a.json")
    assert export(tmp_path / "b.json") == first


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


# Issue 19: version 2 carries translations; version 1 still loads.


@pytest.fixture
def bilingual(tmp_path):
    """A small export with an English article and its Spanish translation,
    and an empty database to import it into."""
    gout = factories.article("Gout", tags=("Joints",))
    translate(gout, title="Gota", slug="gota")
    factories.article("Asthma")
    export(tmp_path / "out.json")
    empty_the_database()
    return json.loads((tmp_path / "out.json").read_text())


def test_a_translation_is_exported_with_its_source_and_revision(bilingual):
    gota = next(a for a in bilingual["articles"] if a["language"] == "es")
    gout = next(a for a in bilingual["articles"] if a["slug"] == "gout")
    assert gota["translation_of"] == "gout" and gota["slug"] == "gota"
    # The English revision it was made from, by its index among Gout's.
    assert gota["translated_from"] == gout["live_revision"]
    assert gota["source_updated_at"] is None
    assert gota["live"]["translated_from"] == gout["live_revision"]
    assert gota["revisions"][-1]["snapshot"]["title"] == "Gota"
    assert gota["live"]["reviewer_name"] == "Dra. Ana Ruiz"
    # English first: a translation follows the article it translates.
    assert [a["slug"] for a in bilingual["articles"]] == ["asthma", "gout", "gota"]
    assert gout["language"] == "en" and gout["translation_of"] is None


def _as_version_1(doc):
    """``doc`` as an export from before translations."""
    doc = copy.deepcopy(doc)
    doc["version"] = 1
    doc["articles"] = [a for a in doc["articles"] if a["language"] == "en"]
    for article in doc["articles"]:
        for key in ("language", "translation_of", "translated_from", "source_updated_at"):
            del article[key]
            article["live"] and article["live"].pop(key, None)
    for key in ("tags", "drugs", "organizations"):
        for entry in doc[key]:
            del entry["names"]
    return doc


def test_a_version_1_export_still_imports_as_english(bilingual, tmp_path, client):
    old = _as_version_1(bilingual)
    # Version 1 ignored keys it did not know: they stay ignored.
    old["articles"][0]["language"] = "es"
    (tmp_path / "v1.json").write_text(json.dumps(old))
    assert import_(tmp_path / "v1.json").startswith("Imported 2 articles (2 published")
    assert set(Condition.objects.values_list("language", flat=True)) == {"en"}
    assert client.get("/conditions/asthma/").status_code == 200
    assert client.get("/api/conditions/gout/").json()["translations"] == []
    # Exported again, it is version 2.
    doc = json.loads(export(tmp_path / "again.json"))
    assert doc["version"] == 2 and {a["language"] for a in doc["articles"]} == {"en"}


def test_a_version_2_export_with_a_translation_round_trips(bilingual, tmp_path, client):
    (tmp_path / "in.json").write_text(portability.dumps(bilingual))
    import_(tmp_path / "in.json")
    assert export(tmp_path / "out.json") == (tmp_path / "in.json").read_bytes()
    body = client.get("/api/conditions/", {"lang": "es"}).json()
    assert [r["slug"] for r in body["results"]] == ["gota"]


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
