"""Loading the newsletter's part of an export (newsletter.portability.load):
editions in two languages, and exports from before languages."""

import json

import pytest

from healthlib import portability
from newsletter.models import Edition
from tests.portability import empty_the_database

pytestmark = pytest.mark.django_db


SENT = Edition.Status.SENT


def test_export_import_round_trip_with_a_spanish_edition(edition_in_two_languages):
    english, spanish = edition_in_two_languages
    doc, _ = portability.export_content()
    text = portability.dumps(doc)
    [entry] = [e for e in doc["newsletters"][0]["editions"] if e["language"] == "es"]
    assert entry["translation_of"] == "march-2015" and entry["title"] == "Marzo de 2015"
    empty_the_database()
    portability.import_content(json.loads(text))
    spanish = Edition.objects.get(language="es")
    assert spanish.translation_of == Edition.objects.get(language="en")
    assert spanish.summaries.get().headline == "El maní temprano reduce las alergias"
    assert spanish.summaries.get().journal == "New England Journal of Medicine"
    again, _ = portability.export_content()
    assert portability.dumps(again) == text


def test_an_export_without_languages_imports_as_english(make_edition):
    make_edition("July", slug="july", status=SENT)
    doc, _ = portability.export_content()
    doc = json.loads(portability.dumps(doc))
    for edition in doc["newsletters"][0]["editions"]:
        del edition["language"], edition["translation_of"]
    doc["version"] = 1
    empty_the_database()
    portability.import_content(doc)
    assert Edition.objects.get().language == "en"
