"""Issue 13, item 7: the page cache keys on the query parameters a page
reads, and /sitemap.xml is cached by tag and answers conditional requests."""

import os
import subprocess
import sys

import pytest
from django.core.cache import caches

from conditions import services
from newsletter.models import Edition, Newsletter
from tests import factories
from tests.paths import ROOT

pytestmark = pytest.mark.django_db


def _entries():
    return len(caches["pagecache_local"]._cache)


def test_unknown_query_parameters_make_no_new_entries(client):
    factories.article("Gout")
    client.get("/conditions/gout/")
    client.get("/conditions/")
    before = _entries()
    for i in range(50):
        for url in (f"/conditions/gout/?x={i}", f"/conditions/?utm_source={i}", f"/?{i}"):
            assert client.get(url).status_code == 200
    assert _entries() - before <= 1  # "/" itself


def test_a_z_keys_on_the_letter_only(client):
    factories.article("Gout")
    factories.article("Asthma")
    first = client.get("/conditions/?letter=g")
    assert first["X-Page-Cache"] == "miss" and "Gout" in first.content.decode()
    for url in ("/conditions/?letter=G", "/conditions/?letter=g&utm_source=x"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit", url
        assert response.content == first.content
    # Values the A–Z does not know show the whole index: the same entry.
    whole = client.get("/conditions/")
    assert client.get("/conditions/?letter=%3Cscript%3E")["X-Page-Cache"] == "hit"
    assert client.get("/conditions/?letter=zz").content == whole.content


def test_another_page_s_parameter_is_served_but_not_stored(client):
    factories.article("Gout")
    client.get("/conditions/gout/")
    before = _entries()
    for letter in "abcdefgh":
        response = client.get(f"/conditions/gout/?letter={letter}")
        assert response.status_code == 200 and "Gout" in response.content.decode()
    assert _entries() == before


def test_sitemap_is_cached_and_answers_if_none_match(client):
    factories.article("Gout")
    first = client.get("/sitemap.xml")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    etag = first["ETag"]
    second = client.get("/sitemap.xml")
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    assert second["Content-Type"].startswith("application/xml")
    not_modified = client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""


def test_sitemap_goes_stale_when_an_article_or_edition_goes_live(client):
    client.get("/sitemap.xml")
    factories.article("Gout")
    response = client.get("/sitemap.xml")
    assert response["X-Page-Cache"] == "miss" and "/conditions/gout/" in response.content.decode()
    client.get("/sitemap.xml")

    gout = factories.article("Gout 2")
    assert "/conditions/gout-2/" in client.get("/sitemap.xml").content.decode()
    services.unpublish(condition=gout)
    assert "/conditions/gout-2/" not in client.get("/sitemap.xml").content.decode()

    newsletter = Newsletter.objects.create(name="Research")
    edition = Edition.objects.create(newsletter=newsletter, title="March", slug="march-2015")
    client.get("/sitemap.xml")
    edition.status = Edition.Status.SENT
    edition.save()
    assert "/newsletter/march-2015/" in client.get("/sitemap.xml").content.decode()


def test_the_first_request_of_a_process_already_keys_on_the_parameters():
    """The middleware answers before URL resolution; the views' declarations
    must be loaded when it starts, or a fresh worker's first ``?letter=g``
    would be keyed, and answered, as the whole index."""
    code = (
        "import django, sys; django.setup();"
        "import healthlib.lib.pagecache as pc;"
        "assert 'conditions.views' not in sys.modules;"
        "pc.PageCacheMiddleware(lambda request: None);"
        "print(sorted(pc._KEY_PARAMS))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "['letter', 'p']"
