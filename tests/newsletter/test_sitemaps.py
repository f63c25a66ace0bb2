"""The newsletter's sitemap (newsletter.sitemaps): sent editions only."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_sitemap_lists_sent_newsletter_editions(client):
    from newsletter.models import Edition, Newsletter

    newsletter = Newsletter.objects.create(name="Research")
    for slug, status in [("march-2015", "sent"), ("next-draft", "draft")]:
        Edition.objects.create(newsletter=newsletter, title=slug, slug=slug, status=status)
    locs = re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())
    assert any(loc.endswith("/newsletter/march-2015/") for loc in locs)
    assert not any("next-draft" in loc for loc in locs)
