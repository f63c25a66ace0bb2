"""The project composes search: research summaries of sent editions are
searchable (the health library imports nothing from the newsletter:
``test_layering``)."""

import pytest

from conditions import search
from newsletter import editions
from newsletter.models import Edition, ResearchSummary

pytestmark = pytest.mark.django_db


def kinds_for(q):
    return [(hit.kind, hit.get_absolute_url()) for hit in search.search(q)[0:20]]


def test_a_sent_editions_summary_is_found(make_edition):
    edition = make_edition(status=Edition.Status.SENT, summaries=0)
    summary = ResearchSummary.objects.create(
        edition=edition, headline="Peanut allergy in infants", body="Early peanut helps."
    )
    assert ("research", summary.get_absolute_url()) in kinds_for("peanut")


def test_a_draft_editions_summary_is_not_found_until_sent(make_edition):
    edition = make_edition(summaries=0)
    ResearchSummary.objects.create(edition=edition, headline="Peanut allergy", body="Text.")
    assert kinds_for("peanut") == []
    editions.mark_sent(edition=edition)
    assert [k for k, _ in kinds_for("peanut")] == ["research"]


def test_a_deleted_summary_is_no_longer_found(make_edition):
    edition = make_edition(status=Edition.Status.SENT, summaries=0)
    summary = ResearchSummary.objects.create(edition=edition, headline="Peanut", body="x")
    summary.delete()
    assert kinds_for("peanut") == []


def test_search_page_labels_research_results(client, make_edition):
    edition = make_edition(status=Edition.Status.SENT, summaries=0)
    ResearchSummary.objects.create(
        edition=edition, headline="Peanut allergy", body="Babies given **peanut** early."
    )
    html = client.get("/search/", {"q": "peanut"}).content.decode()
    assert 'class="result-kind">Research summary</p>' in html
    assert "Research summaries (1)" not in html  # one kind only: no filter links
