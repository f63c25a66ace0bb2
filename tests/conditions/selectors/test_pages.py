"""Readers' pages' reads (conditions.selectors.pages): query budgets on the
hot pages, with realistically large content, and urgent help first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions import selectors
from healthlib.lib import pagecache
from tests import factories

pytestmark = pytest.mark.django_db


def test_article_page_query_budget(client, big_article, django_assert_max_num_queries):
    small = factories.article("Small condition", sections=1, groups=1, references=1)
    pagecache.clear()  # measure rendering, not the page cache
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(small.get_absolute_url()).status_code == 200
    # The page was rendered when it went live: one row and related research.
    with django_assert_max_num_queries(3):
        response = client.get("/conditions/big-condition/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="drug-list"') == 6
    assert html.count("<figure") == 5
    # The count does not grow with the article's size.
    pagecache.clear()
    with CaptureQueriesContext(connection) as big_queries:
        client.get("/conditions/big-condition/")
    assert len(big_queries) == len(small_queries)
    # And a cached page needs no query at all.
    with django_assert_max_num_queries(0):
        assert client.get("/conditions/big-condition/")["X-Page-Cache"] == "hit"


def test_az_page_query_budget(client, django_assert_max_num_queries):
    from conditions.models import Condition

    base = factories.article("Aardvark fever", sections=1, groups=0, references=0)
    live = Condition.objects.live().get(source=base)
    # 500 live articles, made directly: publishing each would be slow.
    rows = []
    for i in range(500):
        rows.append(Condition(title=f"Condition {i:03d}", slug=f"c-{i}", status="published"))
    Condition.objects.bulk_create(rows)
    created = Condition.objects.editable().filter(slug__startswith="c-")
    Condition.objects.bulk_create(
        Condition(
            title=c.title,
            slug=c.slug,
            is_live=True,
            source=c,
            status="published",
            alternate_names=f"Other name {c.slug}",
        )
        for c in created
    )
    assert live.title == "Aardvark fever"
    with django_assert_max_num_queries(5):
        response = client.get("/conditions/?letter=c")
    assert response.status_code == 200
    assert response.content.decode().count('href="/conditions/c-') == 500
    pagecache.clear()
    with django_assert_max_num_queries(5):
        assert client.get("/conditions/?letter=o").status_code == 200


def test_urgent_help_comes_first_whatever_its_order(urgent_article):
    page = selectors.article_page(urgent_article.live_copy)
    assert page.sections[0].kind == "urgent_help"
    assert [s.kind for s in page.urgent_help] == ["urgent_help"]
    assert page.sections[0].display_heading == "When to get urgent help"


def test_topic_index_query_budget(client, django_assert_max_num_queries):
    for i in range(20):
        factories.article(f"Condition {i}", tags=[f"Topic {i}", "Shared"], sections=1)
    from healthlib.lib import pagecache

    pagecache.clear()
    with django_assert_max_num_queries(3):
        assert client.get("/topics/").status_code == 200
