"""Rendering and inspecting Markdown bodies."""

import pytest

from healthlib.lib.markdown import (
    article_path,
    article_slugs_linked,
    content_gaps,
    invalid_article_links,
    links_open_elsewhere,
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


def test_links_for_a_framed_page_open_this_site_in_a_new_tab():
    body = render_markdown(
        "See [tremor](article:essential-tremor), [below](#causes), "
        "[a study](https://journal.example.org/1) or [call](tel:911)."
    )
    html = links_open_elsewhere(
        body + '<a href="javascript:alert(1)">x</a><script>x</script>',
        "https://health.example.org/conditions/myoclonus/",
    )
    assert (
        '<a href="https://health.example.org/conditions/essential-tremor/" target="_blank" '
        'rel="noopener noreferrer">tremor</a>'
    ) in html
    assert 'href="https://health.example.org/conditions/myoclonus/#causes"' in html
    assert 'href="https://journal.example.org/1" target="_blank"' in html
    assert 'href="tel:911" target="_blank"' in html
    # Still sanitized.
    assert "javascript" not in html and "<script" not in html
    assert links_open_elsewhere("", "https://health.example.org/") == ""
