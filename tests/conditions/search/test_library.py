"""Search finds drugs and topics as well as articles, ranked together,
with counts by kind and a filter; snippets start at the matched words.
Runs on whichever database the suite uses (SQLite FTS5 or PostgreSQL)."""

import re

import pytest
from taggit.models import Tag

from conditions import search, services
from conditions.models import Drug, SearchDocument
from conditions.search import highlight
from tests import factories
from tests.conditions.search.helpers import make

pytestmark = pytest.mark.django_db


def hits(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return re.findall(
        r'class="result result-(\w+)">\s*<p class="result-kind">[^<]*</p>\s*'
        r'<h2 class="result-title"><a href="([^"]+)"',
        response.content.decode(),
    )


def test_a_drug_listed_by_a_published_article_is_found(client):
    make("Myoclonus", "Quick muscle jerks.", drugs=["Clonazepam"])
    assert ("drug", "/drugs/clonazepam/") in hits(client, "clonazepam")


def test_a_drug_is_found_by_its_description_and_group(client):
    make("Myoclonus", "Quick muscle jerks.", drugs=["Clonazepam"])
    drug = Drug.objects.get(slug="clonazepam")
    drug.side_effects = "Drowsiness\nUnsteadiness"
    drug.save()
    assert hits(client, "unsteadiness") == [("drug", "/drugs/clonazepam/")]
    # The group heading it is listed under ("Anticonvulsants") is its class.
    assert ("drug", "/drugs/clonazepam/") in hits(client, "anticonvulsants")


def test_a_drug_only_in_drafts_is_not_found(client):
    make("Draft only", "Text.", drugs=["Secretazepam"], publish=False)
    assert hits(client, "secretazepam") == []


def test_unpublishing_the_last_article_removes_the_drug(client):
    condition = make("Myoclonus", "Quick muscle jerks.", drugs=["Clonazepam"])
    services.unpublish(condition=condition)
    assert hits(client, "clonazepam") == []


def test_a_topic_is_found_and_counts_its_articles(client):
    data = factories.article_data("Myoclonus", tags=("Nervous system",))
    services.publish(condition=services.create_article(data=data))
    found = hits(client, "nervous")
    tag = Tag.objects.get(name="Nervous system")
    assert ("topic", f"/topics/{tag.slug}/") in found
    html = client.get("/search/", {"q": "nervous system", "kind": "topic"}).content.decode()
    assert "1 article: Myoclonus" in html


def test_counts_by_kind_and_the_filter(client):
    make("Clonazepam withdrawal", "Stopping clonazepam.", drugs=["Clonazepam"])
    html = client.get("/search/", {"q": "clonazepam"}).content.decode()
    assert "All results (2)" in html
    assert 'kind=article">Articles (1)</a>' in html
    assert 'kind=drug">Drugs (1)</a>' in html
    assert hits(client, "clonazepam", kind="drug") == [("drug", "/drugs/clonazepam/")]
    assert [k for k, _ in hits(client, "clonazepam", kind="article")] == ["article"]


@pytest.mark.parametrize("kind", ["nonsense", "' OR 1=1 --", "article\x00", "x" * 500])
def test_an_unknown_kind_means_every_kind(client, kind):
    make("Myoclonus", "Quick muscle jerks.", drugs=["Clonazepam"])
    assert len(hits(client, "clonazepam", kind=kind)) == 2


def test_snippets_start_at_the_matched_words_not_the_heading(client):
    make("Myoclonus", "Some words come first here. Then myoclonus jerks happen suddenly.")
    html = client.get("/search/", {"q": "jerks"}).content.decode()
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert snippet.startswith("…<mark>jerks</mark>")
    assert "Definition" not in snippet


def test_from_first_mark():
    s, e = highlight.START, highlight.STOP
    assert highlight.from_first_mark(f"Definition Myo {s}jerk{e} x") == f"…{s}jerk{e} x"
    assert highlight.from_first_mark(f"{s}jerk{e} x") == f"{s}jerk{e} x"
    assert highlight.from_first_mark("no mark") == "no mark"


def test_rebuild_indexes_every_kind():
    make("Myoclonus", "Quick muscle jerks.", drugs=["Clonazepam"])
    SearchDocument.objects.all().delete()
    assert search.rebuild() == 2
    assert set(SearchDocument.objects.values_list("kind", flat=True)) == {"article", "drug"}
    assert search.search("clonazepam").count() == 2


def test_a_renamed_drug_is_found_under_its_new_name(client):
    make("Myoclonus", "Quick muscle jerks.", drugs=["Clonazepam"])
    drug = Drug.objects.get(slug="clonazepam")
    drug.other_names = "Klonopin"
    drug.save()
    assert ("drug", "/drugs/clonazepam/") in hits(client, "klonopin")


def test_an_article_found_by_a_drug_it_lists_says_so(client):
    make("Myoclonus", "Quick muscle jerks.", drugs=["Clonazepam", "Levetiracetam"])
    html = client.get("/search/", {"q": "clonazepam", "kind": "article"}).content.decode()
    assert '<p class="also">Lists: <mark>Clonazepam</mark></p>' in html


def test_a_page_of_one_kind_says_so_in_its_title(client):
    make("Myoclonus", "Quick muscle jerks.", drugs=["Clonazepam"])
    html = client.get("/search/", {"q": "clonazepam", "kind": "drug"}).content.decode()
    assert "<title>Search: clonazepam (Drugs) · healthlib</title>" in html
