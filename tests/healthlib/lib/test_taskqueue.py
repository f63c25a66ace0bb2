"""The task queue's configuration, retries, the worker-side schedule, and
RQ on Redis."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from healthlib import schedule, workers
from healthlib.lib import taskqueue
from healthlib.models import ScheduledJob
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


@pytest.mark.django_db
def test_the_schedule_enqueues_each_job_once_per_period_across_workers():
    ran = []
    job = schedule.Job("test-job", "tests.healthlib.lib.test_taskqueue.noted", timedelta(minutes=1))
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


@pytest.mark.django_db(transaction=True)
def test_only_tasks_of_dead_workers_go_back_to_the_queue_and_not_forever(settings):
    """A task left *Running* by a worker whose heartbeat stopped is handed
    back; one whose worker still beats is left alone however long it runs;
    after its workers died TASKS_MAX_RUNS times a task is recorded failed.
    (The real killed worker is in tests/newsletter/test_workers.py.)"""
    from django.core.management import call_command

    from conditions import tasks

    settings.TASKS = DB_TASKS
    settings.TASKS_STALE_SECONDS = 60
    settings.TASKS_MAX_RUNS = 2
    now = timezone.now()
    workers.beat("dead", now=now - timedelta(seconds=61))
    workers.beat("alive", now=now - timedelta(seconds=5))

    def running(subject, worker_ids):
        result = tasks.send_notification.enqueue(subject, "Body", ["editor@example.org"])
        row = DBTaskResult.objects.get(pk=result.id)
        for worker_id in worker_ids:
            row.claim(worker_id)
        return row.pk

    lost = running("Lost", ["dead"])
    slow = running("Slow", ["alive"])
    doomed = running("Doomed", ["dead", "dead"])
    requeued, failed = workers.recover_abandoned(now=now)
    assert (requeued, failed) == ([lost], [doomed])
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {lost: "READY", slow: "RUNNING", doomed: "FAILED"}
    assert "its worker stopped while running it 2 times" in (
        DBTaskResult.objects.get(pk=doomed).traceback
    )
    # Running it again finds nothing more to recover, and a worker sends it.
    assert workers.recover_abandoned(now=now) == ([], [])
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert [m.subject for m in mail.outbox] == ["Lost"]
    # Every worker's schedule runs the recovery.
    assert "healthlib.tasks.recover_abandoned_tasks" in [job.task for job in schedule.jobs()]


@pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379 (RQ backend not tested)")
@pytest.mark.django_db
def test_on_rq_a_task_whose_workers_keep_dying_is_given_up(settings):
    """After TASKS_MAX_RUNS lost workers, an RQ job stays failed, once."""
    import django_rq
    import django_rq.queues
    from django.utils import timezone
    from django_tasks_rq.backend import Job
    from rq.executions import Execution
    from rq.job import JobStatus

    from conditions import tasks

    url = settings.RQ_TEST_URL
    settings.TASKS, settings.RQ_QUEUES = taskqueue.settings_from_url(url)
    settings.TASKS_MAX_RUNS = 2
    redis = django_rq.queues.get_redis_connection(settings.RQ_QUEUES["default"])
    redis.flushdb()
    try:
        result = tasks.send_notification.enqueue("Lost", "Body", ["editor@example.org"])
        queue = django_rq.get_queue("default", job_class=Job)

        def die_running():
            # What a worker leaves when it dies: the job started, its place
            # in the started registry due to lapse.
            job = queue.fetch_job(result.id)
            queue.remove(job)
            with redis.pipeline() as pipe:
                job.set_status(JobStatus.STARTED, pipeline=pipe)
                Execution.create(job, ttl=90, pipeline=pipe)
                pipe.execute()

        later = timezone.now() + timedelta(minutes=2)
        die_running()
        assert workers.recover_abandoned(now=later) == ([result.id], [])
        assert queue.fetch_job(result.id).get_status() == JobStatus.QUEUED
        die_running()
        assert workers.recover_abandoned(now=later) == ([], [result.id])
        assert queue.fetch_job(result.id).get_status() == JobStatus.FAILED
        assert workers.recover_abandoned(now=later) == ([], [])
    finally:
        redis.flushdb()


@pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379 (RQ backend not tested)")
@pytest.mark.django_db
def test_on_rq_a_job_whose_work_horse_was_killed_runs_again_but_one_that_raised_does_not(
    settings,
):
    """RQ runs each job in a forked work-horse; when the kernel kills it (out
    of memory, say) under a living worker, RQ fails the job as "terminated
    unexpectedly" and never runs it again: recovery does, once per loss.
    A job that failed by raising is the task's own retries' business."""
    import django_rq
    import django_rq.queues
    from django_tasks_rq.backend import Job
    from rq.job import JobStatus
    from rq.job_lifecycle import record_job_failure

    from conditions import tasks

    url = settings.RQ_TEST_URL
    settings.TASKS, settings.RQ_QUEUES = taskqueue.settings_from_url(url)
    redis = django_rq.queues.get_redis_connection(settings.RQ_QUEUES["default"])
    redis.flushdb()
    try:
        queue = django_rq.get_queue("default", job_class=Job)

        def failed(subject, reason):
            result = tasks.send_notification.enqueue(subject, "Body", ["editor@example.org"])
            job = queue.fetch_job(result.id)
            queue.remove(job)
            with redis.pipeline() as pipe:
                record_job_failure(job, reason, pipe)
                pipe.execute()
            return result.id

        killed = failed(
            "Killed", "Work-horse terminated unexpectedly; waitpid returned 9 (signal 9); "
        )
        raised = failed("Raised", "Traceback (most recent call last): ValueError: bad input")
        assert workers.recover_abandoned() == ([killed], [])
        assert queue.fetch_job(killed).get_status() == JobStatus.QUEUED
        assert queue.fetch_job(raised).get_status() == JobStatus.FAILED
        # A second recovery at the same time finds nothing more to do.
        assert workers.recover_abandoned() == ([], [])
    finally:
        redis.flushdb()


def test_a_task_is_found_by_its_dotted_path_and_nothing_else_is():
    from conditions import tasks

    assert taskqueue.task_named("conditions.tasks.send_notification") is tasks.send_notification
    with pytest.raises(TypeError):
        taskqueue.task_named("healthlib.lib.taskqueue.stale_after")
