"""Did you mean (conditions.search.suggestions): words and titles from what
is published."""

import pytest

from conditions import search
from tests.conditions.search.helpers import make

pytestmark = pytest.mark.django_db


def test_misspelt_query_offers_the_title(client, library):
    html = client.get("/search/", {"q": "myoclonis"}).content.decode()
    assert 'Did you mean <a href="/search/?q=Myoclonus">Myoclonus</a>?' in html


def test_suggestions_come_from_alternate_names_and_words(client, library):
    html = client.get("/search/", {"q": "essental tremmor"}).content.decode()
    assert "Did you mean" in html and ">Essential tremor</a>" in html
    assert search.did_you_mean("muscle jirks") == "Muscle jerks"
    assert search.did_you_mean("myoclonis involuntary") == "myoclonus involuntary"
    assert search.did_you_mean("myoclonus") is None
    assert search.did_you_mean("zzzzqqqq") is None


def test_suggestions_follow_publishing(client, library):
    assert search.did_you_mean("dystonai") is None
    make("Dystonia", "Muscles contract.")
    assert search.did_you_mean("dystonai") == "Dystonia"


def test_no_suggestion_when_enough_results(client):
    for n in range(3):
        make(f"Tremor kind {n}", "tremor")
    html = client.get("/search/", {"q": "tremor"}).content.decode()
    assert "Did you mean" not in html
