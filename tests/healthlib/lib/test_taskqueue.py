"""The task queue's helpers (healthlib.lib.taskqueue): configuration from
TASKS_URL, retries, tasks found by their dotted path, and RQ on Redis."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from healthlib.lib import taskqueue
from tests.paths import ROOT
from tests.services import redis_up

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", taskqueue.DATABASE_BACKEND),
        ("db://", taskqueue.DATABASE_BACKEND),
        ("redis://127.0.0.1:6379/2", taskqueue.RQ_BACKEND),
        ("rediss://user:pw@queue.example.org:6380", taskqueue.RQ_BACKEND),
    ],
)
def test_tasks_url_selects_the_backend(url, backend):
    tasks, rq_queues = taskqueue.settings_from_url(url)
    assert tasks["default"]["BACKEND"] == backend
    assert (rq_queues is not None) == (backend == taskqueue.RQ_BACKEND)
    if rq_queues:
        assert rq_queues["default"]["URL"] == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("amqp://127.0.0.1", "unknown scheme “amqp”"),
        ("redis://", "no host"),
        ("redis://127.0.0.1:63x79/2", "port"),
        ("redis://127.0.0.1:6379/two", "must be a number"),
        ("127.0.0.1:6379", "unknown scheme"),
    ],
)
def test_a_misconfigured_tasks_url_is_refused_with_a_reason(url, reason):
    with pytest.raises(taskqueue.BadTasksURL, match=reason):
        taskqueue.settings_from_url(url)


def test_a_misconfigured_tasks_url_stops_start_up_with_one_line():
    env = {**os.environ, "TASKS_URL": "amqp://127.0.0.1/", "DJANGO_DEBUG": "1",
           "DJANGO_SETTINGS_MODULE": "healthlib.settings"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "healthlib: TASKS_URL: unknown scheme “amqp”; use redis://host:port/N, or leave it empty"
        " for the database queue"
    ]


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_recorded_with_its_error_and_retried_later(settings, monkeypatch):
    from conditions import tasks

    settings.TASKS = DB_TASKS

    def down(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", down)
    tasks.send_notification.enqueue("Subject", "Body", ["a@example.org"])
    from django.core.management import call_command

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    [failed] = DBTaskResult.objects.failed()
    assert "mail server down" in failed.task_result.errors[0].traceback
    assert not DBTaskResult.objects.ready().exists()  # not due yet
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now() + timedelta(seconds=50)  # backoff, not at once

    monkeypatch.undo()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert [m.subject for m in mail.outbox] == ["Subject"]


@pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379 (RQ backend not tested)")
@pytest.mark.django_db(transaction=True)
def test_rq_on_redis_runs_tasks(settings):
    """TASKS_URL=redis://…: tasks go through Redis (its own database, emptied)
    and an RQ worker runs them."""
    import django_rq
    import django_rq.queues
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    from conditions import tasks

    url = settings.RQ_TEST_URL
    settings.TASKS, settings.RQ_QUEUES = taskqueue.settings_from_url(url)
    try:
        django_rq.queues.get_redis_connection(settings.RQ_QUEUES["default"]).flushdb()
        result = tasks.send_notification.enqueue("Via Redis", "Body", ["a@example.org"])
        assert result.backend == "default"
        queue = django_rq.get_queue("default", job_class=Job)
        assert queue.count == 1
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        assert [m.subject for m in mail.outbox] == ["Via Redis"]
    finally:
        django_rq.queues.get_redis_connection(settings.RQ_QUEUES["default"]).flushdb()


def test_a_task_is_found_by_its_dotted_path_and_nothing_else_is():
    from conditions import tasks

    assert taskqueue.task_named("conditions.tasks.send_notification") is tasks.send_notification
    with pytest.raises(TypeError):
        taskqueue.task_named("healthlib.lib.taskqueue.stale_after")
