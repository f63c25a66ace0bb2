"""The admin's index warns when no task worker has been seen lately
(TASKS_WORKER_MISSING_SECONDS, 3 minutes by default): emails, sending and
scheduled publishing silently wait for one otherwise."""

from datetime import timedelta

import pytest
from django.utils import timezone

from healthlib import workers
from healthlib.lib import taskqueue
from healthlib.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

WARNING = "No task worker has been seen"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": taskqueue.DATABASE_BACKEND, "QUEUES": ["default"]}}


def _index(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_worker_gone_for_five_minutes_is_announced(admin_client, database_queue):
    WorkerHeartbeat.objects.create(worker_id="a", beat_at=timezone.now() - timedelta(minutes=20))
    WorkerHeartbeat.objects.create(worker_id="b", beat_at=timezone.now() - timedelta(minutes=5))
    page = _index(admin_client)
    assert f"{WARNING} for 5 minutes" in page
    assert "manage.py worker" in page


def test_no_worker_ever_is_announced(admin_client, database_queue):
    assert f"{WARNING} yet." in _index(admin_client)


def test_a_worker_seen_lately_is_no_news(admin_client, database_queue, settings):
    WorkerHeartbeat.objects.create(worker_id="a", beat_at=timezone.now() - timedelta(minutes=2))
    assert WARNING not in _index(admin_client)
    settings.TASKS_WORKER_MISSING_SECONDS = 60  # a stricter site
    assert f"{WARNING} for 2 minutes" in _index(admin_client)


def test_on_rq_too(admin_client, settings):
    settings.TASKS, settings.RQ_QUEUES = taskqueue.settings_from_url(settings.RQ_TEST_URL)
    assert WARNING in _index(admin_client)
    workers.beat("rq-worker")
    assert WARNING not in _index(admin_client)


def test_tasks_run_at_once_need_no_worker(admin_client):
    # The test settings' immediate backend.
    assert WARNING not in _index(admin_client)
