"""The task queue (django-tasks): which backend ``TASKS_URL`` selects, and
small helpers every app's ``tasks`` module uses.

The API is the backport of Django 6's ``django.tasks``; moving to Django 6
means replacing the ``django_tasks`` imports with ``django.tasks``.
"""

import functools
import logging
from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
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
