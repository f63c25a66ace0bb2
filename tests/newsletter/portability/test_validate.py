"""Checking the newsletter's part of an export
(newsletter.portability.validate): a Spanish edition names its English
one."""

import json

import pytest

from healthlib import portability
from newsletter.models import Edition
from tests.portability import empty_the_database

pytestmark = pytest.mark.django_db


def test_a_spanish_edition_must_name_an_english_one(edition_in_two_languages):
    doc, _ = portability.export_content()
    doc = json.loads(portability.dumps(doc))
    [entry] = [e for e in doc["newsletters"][0]["editions"] if e["language"] == "es"]
    entry["translation_of"] = "no-such-edition"
    empty_the_database()
    with pytest.raises(portability.ContentImportError) as excinfo:
        portability.import_content(doc)
    assert any("translation_of: no English edition" in error for error in excinfo.value.errors), (
        excinfo.value.errors
    )
    assert not Edition.objects.exists()
