"""Search snippets (conditions.search.highlight): the matched words marked,
the text escaped, a match found deep in a long article."""

import re

import pytest

from tests.conditions.search.helpers import make

pytestmark = pytest.mark.django_db


def test_matched_words_are_highlighted(client, library):
    html = client.get("/search/", {"q": "involuntary jerk"}).content.decode()
    assert "<mark>involuntary</mark>" in html
    assert "<mark>jerk</mark>" in html
    # Title and alternate names too.
    html = client.get("/search/", {"q": "jerking"}).content.decode()
    assert "Also called: Muscle <mark>jerks</mark>, <mark>Jerking</mark>" in html


def test_snippets_escape_article_text_and_keep_only_the_marks(client):
    make(
        "Markup",
        "Avoid `<script>alert(1)</script>` and <b>bold</b> twitching here & there.",
        summary="Say <i>twitching</i> & more.",
    )
    html = client.get("/search/", {"q": "twitching"}).content.decode()
    results = html.split('class="search-results"')[1].split("</ol>")[0]
    assert "<script" not in results and "<b>" not in results and "<i>" not in results
    assert "<mark>twitching</mark>" in results
    tags = set(re.findall(r"<(\w+)", results))
    assert tags <= {"li", "h2", "a", "p", "mark"}


def test_snippet_finds_a_match_deep_in_a_long_article(client):
    make("Long read", "Filler words about nothing. " * 400 + "Then the twitches begin, rarely.")
    html = client.get("/search/", {"q": "twitching"}).content.decode()
    snippet = html.split('class="snippet">')[1].split("</p>")[0]
    assert "<mark>twitches</mark>" in snippet
