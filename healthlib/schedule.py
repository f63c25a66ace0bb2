"""The worker-side schedule: periodic tasks, run by every `manage.py worker`.

It replaces the cron lines (``publish_scheduled`` every minute); those
commands stay for people who prefer cron. Each app declares its jobs in its
AppConfig (``schedule = [(name, task path, seconds), …]``), so this module
names no app. A job is due when its period has passed since it was last
enqueued by *any* worker (see ScheduledJob).
"""

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks Task taking no arguments
    every: timedelta


def jobs():
    """Every installed app's jobs."""
    from django.apps import apps

    return [
        Job(name, task, timedelta(seconds=seconds))
        for config in apps.get_app_configs()
        for name, task, seconds in getattr(config, "schedule", ())
    ]


def enqueue_due(*, now=None, schedule=None):
    """Enqueue every job whose period has passed; returns their names."""
    from healthlib.models import ScheduledJob

    now = now or timezone.now()
    enqueued = []
    for job in schedule if schedule is not None else jobs():
        ScheduledJob.objects.get_or_create(name=job.name)
        won = ScheduledJob.objects.filter(
            Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - job.every),
            name=job.name,
        ).update(last_enqueued_at=now)
        if won:
            import_string(job.task).enqueue()
            enqueued.append(job.name)
    return enqueued


def run_in_background(*, interval=15, stop=None):
    """Check the schedule every ``interval`` seconds in a daemon thread
    (the worker's main thread runs tasks). Errors are logged, never fatal:
    a database blip must not stop the worker. A run of failures (an outage)
    is logged once, and its end once."""
    stop = stop or threading.Event()

    def loop():
        failing = False
        while not stop.is_set():
            try:
                enqueue_due()
            except Exception:
                if not failing:
                    logger.exception("The schedule could not be checked")
                failing = True
            else:
                if failing:
                    logger.warning("The schedule is checked again")
                failing = False
            finally:
                close_old_connections()
            stop.wait(interval)

    thread = threading.Thread(target=loop, name="healthlib-schedule", daemon=True)
    thread.start()
    return stop
