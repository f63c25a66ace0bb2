"""The newsletter's feed (newsletter.feeds): sent editions, with absolute
links."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from newsletter.models import Edition

pytestmark = pytest.mark.django_db


SENT = Edition.Status.SENT


def test_feed_lists_sent_editions_with_absolute_links(client, settings, make_edition):
    settings.SITE_URL = "https://health.example.org"
    make_edition("Older", status=SENT, issue_date=datetime.date(2015, 1, 1))
    edition = make_edition("Newest", status=SENT, issue_date=datetime.date(2015, 3, 1))
    edition.summaries.update(body_html='<p><a href="/conditions/x/">x</a></p>')
    make_edition("Draft one")
    root = ET.fromstring(client.get("/newsletter/feed/").content)  # noqa: S314 (our own feed)
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["Newest", "Older"]
    assert items[0].findtext("link") == f"https://health.example.org/newsletter/{edition.slug}/"
    assert 'href="https://health.example.org/conditions/x/"' in items[0].findtext("description")
