"""Search as readers use it: /search/?q=… on whichever database runs the
suite (SQLite FTS5 by default, PostgreSQL with DATABASE_URL)."""

import re
from io import StringIO

import pytest

from conditions import search, services
from tests import factories

pytestmark = pytest.mark.django_db


def make(title, body="", *, summary="", alternate_names="", drugs=(), publish=True):
    data = factories.article_data(
        title,
        sections=0,
        groups=0,
        references=0,
        organizations=0,
        tags=(),
        summary=summary,
        alternate_names=alternate_names,
    )
    data["sections"] = [{"kind": "definition", "heading": "", "body": body, "order": 0}]
    if drugs:
        data["drug_groups"] = [
            {"heading": "Anticonvulsants", "order": 0, "drugs": [factories.drug(d) for d in drugs]}
        ]
    condition = services.create_article(data=data)
    if publish:
        services.publish(condition=condition)
        condition.refresh_from_db()
    return condition


def slugs(response):
    assert response.status_code == 200
    return re.findall(
        r'class="result-title"><a href="/conditions/([\w-]+)/"', response.content.decode()
    )


def found(client, q, **params):
    return slugs(client.get("/search/", {"q": q, **params}))


@pytest.fixture
def library():
    make(
        "Myoclonus",
        "Myoclonus is a quick, involuntary muscle jerk. It can be a twitch or a spasm.",
        summary="Sudden muscle jerks you cannot control.",
        alternate_names="Muscle jerks\nJerking",
        drugs=["Clonazepam", "Levetiracetam"],
    )
    make(
        "Essential tremor",
        "Essential tremor causes shaking of the hands. It is not myoclonus, though myoclonus "
        "and tremor are both movement disorders; myoclonus is briefer. Myoclonus, myoclonus.",
        summary="Shaking hands, often in families.",
        drugs=["Propranolol"],
    )
    make(
        "Asthma",
        "Asthma narrows the airways. Cough and wheezing get worse at night.",
        summary="A long-term lung condition.",
    )


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


def test_markdown_syntax_and_link_targets_are_not_indexed(client):
    make("Linked", "See [the institute](https://www.ninds.nih.gov/whatever) for **more**.")
    assert found(client, "institute") == ["linked"]
    assert found(client, "ninds") == []
    assert found(client, "whatever") == []


HOSTILE = [
    '"',
    '""',
    '"myoclonus',
    "AND(",
    "myoclonus AND(",
    "*",
    "myoclonus*",
    "NEAR(",
    "NEAR(myoclonus jerk, 2)",
    "myoclonus\x00jerk",
    "\x00",
    "x" * 600,
    "myoclonus " * 60,
    "title:myoclonus",
    "{title}: myoclonus",
    "^myoclonus",
    "-myoclonus",
    "myoclonus OR asthma",
    "NOT myoclonus",
    "'; DROP TABLE conditions_condition; --",
    "%_%",
    "\\",
    "(((",
    "<script>alert(1)</script>",
    "🙂 myoclonus",
    "münchhausen",
    "a:b:c",
    "+",
    "&",
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_never_error(client, library, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    for page in ("2", "-1", "x", "99999999999999999999"):
        assert client.get("/search/", {"q": q, "page": page}).status_code == 200


def test_hostile_queries_still_find_what_they_name(client, library):
    assert found(client, "myoclonus*") == ["myoclonus", "essential-tremor"]
    assert found(client, "AND( myoclonus") == ["myoclonus", "essential-tremor"]  # "and" dropped
    assert found(client, "myoclonus\x00involuntary") == ["myoclonus"]
    assert found(client, '"muscle jerk') == ["myoclonus"]


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


def test_empty_results_point_to_the_az_index(client, library):
    html = client.get("/search/", {"q": "zebrafish"}).content.decode()
    assert "Nothing matches “zebrafish”." in html
    assert 'href="/conditions/"' in html
    assert 'href="/conditions/?letter=m"' in html  # the letters that have articles
    assert 'href="/conditions/?letter=z"' not in html
    make("Zoster", "Shingles.")
    html = client.get("/search/", {"q": "zebrafish"}).content.decode()
    assert 'href="/conditions/?letter=z"' in html


def test_search_page_without_query_shows_the_form(client):
    response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="search-page-q"' in html
    assert 'role="search"' in html
    assert "No articles match" not in html


def test_results_are_paginated(client):
    for n in range(23):
        make(f"Condition {n:02d}", "A rash that itches.")
    page1 = found(client, "rash")
    assert len(page1) == 10
    html = client.get("/search/", {"q": "rash", "page": 3}).content.decode()
    assert len(slugs(client.get("/search/", {"q": "rash", "page": 3}))) == 3
    assert "23 results found, page 3 of 3" in html
    assert 'href="?q=rash&amp;page=2" rel="prev"' in html
    all_pages = page1 + found(client, "rash", page=2) + found(client, "rash", page=3)
    assert len(set(all_pages)) == 23


def test_index_follows_publishing_at_once(client):
    draft = make("Chorea", "Dance-like movements.", publish=False)
    assert found(client, "chorea") == []
    services.publish(condition=draft)
    assert found(client, "chorea") == ["chorea"]

    # An edit is not searchable until it is published.
    data = factories.article_data("Chorea", sections=0, groups=0, references=0, tags=())
    data["sections"] = [{"kind": "definition", "heading": "", "body": "Writhing.", "order": 0}]
    data["title"], data["slug"] = "Huntington chorea", "huntington-chorea"
    draft = services.update_article(condition=draft, data=data)
    assert found(client, "writhing") == []
    services.publish(condition=draft)
    assert found(client, "writhing") == ["huntington-chorea"]
    assert found(client, "dance") == []

    services.unpublish(condition=draft)
    assert found(client, "chorea") == []
    assert found(client, "writhing") == []


def test_archived_and_draft_articles_are_never_found(client):
    gone = make("Obsolete syndrome", "Old text.")
    make("Unreleased syndrome", "New text.", publish=False)
    services.archive(condition=gone)
    assert found(client, "syndrome") == []


def test_search_page_query_budget(client, library, django_assert_max_num_queries):
    # Count, counts of the other kinds, page, snippets, and the names for
    # "did you mean" (few results); PostgreSQL adds one SET LOCAL before each
    # of the first three.
    for n in range(30):
        make(f"Myoclonus type {n}", "myoclonus " * 5)
    with django_assert_max_num_queries(8):
        assert client.get("/search/", {"q": "myoclonus", "page": 2}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/search/", {"q": "myoclonis"}).status_code == 200


def test_rebuild_command_indexes_every_live_article(client):
    from django.core.management import call_command

    from conditions.models import SearchDocument

    make("Chorea", "Dance-like movements.")
    make("Dystonia", "Twisting.")
    make("Draft only", "Hidden.", publish=False)
    SearchDocument.objects.all().delete()
    assert found(client, "movements") == []
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue().strip() == "Indexed 2 published article(s)."
    assert found(client, "movements") == ["chorea"]
    assert found(client, "hidden") == []


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


def test_snippet_finds_a_match_deep_in_a_long_article(client):
    make("Long read", "Filler words about nothing. " * 400 + "Then the twitches begin, rarely.")
    html = client.get("/search/", {"q": "twitching"}).content.decode()
    snippet = html.split('class="snippet">')[1].split("</p>")[0]
    assert "<mark>twitches</mark>" in snippet
