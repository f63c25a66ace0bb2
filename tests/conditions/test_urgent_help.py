"""“When to get urgent help”: a section kind shown first, as a callout with
the emergency number (EMERGENCY_NUMBER), carried in the API and JSON-LD."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from conditions import selectors, services
from tests import factories
from tests.conditions.api.test_views import check, openapi  # noqa: F401
from tests.conditions.pages.test_seo import jsonld

pytestmark = pytest.mark.django_db

URGENT = "Call if the jerks come with a seizure or trouble breathing."


@pytest.fixture
def article(settings):
    settings.EMERGENCY_NUMBER = "112"
    data = factories.article_data("Myoclonus", sections=3)
    # Written last, shown first.
    data["sections"].append({"kind": "urgent_help", "heading": "", "body": URGENT, "order": 99})
    condition = services.create_article(data=data)
    services.publish(condition=condition)
    condition.refresh_from_db()
    return condition


def test_urgent_help_comes_first_whatever_its_order(article):
    page = selectors.article_page(article.live_copy)
    assert page.sections[0].kind == "urgent_help"
    assert [s.kind for s in page.urgent_help] == ["urgent_help"]
    assert page.sections[0].display_heading == "When to get urgent help"


def test_the_api_carries_it_with_the_emergency_number(client, article, check):  # noqa: F811
    data = check(client.get("/api/conditions/myoclonus/"), "/api/conditions/{slug}/")
    [urgent] = data["urgent_help"]
    assert urgent["heading"] == "When to get urgent help"
    assert urgent["emergency_number"] == "112"
    assert URGENT in urgent["markdown"]
    assert data["sections"][0]["kind"] == "urgent_help"


def test_an_article_without_it_has_an_empty_list(client, check):  # noqa: F811
    factories.article("Asthma")
    assert (
        check(client.get("/api/conditions/asthma/"), "/api/conditions/{slug}/")["urgent_help"] == []
    )


def test_the_json_ld_carries_it(client, article):
    data = jsonld(client.get("/conditions/myoclonus/").content.decode())
    [part] = data["hasPart"]
    assert part["@type"] == "WebPageElement"
    assert part["name"] == "When to get urgent help"
    assert URGENT in part["text"] and "112" in part["text"]
    assert part["cssSelector"].startswith("#section-99-urgent-help")


def test_staff_open_the_revision_a_handout_names(client, article):
    staff = User.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(staff)
    url = reverse(
        "admin:conditions_condition_revision", args=[article.pk, article.live_revision_id]
    )
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Revision <strong>{article.live_revision_id}</strong>" in html
    assert "Readers see this revision now." in html
    assert html.index("When to get urgent help") < html.index("Definition")
    # Not for readers.
    client.logout()
    assert client.get(url).status_code == 302
