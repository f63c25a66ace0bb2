"""Dates on the article page (conditions.templatetags.article_dates): one
format, in words, with machine-readable dates only in <time>."""

import re
from html.parser import HTMLParser

import pytest

from conditions.models import Condition
from tests import factories

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    """The text a reader sees (no attributes, scripts or styles)."""

    def __init__(self):
        super().__init__()
        self.text, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def test_article_page_dates_are_in_words_with_machine_dates_only_in_time(client):
    article = factories.article("Gout")
    live = Condition.objects.get(source=article)
    html = client.get(live.get_absolute_url()).content.decode()
    reader = _Text()
    reader.feed(html)
    text = " ".join(reader.text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
    reviewed = live.last_reviewed
    words = f"{reviewed:%B} {reviewed.day}, {reviewed.year}"
    assert f'<time datetime="{reviewed.isoformat()}">{words}</time>: First version' in html
    due = live.next_review_due
    assert f'<time datetime="{due.isoformat()}">{due:%B} {due.day}, {due.year}</time>' in html
