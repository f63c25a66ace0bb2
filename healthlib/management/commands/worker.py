"""Run a task worker for the configured queue, with the schedule beside it."""

import os
import socket

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from healthlib import schedule, taskqueue


class Command(BaseCommand):
    help = (
        "Work the task queue (TASKS_URL: the database by default, or RQ on Redis) and run the "
        "periodic schedule (scheduled publishing, link checks). Run one or more per machine."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Only run tasks; do not enqueue periodic ones.",
        )
        parser.add_argument(
            "--schedule-interval", type=float, default=15, help="Seconds between schedule checks."
        )
        parser.add_argument(
            "--interval", type=float, default=0.5, help="Seconds between polls of an empty queue."
        )
        parser.add_argument(
            "--worker-id", default=None, help="A unique name (database queue; default: random)."
        )

    def handle(self, *, no_schedule, schedule_interval, interval, worker_id, verbosity, **options):
        if not no_schedule:
            schedule.run_in_background(interval=schedule_interval)
        backend = settings.TASKS["default"]["BACKEND"]
        if backend == taskqueue.RQ_BACKEND:
            # RQ's worker, with the job class that runs django-tasks' tasks.
            call_command(
                "rqworker",
                taskqueue.QUEUE_NAME,
                job_class=taskqueue.RQ_JOB_CLASS,
                with_scheduler=True,  # deferred tasks (retries, watches) need it
                verbosity=verbosity,
            )
        elif backend == taskqueue.DATABASE_BACKEND:
            # A name people can trace to a machine and process; the
            # heartbeat under it lets another worker take over our running
            # task if this process dies (taskqueue.recover_abandoned).
            worker_id = worker_id or (
                f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"
            )
            taskqueue.beat_in_background(worker_id)
            call_command(
                "db_worker",
                queue_name=taskqueue.QUEUE_NAME,
                interval=interval,
                reload=False,
                verbosity=verbosity,
                worker_id=worker_id,
            )
        else:
            self.stderr.write("The task backend runs tasks at once; there is nothing to work.")
