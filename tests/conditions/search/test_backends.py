"""Search as readers use it: /search/?q=… on whichever database runs the
suite (SQLite FTS5 by default, PostgreSQL with DATABASE_URL)."""

import pytest

from tests.conditions.search.helpers import found, make

pytestmark = pytest.mark.django_db


def test_title_match_ranks_first_even_against_many_body_mentions(client, library):
    assert found(client, "myoclonus") == ["myoclonus", "essential-tremor"]


def test_alternate_name_match_ranks_above_body_matches(client):
    make("Body only", "Jerking and jerking and more jerking of the legs, jerking.")
    make("Myoclonus", "Short text.", alternate_names="Jerking")
    assert found(client, "jerking") == ["myoclonus", "body-only"]


def test_english_stemming(client, library):
    assert "myoclonus" in found(client, "muscles")
    assert "myoclonus" in found(client, "twitching")  # the text says "twitch"
    assert found(client, "shakes") == ["essential-tremor"]  # "shaking"


def test_every_word_must_match(client, library):
    assert found(client, "myoclonus involuntary") == ["myoclonus"]
    assert found(client, "myoclonus wheezing") == []
    # Common words are ignored rather than required.
    assert found(client, "what is asthma") == ["asthma"]


def test_phrases_in_quotes(client):
    make("Together", "The muscle jerks at night.")
    make("Apart", "Jerks of a muscle at night.")
    assert sorted(found(client, "muscle jerks")) == ["apart", "together"]
    assert found(client, '"muscle jerks"') == ["together"]
    assert found(client, '"muscle jerks" night') == ["together"]


def test_drug_names_are_searchable(client, library):
    assert found(client, "clonazepam") == ["myoclonus"]
    assert found(client, "anticonvulsants") == ["myoclonus", "essential-tremor"]


def test_ranking_of_very_common_words_reads_only_the_head(client, monkeypatch):
    from conditions.search import backends

    monkeypatch.setattr(backends, "FULL_RANK_LIMIT", 2)
    make("Alpha", "tremor " * 30)
    make("Beta", "Mild tremor.", summary="A tremor of the hands.")
    make("Gamma", "Nothing.", drugs=["Tremorol"], alternate_names="")
    make("Tremor", "Short.")
    make("Delta", "The tremor.")
    ranked = found(client, "tremor")
    # Title first, then summary before body-only matches.
    assert ranked[:2] == ["tremor", "beta"]
    assert sorted(ranked) == ["alpha", "beta", "delta", "tremor"]
    assert found(client, '"mild tremor"') == ["beta"]
    html = client.get("/search/", {"q": "tremor"}).content.decode()
    assert "<mark>tremor</mark>" in html
