"""Readers' newsletter pages (newsletter.views): the archive, editions,
drafts hidden, fixed addresses kept, and the research cards."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsletter.models import Edition
from tests import factories

pytestmark = pytest.mark.django_db


SENT = Edition.Status.SENT


def test_newsletter_page_has_form_and_archive_newest_first(client, make_edition):
    make_edition("January", status=SENT, issue_date=datetime.date(2015, 1, 1))
    make_edition("March", status=SENT, issue_date=datetime.date(2015, 3, 1))
    make_edition("February", status=SENT, issue_date=datetime.date(2015, 2, 1))
    make_edition("Next month draft", issue_date=datetime.date(2015, 4, 1))
    html = client.get("/newsletter/").content.decode()
    assert '<label for="newsletter-email">Email address</label>' in html
    assert "csrfmiddlewaretoken" not in html  # see healthlib/lib/origin.py
    assert html.index("March") < html.index("February") < html.index("January")
    assert "Next month draft" not in html
    assert "March 2015" in html


def test_archive_is_paginated(client, make_edition):
    for i in range(30):
        make_edition(f"Old edition {i:02d}", status=SENT, summaries=0)
    first = client.get("/newsletter/").content.decode()
    second = client.get("/newsletter/?page=2").content.decode()
    assert first.count("Old edition") == 24 and second.count("Old edition") == 6
    assert 'rel="next"' in first


def test_edition_page_shows_summaries_with_sources_and_live_related_articles(client, make_edition):
    published = factories.article("Food allergy")
    unpublished = factories.article("Secret draft article", publish=False)
    edition = make_edition("March 2015", status=SENT, summaries=2)
    summary = edition.summaries.first()
    summary.related_articles.add(published, unpublished)
    summary.tags.add("Allergies")
    html = client.get(f"/newsletter/{edition.slug}/").content.decode()
    assert "<h1>March 2015</h1>" in html
    assert "Researchers found <strong>something</strong>" in html
    assert "https://doi.org/10.1056/test." in html
    assert '<a href="/conditions/food-allergy/">Food allergy</a>' in html
    assert "Secret draft article" not in html
    assert "Allergies" in html
    assert f'id="summary-{summary.pk}"' in html


def test_draft_editions_are_hidden_from_readers_not_from_staff(client, admin_client, make_edition):
    draft = make_edition("Not yet")
    assert client.get(f"/newsletter/{draft.slug}/").status_code == 404
    response = admin_client.get(f"/newsletter/{draft.slug}/")
    assert response.status_code == 200
    assert "Draft." in response.content.decode()


def test_fixed_addresses_are_not_taken_for_edition_slugs(client, newsletter, make_edition):
    for word in ("feed", "confirm", "unsubscribe"):
        edition = Edition(newsletter=newsletter, title=word, slug=word)
        with pytest.raises(ValidationError, match="used by another page"):
            edition.full_clean()
    make_edition(status=SENT)
    response = client.get("/newsletter/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")


def test_edition_page_query_count_does_not_grow(
    client, make_edition, django_assert_max_num_queries
):
    small = make_edition(status=SENT, summaries=1)
    big = make_edition(status=SENT, summaries=20)
    articles = [factories.article(f"Linked {i}", sections=1, groups=0) for i in range(3)]
    for summary in big.summaries.all():
        summary.related_articles.add(*articles)
        summary.tags.add("One", "Two")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/newsletter/{small.slug}/")
    with django_assert_max_num_queries(4):
        response = client.get(f"/newsletter/{big.slug}/")
    assert response.content.decode().count('href="/conditions/linked-') == 60
    assert len(few) >= 3


def test_research_cards_always_show_a_line_of_text(client, make_edition):
    import datetime

    from newsletter.models import Edition, ResearchSummary

    edition = make_edition(status=Edition.Status.SENT, summaries=0, title="March 2015")
    ResearchSummary.objects.create(
        edition=edition, order=0, headline="With text", body="First sentence. Second one."
    )
    ResearchSummary.objects.create(
        edition=edition,
        order=1,
        headline="Source only",
        journal="Pediatrics",
        source_date=datetime.date(2015, 2, 1),
    )
    ResearchSummary.objects.create(edition=edition, order=2, headline="Nothing else")
    html = client.get("/").content.decode()
    assert "<p>First sentence.</p>" in html
    assert "<p>Published in Pediatrics, February 2015.</p>" in html
    assert "<p>From the March 2015 newsletter.</p>" in html
