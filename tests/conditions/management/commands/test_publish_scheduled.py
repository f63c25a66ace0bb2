"""manage.py publish_scheduled: a failure is reported, and the command exits
non-zero."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from conditions import services
from conditions.models import Condition, Revision
from tests import factories

pytestmark = pytest.mark.django_db


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
