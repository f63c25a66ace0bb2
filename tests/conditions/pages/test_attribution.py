"""Attribution (conditions/pages/attribution.py): the API's answers and the
embed say the same; the licence sentence is in the reader's language where
it is the site's default."""

import pytest
from django.utils import translation

from conditions.pages import attribution

pytestmark = pytest.mark.django_db


def test_the_api_and_the_embed_attribute_the_same_way(client, demo):
    given = client.get("/api/conditions/myoclonus/").json()["attribution"]
    embed = client.get("/embed/conditions/myoclonus/").content.decode()
    footer = embed[embed.index('<footer class="embed-attribution">') :]
    assert f"Published by {given['publisher']}." in footer
    assert f"by {given['reviewed_by']}" in footer
    assert f'<time datetime="{given["last_reviewed"]}">' in footer
    assert f'<a href="{given["licence"]["url"]}"' in footer
    assert f">{given['licence']['name']}</a>" in footer
    assert given["licence"]["text"] in footer
    assert f'<a href="{given["link"]}" target="_blank"' in footer


def test_the_default_licence_sentence_is_translated(settings):
    assert settings.CONTENT_LICENCE_TEXT == attribution.DEFAULT_LICENCE_TEXT
    with translation.override("es"):
        text, language = attribution.licence_text()
    assert text.startswith("Reutilícelo sin cambios") and language == "es"
    with translation.override("en"):
        assert attribution.licence_text() == (attribution.DEFAULT_LICENCE_TEXT, "en")


def test_a_sites_own_licence_sentence_is_shown_as_written(settings):
    settings.CONTENT_LICENCE_TEXT = "Ask us first."
    with translation.override("es"):
        assert attribution.licence_text() == ("Ask us first.", "en")
    settings.CONTENT_LICENCE_TEXT = ""
    with translation.override("es"):
        assert attribution.licence_text() == ("", "es")
