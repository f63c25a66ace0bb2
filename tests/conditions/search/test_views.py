"""The search page (conditions.search.views): the form, the results' pages,
the way to the A to Z, and its query budget."""

import pytest

from tests.conditions.search.helpers import found, make, slugs

pytestmark = pytest.mark.django_db


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
