"""Loading an export (conditions.portability.load): only into an empty
database, all or nothing, and older versions of the format too."""

import copy
import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from conditions.models import Condition
from newsletter.portability import load as newsletter_load
from tests.portability import content_rows, empty_the_database, export, import_

pytestmark = pytest.mark.django_db


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
