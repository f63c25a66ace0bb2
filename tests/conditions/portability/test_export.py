"""export_content / import_content: all content out as one JSON document and
back into an empty database, byte for byte, all or nothing."""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from conditions.models import Condition, Drug, Revision, TopicName
from healthlib import portability
from newsletter.models import ResearchSummary
from tests.portability import content_rows, empty_the_database, export, import_

pytestmark = pytest.mark.django_db


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
    assert dict(TopicName.objects.filter(language="es").values_list("tag__name", "name")) == {
        "Joints": "Articulaciones",
        # The demo's.
        "Movement disorders": "Trastornos del movimiento",
        "Nervous system": "Sistema nervioso",
    }


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


def test_an_empty_library_round_trips(tmp_path):
    first = export(tmp_path / "a.json")
    assert json.loads(first)["articles"] == []
    import_(tmp_path / "a.json")
    assert export(tmp_path / "b.json") == first


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


def test_a_version_2_export_with_a_translation_round_trips(bilingual, tmp_path, client):
    (tmp_path / "in.json").write_text(portability.dumps(bilingual))
    import_(tmp_path / "in.json")
    assert export(tmp_path / "out.json") == (tmp_path / "in.json").read_bytes()
    body = client.get("/api/conditions/", {"lang": "es"}).json()
    assert [r["slug"] for r in body["results"]] == ["gota"]
