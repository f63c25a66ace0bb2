"""Research on the library's pages (newsletter.selectors): the latest on the
home page, related summaries on an article, in one more query."""

import pytest

from newsletter.models import Edition
from tests import factories

pytestmark = pytest.mark.django_db


SENT = Edition.Status.SENT


def test_home_page_shows_latest_research_and_a_signup_box(client, make_edition):
    factories.article("Anything", sections=1)
    make_edition("Sent one", status=SENT)
    make_edition("Draft one")
    html = client.get("/").content.decode()
    assert "Current research from top journals" in html
    assert "Finding" in html
    assert html.count("Finding") == 1  # the draft's summary is not shown
    assert 'class="newsletter-signup"' in html
    assert 'action="/newsletter/"' in html
    assert "csrfmiddlewaretoken" not in html  # the same page for every reader


def test_article_shows_related_summaries_and_signup_box_in_one_more_query(
    client, make_edition, django_assert_max_num_queries
):
    article = factories.article(
        "Peanut allergy", sections=40, groups=6, drugs_per_group=10, references=30
    )
    edition = make_edition("March 2015", status=SENT, summaries=3)
    for summary in edition.summaries.all():
        summary.related_articles.add(article)
    draft = make_edition("Draft", summaries=1)
    draft.summaries.get().related_articles.add(article)
    with django_assert_max_num_queries(10):
        response = client.get("/conditions/peanut-allergy/")
    html = response.content.decode()
    assert "Research about this condition" in html
    assert html.count(f'href="/newsletter/{edition.slug}/#summary-') == 3
    assert f"/newsletter/{draft.slug}/" not in html
    assert 'class="newsletter-signup"' in html


def test_article_without_related_research_shows_only_the_box(client):
    factories.article("Lonely", sections=1)
    html = client.get("/conditions/lonely/").content.decode()
    assert "Research about this condition" not in html
    assert "Our free newsletter" in html
