"""The article list's filters and columns (conditions.admin.filters): by
reading grade."""

import pytest
from django.urls import reverse

from conditions import services
from conditions.models import Condition
from tests import factories
from tests.factories import HARD


@pytest.mark.django_db
def test_article_list_sorts_and_filters_by_reading_grade(admin_client):
    easy = factories.article("Easy", publish=False)
    hard = factories.article("Hard", publish=False, sections=1)
    data = services.snapshots.take(hard)
    data["sections"][0]["body"] = HARD + " " + HARD
    services.update_article(condition=hard, data=data)
    url = reverse("admin:conditions_condition_changelist")
    page = admin_client.get(url, {"reading": "above"}).content.decode()
    assert "(above target)" in page and ">Hard<" in page and ">Easy<" not in page
    page = admin_client.get(url, {"o": "-3"})
    titles = [c.title for c in page.context["cl"].result_list]
    assert titles.index("Hard") < titles.index("Easy")
    assert Condition.objects.get(pk=easy.pk).reading_grade < 8
