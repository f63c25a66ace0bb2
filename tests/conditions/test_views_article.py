"""The article page's parts for readers: urgent help first, the handout
footer for print, the feedback form, links to topics and related articles."""

import re

import pytest
from django.urls import reverse

from conditions import services
from tests import factories
from tests.factories import URGENT

pytestmark = pytest.mark.django_db


def html_of(client, slug="myoclonus"):
    response = client.get(f"/conditions/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_urgent_help_is_a_labelled_region_before_every_other_section(client, urgent_article):
    html = html_of(client)
    match = re.search(
        r'<section id="(section-99-urgent-help)" class="section urgent-help" '
        r'aria-labelledby="\1-h">\s*<h2 id="\1-h">When to get urgent help</h2>',
        html,
    )
    assert match, "the callout is a section labelled by its own heading"
    callout = html[match.start() : html.index("</section>", match.start())]
    assert 'In an emergency, call <a href="tel:112">112</a>.' in callout
    assert URGENT in callout
    assert match.start() < html.index('id="section-0-definition"')
    # Above the table of contents: on a phone, readers need not scroll to it.
    assert match.start() < html.index('class="toc"')
    assert html.count('class="section urgent-help"') == 1
    # First in the table of contents too.
    toc = html[html.index('class="toc"') :]
    assert toc.index("When to get urgent help") < toc.index("Definition")


def test_an_article_without_urgent_help_has_no_callout(client):
    factories.article("Asthma")
    assert "urgent-help" not in html_of(client, "asthma")


def test_the_handout_footer_names_the_site_page_review_and_revision(client, urgent_article):
    html = html_of(client)
    live = urgent_article.live_copy
    start = html.index('<div class="handout">')
    handout = html[start : html.index("</div>", start)]
    assert (
        "<strong>healthlib</strong> · https://health.example.org/conditions/myoclonus/" in handout
    )
    assert '<p class="printed-on" hidden>Printed <span class="printed-date"></span></p>' in handout
    revision = live.live_revision_id
    assert f"Revision {revision}" in handout
    staff_url = reverse("admin:conditions_condition_revision", args=[urgent_article.pk, revision])
    assert f"https://health.example.org{staff_url}" in handout
    assert "handout.js" in html


def test_the_handout_says_when_it_was_reviewed(client, urgent_article):
    services.record_review(condition=urgent_article, note="Checked")
    handout = html_of(client).split('<div class="handout">')[1].split("</div>")[0]
    assert "Last reviewed <time datetime=" in handout


def test_every_article_has_the_feedback_form(client, urgent_article):
    html = html_of(client)
    assert '<section class="feedback" id="feedback" aria-labelledby="feedback-title">' in html
    assert 'action="/conditions/myoclonus/feedback/"' in html
    # No per-visitor token: the page is the same for every reader
    # (cross-site posts are refused by origin, healthlib/lib/origin.py).
    assert "csrfmiddlewaretoken" not in html


def test_articles_link_to_the_topics_index_and_related_articles(client, urgent_article):
    factories.article("Essential tremor")
    other = factories.article("Restless legs")
    data = factories.article_data("Myoclonus", sections=3, tags=("Nervous system",))
    data["related"] = [{"id": other.pk, "slug": other.slug}]
    services.update_article(condition=urgent_article, data=data)
    services.publish(condition=urgent_article)
    html = html_of(client)
    assert 'href="/topics/"' in html.split('class="article-footer"')[1]
    assert 'href="/conditions/restless-legs/"' in html.split('class="article-footer"')[1]
