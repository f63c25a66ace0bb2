"""The task queue (django-tasks): which backend ``TASKS_URL`` selects, and
small helpers every app's ``tasks`` module uses.

The API is the backport of Django 6's ``django.tasks``; moving to Django 6
means replacing the ``django_tasks`` imports with ``django.tasks``.
"""

import functools
import logging
import threading
from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_BACKEND = "django_tasks_rq.RQBackend"
RQ_JOB_CLASS = "django_tasks_rq.backend.Job"  # the RQ job that runs a django-tasks task
IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
QUEUE_NAME = "default"


class BadTasksURL(ValueError):
    pass


def settings_from_url(url):
    """``TASKS`` (and RQ's ``RQ_QUEUES``) for a ``TASKS_URL``.

    Empty or ``db://`` is the database queue; ``redis://host:port/N`` (or
    ``rediss://``) is RQ on Redis; ``immediate://`` runs each task at once
    in the caller (tests, debugging). Anything else raises BadTasksURL with
    a one-line reason, which settings turn into a refusal to start.
    """
    url = (url or "").strip()
    if url in ("", "db://", "database://"):
        return {"default": {"BACKEND": DATABASE_BACKEND, "QUEUES": [QUEUE_NAME]}}, None
    if url == "immediate://":
        return {"default": {"BACKEND": IMMEDIATE_BACKEND, "QUEUES": [QUEUE_NAME]}}, None
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise BadTasksURL(
            f"unknown scheme “{parsed.scheme or url}”; use redis://host:port/N, or leave it"
            " empty for the database queue"
        )
    if not parsed.hostname:
        raise BadTasksURL(f"no host in “{url}”; use redis://host:port/N")
    try:
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise BadTasksURL(f"the port in “{url}” is not a number")
    db = parsed.path.strip("/") or "0"
    if not db.isdigit():
        raise BadTasksURL(
            f"the Redis database in “{url}” must be a number, as in redis://host:6379/2"
        )
    rq_queues = {QUEUE_NAME: {"URL": url, "DEFAULT_TIMEOUT": 3600}}
    return {"default": {"BACKEND": RQ_BACKEND, "QUEUES": [QUEUE_NAME]}}, rq_queues


def task_named(path):
    """The task at dotted ``path`` ("app.tasks.send_reminder"): the name
    the queue stores a task under and the schedules use.

    An app's ``tasks`` module is its outermost layer: it imports the
    services it wraps, so a service that enqueues a task names it instead of
    importing it (an import would close a cycle). Looked up at each call,
    so a task replaced in a test is the one enqueued."""
    from django_tasks.base import Task

    task = import_string(path)
    if not isinstance(task, Task):
        raise TypeError(f"{path} is not a task")
    return task


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue ``task`` (a task, or its dotted path: ``task_named``) once the
    current transaction commits (at once outside one), so a rolled-back step
    never runs its follow-up, and a worker never looks for rows that are not
    committed yet."""
    if isinstance(task, str):
        task = task_named(task)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def retried(*, attempts=3, backoff=60):
    """Wrap a task function so that, when it raises, it is enqueued again
    (with ``attempt`` + 1, after ``backoff`` × 2^(attempt-1) seconds) up to
    ``attempts`` runs, then re-raises so the backend records the error.

    django-tasks itself has no retries yet; this keeps the policy in one
    place. Put it *under* ``@task()``; the task takes an ``attempt`` keyword.
    """

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, attempt=1, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception:
                if attempt < attempts:
                    from django_tasks import task_backends

                    task = getattr(wrapper, "task", None)
                    if task is not None:
                        delay = backoff * 2 ** (attempt - 1)
                        later = task
                        if task_backends[task.backend].supports_defer:
                            later = task.using(run_after=timezone.now() + timedelta(seconds=delay))
                        later.enqueue(*args, attempt=attempt + 1, **kwargs)
                        logger.warning(
                            "%s failed (attempt %d of %d); retrying in %d s",
                            task.name, attempt, attempts, delay,
                        )  # fmt: skip
                raise

        return wrapper

    return decorate


def task_with_retries(*, attempts=3, backoff=60, **task_options):
    """``@task()`` with the retry policy of ``retried``."""
    from django_tasks import task

    def decorate(function):
        wrapper = retried(attempts=attempts, backoff=backoff)(function)
        wrapper.task = task(**task_options)(wrapper)
        return wrapper.task

    return decorate


# A worker that has not beaten for this long is gone (killed, or its machine
# is). The same rule, and the same default, as a newsletter batch's
# heartbeat (newsletter.sending.stale_after).
def stale_after():
    return timedelta(seconds=getattr(settings, "TASKS_STALE_SECONDS", 60))


def max_runs():
    """Runs a task gets when its worker keeps dying under it (a task that
    exhausts memory, say) before it is recorded failed instead."""
    return getattr(settings, "TASKS_MAX_RUNS", 3)


class WorkerLost(Exception):
    """Recorded as the error of a task whose workers died too many times."""


def beat(worker_id, *, now=None):
    from healthlib.models import WorkerHeartbeat

    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"beat_at": now})


def missing_after():
    return timedelta(seconds=getattr(settings, "TASKS_WORKER_MISSING_SECONDS", 180))


def worker_missing(*, now=None):
    """When no worker has beaten for ``missing_after()``: a dict with
    ``last_seen`` (None if none ever has) and ``minutes``; otherwise None.
    Tasks run at once in the caller need no worker."""
    from django.db.models import Max

    from healthlib.models import WorkerHeartbeat

    if settings.TASKS["default"]["BACKEND"] not in (DATABASE_BACKEND, RQ_BACKEND):
        return None
    now = now or timezone.now()
    last_seen = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    if last_seen is not None and now - last_seen < missing_after():
        return None
    minutes = None if last_seen is None else int((now - last_seen).total_seconds() // 60)
    return {"last_seen": last_seen, "minutes": minutes}


def beat_in_background(worker_id, *, stop=None):
    """Beat ``worker_id``'s heartbeat from a daemon thread, a few times per
    ``stale_after`` (the worker's main thread runs tasks, which may take
    long). Errors are never fatal, like the schedule's, and logged once
    per run of failures (a database outage is not a log line per beat)."""
    stop = stop or threading.Event()
    interval = max(stale_after().total_seconds() / 4, 0.2)

    def beat_once(failing):
        try:
            beat(worker_id)
        except Exception:
            if not failing:
                logger.exception("The worker's heartbeat could not be recorded")
            return True
        finally:
            close_old_connections()
        if failing:
            logger.warning("The worker's heartbeat is recorded again")
        return False

    failing = beat_once(False)  # before the first task is claimed

    def loop():
        nonlocal failing
        while not stop.wait(interval):
            failing = beat_once(failing)

    threading.Thread(target=loop, name="healthlib-heartbeat", daemon=True).start()
    return stop


def recover_abandoned(*, now=None):
    """Run again the tasks whose worker died, on either queue: the database
    queue (``_recover_database``) or RQ (``_recover_rq``). A task whose
    workers died ``max_runs()`` times is recorded failed instead, so one
    that kills every worker does not loop. Returns the ids handed back and
    the ids given up."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == RQ_BACKEND:
        return _recover_rq(now=now or timezone.now())
    if backend == DATABASE_BACKEND:
        return _recover_database(now=now or timezone.now())
    return [], []  # tasks run at once: none can be left behind


def _recover_database(*, now):
    """Hand back to the queue every task left *Running* by a worker whose
    heartbeat stopped: it becomes *Ready* again and the
    next free worker runs it, keeping its arguments (an email task's
    ``attempt`` too). A task whose workers died ``max_runs()`` times is
    recorded failed instead, so one that kills every worker does not loop.

    django-tasks-db never reclaims such rows itself. Tasks only run again
    here when their worker is known dead, so a slow task is never run
    twice at once; the tasks must still tolerate a rerun (an email may go
    out twice if the worker died after the server accepted it and before
    the row was marked done: the same unknown-fate moment as a delivery).
    Only workers started by ``manage.py worker`` beat; tasks of a plain
    ``db_worker`` are left alone.
    """
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from healthlib.models import WorkerHeartbeat

    dead = set(
        WorkerHeartbeat.objects.filter(beat_at__lt=now - stale_after()).values_list(
            "worker_id", flat=True
        )
    )
    requeued, failed = [], []
    if not dead:
        return requeued, failed
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for pk, worker_ids in running.values_list("pk", "worker_ids"):
        if not worker_ids or worker_ids[-1] not in dead:
            continue
        with transaction.atomic():
            # Compare-and-set: the row must still be the dead worker's run
            # (another recoverer may have handed it on already).
            result = running.select_for_update(skip_locked=True).filter(pk=pk).first()
            if result is None or result.worker_ids != worker_ids:
                continue
            if len(worker_ids) >= max_runs():
                result.set_failed(
                    WorkerLost(
                        f"its worker stopped while running it {len(worker_ids)} times"
                        f" ({', '.join(worker_ids)})"
                    )
                )
                failed.append(pk)
                logger.error("Task %s (%s) failed: its workers kept dying", pk, result.task_path)
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued.append(pk)
            logger.warning(
                "Task %s (%s) lost its worker %s; handed back to the queue",
                pk, result.task_path, worker_ids[-1],
            )  # fmt: skip
    # Workers gone for a day have no running task left to recover.
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    return requeued, failed


# How far back _recover_rq looks among failed jobs for ones whose worker died
# (recovery runs every minute; an hour leaves room for a schedule that was
# itself down for a while).
RQ_LOOK_BACK = timedelta(hours=1)
RQ_LOST_KEY = "healthlib_workers_lost"
RQ_GAVE_UP_KEY = "healthlib_workers_lost_final"
# How RQ records a job whose worker died: the whole worker (its place in
# the started registry lapsed), or the forked process running the job
# (killed, by the kernel when out of memory, say, while the worker lived).
RQ_WORKER_LOST = ("AbandonedJobError", "Work-horse terminated unexpectedly")


def _recover_rq(*, now):
    """RQ's version of ``_recover_database``.

    An RQ worker renews its job's place in the started registry while the
    job runs (every 30 s, valid 90 s). When the worker dies, the place
    expires, and RQ's clean-up (``StartedJobRegistry.cleanup``, which every
    worker also runs on start and every ten minutes) moves the job to the
    failed registry with an ``AbandonedJobError``: RQ never runs it again by
    itself; nor a job whose forked work-horse was killed under a living
    worker. So run that clean-up here, then put back on the queue each job
    failed either way lately, counting its lost workers in the job's meta,
    whoever's clean-up found it; after ``max_runs()`` lost workers it stays
    failed. Jobs that failed by raising are left to the tasks' own retries.
    """
    import django_rq
    from rq.defaults import DEFAULT_FAILURE_TTL
    from rq.exceptions import InvalidJobOperation
    from rq.job import JobStatus

    queue = django_rq.get_queue(QUEUE_NAME, job_class=RQ_JOB_CLASS)
    queue.started_job_registry.cleanup(timestamp=now.timestamp())
    failed_registry = queue.failed_job_registry
    # A failed job's score is when it failed plus its failure TTL (RQ's
    # default for django-tasks' jobs, which set none).
    since = (now - RQ_LOOK_BACK).timestamp() + DEFAULT_FAILURE_TTL
    requeued, failed = [], []
    for raw_id in queue.connection.zrangebyscore(failed_registry.key, since, "+inf"):
        job = queue.fetch_job(failed_registry.parse_job_id(raw_id))
        if job is None or job.meta.get(RQ_GAVE_UP_KEY):
            continue
        result = job.latest_result()
        if (
            job.get_status() != JobStatus.FAILED
            or result is None
            or not any(sign in (result.exc_string or "") for sign in RQ_WORKER_LOST)
        ):
            continue
        lost = job.meta.get(RQ_LOST_KEY, 0) + 1
        # Recoveries may run side by side (every worker's schedule enqueues
        # one): the first to set this key handles this loss, once.
        if not queue.connection.set(f"healthlib:recover:{job.id}:{lost}", 1, nx=True, ex=86400):
            continue
        job.meta[RQ_LOST_KEY] = lost
        if lost >= max_runs():
            job.meta[RQ_GAVE_UP_KEY] = True
            job.save_meta()
            failed.append(job.id)
            logger.error(
                "Task %s (%s) failed: its worker stopped while running it %d times",
                job.id, job.func_name, lost,
            )  # fmt: skip
            continue
        job.save_meta()
        try:
            failed_registry.requeue(job)
        except InvalidJobOperation:  # taken off the failed jobs meanwhile
            continue
        requeued.append(job.id)
        logger.warning(
            "Task %s (%s) lost its worker; handed back to the queue", job.id, job.func_name
        )
    return requeued, failed
