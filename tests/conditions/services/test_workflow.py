"""Domain operations in conditions.services, called directly as commands,
the scheduler and the admin do: the scheduler's per-article transactions
and the publish gate a person must pass."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from conditions import services
from conditions.models import Condition, Revision
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_service_enforces_the_gate_for_people(reviewer):
    article = factories.article("Gout", publish=False)
    data = services.snapshots.take(article)
    data["sections"][0]["body"] = "[Gone](article:nowhere)"
    services.update_article(condition=article, data=data)
    with pytest.raises(services.GateClosed):
        services.publish(condition=article, user=reviewer)


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


def test_publish_scheduled_command_reports_failures_and_exits_non_zero():
    later = timezone.now() + datetime.timedelta(minutes=5)
    blocked = factories.article("Gout", publish=False)
    services.publish(condition=blocked, go_live_at=later)
    squatter = factories.article("Other", publish=True)
    Condition.objects.filter(source=squatter).update(slug="gout")
    Revision.objects.filter(condition=blocked).exclude(approved_go_live_at=None).update(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(CommandError, match="1 scheduled article"):
        call_command("publish_scheduled")
