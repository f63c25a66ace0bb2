"""What editors and readers read: help that renders, plurals that agree,
no shell commands in the admin, one date format on the article page."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from conditions.models import Condition
from tests import factories

pytestmark = pytest.mark.django_db


def test_article_form_wording(editor_client):
    article = factories.article("Gout", publish=False)
    html = editor_client.get(
        reverse("admin:conditions_condition_change", args=[article.pk])
    ).content.decode()
    assert "/conditions/myoclonus/" in html and "/conditions//" not in html
    assert "Drug groups (shown in the Treatment section)" in html
    assert "Drug group (shown in the Treatment section)s" not in html
    # The tags box gets room from the admin's own style sheet.
    assert 'class="form-row field-tags' in html
    assert "/static/healthlib/admin.css" in html


def test_admin_pages_link_the_favicon(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert '<link rel="icon" href="/static/healthlib/favicon.svg" type="image/svg+xml">' in html


def test_publish_form_has_no_shell_commands(reviewer_client):
    article = factories.article("Gout", publish=False)
    url = reverse("admin:conditions_condition_workflow", args=[article.pk, "publish"])
    html = reviewer_client.get(url).content.decode()
    assert "Go live at" in html
    assert "publish_scheduled" not in html and "manage.py" not in html


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
