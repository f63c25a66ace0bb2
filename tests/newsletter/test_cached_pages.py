"""The library's cached pages that show research (newsletter.cached_pages):
refreshed when an edition is sent."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_sending_an_edition_refreshes_cached_article_and_home_pages(client, make_edition):
    factories.article("Peanut allergy", sections=1)
    article = factories.article("Asthma", sections=1)
    client.get("/")
    client.get("/conditions/asthma/")  # both cached now
    edition = make_edition("Breakthrough", summaries=1)
    summary = edition.summaries.get()
    summary.headline = "Inhalers help"
    summary.save()
    summary.related_articles.add(article)
    assert "Inhalers help" not in client.get("/conditions/asthma/").content.decode()

    from newsletter import editions

    editions.mark_sent(edition=edition)
    assert "Inhalers help" in client.get("/conditions/asthma/").content.decode()
    assert "Inhalers help" in client.get("/").content.decode()

    # Later edits to a sent edition's summaries show too.
    summary.headline = "Inhalers help a lot"
    summary.save()
    assert "Inhalers help a lot" in client.get("/conditions/asthma/").content.decode()
    summary.related_articles.remove(article)
    assert "Inhalers help" not in client.get("/conditions/asthma/").content.decode()
