"""Rendering and inspecting Markdown bodies."""

import pytest

from healthlib.lib.markdown import (
    article_path,
    article_slugs_linked,
    content_gaps,
    invalid_article_links,
    render_markdown,
)


def test_content_gaps_found_at_paragraph_end_and_glued_to_next_sentence():
    text = (
        "Pictures may be taken. This can be done with:Your fluids may be tested.\n\n"
        "Possible causes include:\n\n"
        "It can be classified according to:\n\n- Cause\n- Pattern\n"
    )
    assert content_gaps(text) == ["This can be done with:", "Possible causes include:"]


def test_content_gaps_on_long_unpunctuated_text():
    # The scan was quadratic on such text (40,000 characters took seconds);
    # a match now only starts at a sentence boundary.
    assert content_gaps("word " * 10_000 + "and then:Next") == [
        ("word " * 10_000 + "and then:").strip()
    ]


def test_article_links_and_heading_levels():
    html = render_markdown("# Big\n\nSee [tremor](article:essential-tremor).")
    assert "<h3>Big</h3>" in html
    assert 'href="/conditions/essential-tremor/"' in html
    assert article_slugs_linked("[a](article:x) [b](/conditions/y/) [c](https://e.org)") == [
        "x",
        "y",
    ]


BAD = "See [Parkinson's](article:parkinson's-disease) and [tremor](article:essential-tremor)."


@pytest.mark.django_db
def test_one_place_resolves_article_links():
    assert article_path("article:essential-tremor") == "/conditions/essential-tremor/"
    assert article_path("article:parkinson's-disease") is None
    assert invalid_article_links(BAD) == ["article:parkinson's-disease"]
    html = render_markdown(BAD)
    assert 'href="/conditions/essential-tremor/"' in html and "Parkinson's" in html
