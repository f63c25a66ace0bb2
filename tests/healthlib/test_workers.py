"""Task workers (healthlib.workers). The admin's index warns when no task
worker has been seen lately (TASKS_WORKER_MISSING_SECONDS, 3 minutes by
default): emails, sending and scheduled publishing silently wait for one
otherwise. A task left running by a worker that died goes back to the
queue, on the database queue and on RQ, until it has run too often."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from healthlib import schedule, workers
from healthlib.lib import taskqueue
from healthlib.models import WorkerHeartbeat
from tests.services import redis_up

pytestmark = pytest.mark.django_db

WARNING = "No task worker has been seen"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


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


@pytest.mark.django_db(transaction=True)
def test_only_tasks_of_dead_workers_go_back_to_the_queue_and_not_forever(settings):
    """A task left *Running* by a worker whose heartbeat stopped is handed
    back; one whose worker still beats is left alone however long it runs;
    after its workers died TASKS_MAX_RUNS times a task is recorded failed.
    (The real killed worker is in tests/journeys/test_workers.py.)"""
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
