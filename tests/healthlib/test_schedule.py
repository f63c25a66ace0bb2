"""The worker-side schedule (healthlib.schedule): each job enqueued once per
period, whichever worker looks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from healthlib import schedule
from healthlib.models import ScheduledJob


@pytest.mark.django_db
def test_the_schedule_enqueues_each_job_once_per_period_across_workers():
    ran = []
    job = schedule.Job("test-job", "tests.healthlib.test_schedule.noted", timedelta(minutes=1))
    noted.ran = ran
    now = timezone.now()
    assert schedule.enqueue_due(now=now, schedule=[job]) == ["test-job"]
    # A second worker checking at the same moment does nothing.
    assert schedule.enqueue_due(now=now + timedelta(seconds=5), schedule=[job]) == []
    assert schedule.enqueue_due(now=now + timedelta(seconds=61), schedule=[job]) == ["test-job"]
    assert len(ran) == 2
    assert ScheduledJob.objects.get(name="test-job").last_enqueued_at == now + timedelta(seconds=61)


class _Noted:
    ran = []

    def enqueue(self):
        self.ran.append(1)


noted = _Noted()


@pytest.mark.django_db
def test_scheduled_publishing_runs_from_the_schedule(django_capture_on_commit_callbacks):
    from conditions.models import Condition
    from tests import factories

    condition = factories.article("Scheduled", publish=False)
    revision = condition.latest_revision
    revision.__class__.objects.filter(pk=revision.pk).update(
        approved_go_live_at=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert "publish-scheduled" in schedule.enqueue_due()
    assert Condition.objects.live().filter(slug="scheduled").exists()
