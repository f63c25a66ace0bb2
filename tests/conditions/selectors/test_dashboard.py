"""Reads in conditions.selectors: one definition of "overdue for review",
shared by the review-due list, the dashboard and the article list."""

import datetime

import pytest
from django.contrib.auth.models import User

from conditions import selectors, services
from conditions.models import Condition
from tests import factories
from tests.factories import SMALL

pytestmark = pytest.mark.django_db


def test_overdue_has_one_definition():
    today = datetime.date(2026, 6, 1)
    for n, due in enumerate([today - datetime.timedelta(days=1), today, None]):
        data = factories.article_data(f"Due {n}", **SMALL)
        condition = services.create_article(data=data)
        services.publish(condition=condition)
        Condition.objects.filter(pk=condition.pk).update(next_review_due=due)
    overdue, soon = selectors.review_due(today=today)
    assert [c.title for c in overdue] == ["Due 0"]
    assert [c.title for c in soon] == ["Due 1"]
    assert list(Condition.objects.editable().review_overdue(today)) == overdue
    board = selectors.article_dashboard(User(pk=0), today=today)
    assert board.overdue == overdue and board.due_soon == soon
    assert (board.counts["overdue"], board.counts["due_soon"]) == (1, 1)
