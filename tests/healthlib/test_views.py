"""The project's own views (healthlib.views): robots.txt."""

import pytest

pytestmark = pytest.mark.django_db


def test_robots_txt(client, settings):
    settings.SITE_URL = "https://health.example.org"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /preview/" in lines
    assert "Sitemap: https://health.example.org/sitemap.xml" in lines


def test_robots_txt_keeps_crawlers_out_of_spanish_search_too(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /es/search/" in lines and "Disallow: /search/" in lines
