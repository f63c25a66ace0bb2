"""Scheduled publishing (conditions.services.schedule): an approved revision
goes live at its time, and only that revision."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from conditions import services
from conditions.models import Condition
from tests import factories
from tests.admin_forms import workflow_post

pytestmark = pytest.mark.django_db


def test_scheduled_publishing(reviewer_client, client):
    article = factories.article("Gout", publish=False)
    go_live = timezone.localtime(timezone.now() + datetime.timedelta(hours=1))
    response = workflow_post(
        reviewer_client,
        article,
        "publish",
        update_note="Scheduled.",
        reviewer_name="Ana",
        go_live_at=go_live.strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 302
    assert client.get("/conditions/gout/").status_code == 404
    # An edit after the approval does not go live with it.
    data = services.snapshots.take(article)
    data["summary"] = "Edited after approval."
    services.update_article(condition=article, data=data)

    call_command("publish_scheduled")
    assert client.get("/conditions/gout/").status_code == 404
    services.publish_scheduled(now=timezone.now() + datetime.timedelta(hours=2))
    html = client.get("/conditions/gout/").content.decode()
    assert "Scheduled." in html and "Edited after approval." not in html
    # Running again publishes nothing more.
    assert (
        services.publish_scheduled(now=timezone.now() + datetime.timedelta(hours=3)).published == []
    )


def test_a_scheduled_article_that_cannot_go_live_does_not_hold_back_the_others(capsys):
    later = timezone.now() + datetime.timedelta(minutes=5)
    blocked = factories.article("Gout", publish=False)
    fine = factories.article("Asthma", publish=False)
    services.publish(condition=blocked, go_live_at=later)
    services.publish(condition=fine, go_live_at=later + datetime.timedelta(minutes=1))
    # Meanwhile another article takes the address the first one will need.
    squatter = factories.article("Other", publish=True)
    Condition.objects.filter(source=squatter).update(slug="gout")

    run = services.publish_scheduled(now=later + datetime.timedelta(minutes=2))
    assert run.published == [fine]
    [(condition, reason)] = run.failed
    assert condition == blocked and "/conditions/gout/ is still used" in reason
    assert Condition.objects.live().filter(source=fine).exists()
    assert blocked.revisions.first().comment.startswith("Could not go live as scheduled")
    # The next run has nothing left to do, and fails on nothing.
    call_command("publish_scheduled")
    again = services.publish_scheduled(now=later + datetime.timedelta(minutes=3))
    assert again.published == [] and again.failed == []
