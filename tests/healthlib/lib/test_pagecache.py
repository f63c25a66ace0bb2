"""The page cache (healthlib.lib.pagecache): what it stores and serves,
and what it never does."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(url)
    return response, response.get("X-Page-Cache")


def test_logged_in_editors_are_never_served_or_stored(client, editor):
    gout = factories.article("Gout")
    client.force_login(editor)
    response = client.get("/conditions/gout/")
    assert response.get("X-Page-Cache") is None
    assert "private" in response["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert fetch(client, "/conditions/gout/")[1] == "miss"
    preview = factories.article("Draft one", publish=False)
    client.force_login(editor)
    response = client.get(f"/preview/conditions/{preview.pk}/")
    assert "no-store" in response["Cache-Control"] and response.get("X-Page-Cache") is None
    assert gout.pk


def test_conditional_get_answers_304(client):
    factories.article("Gout")
    first = client.get("/conditions/gout/")
    assert first["ETag"] and first["Last-Modified"]
    assert "max-age=0" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get("/conditions/gout/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get("/conditions/gout/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other = client.get("/conditions/gout/", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_cache_hits_keep_the_security_headers(client):
    factories.article("Gout")
    client.get("/conditions/gout/")
    response = client.get("/conditions/gout/")
    assert response["X-Page-Cache"] == "hit"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
