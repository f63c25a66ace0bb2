"""bench/vs_wagtail.py's steps inside healthlib (bench/vs_wagtail_inside.py;
the Wagtail side needs a throwaway virtualenv and is run by hand, see
docs/performance.md)."""

import json

import pytest
from django.conf import settings
from django.test import Client

from bench import vs_wagtail_inside as vs_wagtail

pytestmark = pytest.mark.django_db


def test_the_demo_article_exports_as_json_blocks_with_translated_headings(demo, tmp_path):
    # It crashed on main: a heading was a lazy translation, not JSON.
    path = tmp_path / "blocks.json"
    vs_wagtail.mode_export_blocks(path)
    data = json.loads(path.read_text())
    headings = [value for kind, value in data["blocks"] if kind == "heading"]
    assert data["title"] == "Myoclonus" and "Treatment" in headings
    assert all(isinstance(value, str) for _, value in data["blocks"])


def test_the_uncached_requests_are_a_staff_session_the_page_cache_never_serves(demo):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = vs_wagtail.staff_session_key()
    for _ in range(2):
        response = client.get("/conditions/myoclonus/")
        assert response.status_code == 200 and response.get("X-Page-Cache") is None
