"""The library's sitemaps (conditions.sitemaps): what is published, with its
date, in every language, with hreflang alternates."""

import xml.etree.ElementTree as ET

import pytest

from conditions import services
from conditions.models import Condition
from conditions.publishing import snapshots
from tests import factories

pytestmark = pytest.mark.django_db


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_sitemap_lists_published_content_with_lastmod(client, seo_article):
    factories.article("Unpublished draft", publish=False, tags=("Secret topic",))
    gone = factories.article("Gone", tags=("Gone topic",))
    services.unpublish(condition=gone)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    urls = {
        u.find("s:loc", SITEMAP_NS).text: u.find("s:lastmod", SITEMAP_NS)
        for u in root.findall("s:url", SITEMAP_NS)
    }
    base = "https://health.example.org"
    assert f"{base}/conditions/myoclonus/" in urls
    assert f"{base}/drugs/drug-0-0/" in urls
    assert f"{base}/drugs/5-htp/" in urls
    assert f"{base}/topics/nervous-system/" in urls
    assert not [u for u in urls if "unpublished" in u or "gone" in u or "secret" in u]
    live = Condition.objects.live().get(slug="myoclonus")
    assert urls[f"{base}/conditions/myoclonus/"].text == live.updated_at.date().isoformat()
    assert all(lastmod is not None for lastmod in urls.values())


XHTML = "{http://www.w3.org/1999/xhtml}link"


def _sitemap(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own response)
    return {
        u.find("s:loc", SITEMAP_NS).text: {
            link.get("hreflang"): link.get("href")
            for link in u.findall(XHTML)
            if link.get("rel") == "alternate"
        }
        for u in root.findall("s:url", SITEMAP_NS)
    }


def _translate(source, title, slug):
    translation = services.create_translation(source=source, language="es")
    data = snapshots.take(translation)
    data.update(title=title, slug=slug)
    translation = services.update_article(condition=translation, data=data)
    services.publish(condition=translation)


def test_sitemap_lists_translations_with_hreflang_alternates(client, seo_article):
    english_only = factories.article("Asthma", tags=("Lungs",))
    assert english_only
    _translate(seo_article, "Mioclonía", "mioclonia")
    urls = _sitemap(client)
    base = "https://health.example.org"
    both = {
        "en": f"{base}/conditions/myoclonus/",
        "es": f"{base}/es/conditions/mioclonia/",
        "x-default": f"{base}/conditions/myoclonus/",
    }
    # Each language version lists both, itself included.
    assert urls[f"{base}/conditions/myoclonus/"] == both
    assert urls[f"{base}/es/conditions/mioclonia/"] == both
    # Not translated: listed in English, without alternates; not in Spanish.
    assert urls[f"{base}/conditions/asthma/"] == {}
    assert f"{base}/es/conditions/asthma/" not in urls
    # Drug and topic pages exist in each language whose articles list them.
    assert urls[f"{base}/es/drugs/drug-0-0/"]["en"] == f"{base}/drugs/drug-0-0/"
    assert urls[f"{base}/es/topics/nervous-system/"]["es"].endswith("/es/topics/nervous-system/")
    assert f"{base}/es/topics/lungs/" not in urls and urls[f"{base}/topics/lungs/"] == {}


def test_sitemap_lists_the_index_pages_of_each_language_with_content(client, seo_article):
    base = "https://health.example.org"
    urls = _sitemap(client)
    assert {f"{base}/", f"{base}/conditions/", f"{base}/drugs/", f"{base}/topics/"} <= set(urls)
    assert not [u for u in urls if u.startswith(f"{base}/es/")]  # nothing in Spanish yet
    _translate(seo_article, "Mioclonía", "mioclonia")
    urls = _sitemap(client)  # the sitemap's cache went stale with the publication
    for path in ("/", "/conditions/", "/drugs/", "/topics/"):
        assert urls[f"{base}/es{path}"] == {
            "en": f"{base}{path}",
            "es": f"{base}/es{path}",
            "x-default": f"{base}{path}",
        }
