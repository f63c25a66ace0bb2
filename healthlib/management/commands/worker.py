"""Run a task worker for the configured queue, with the schedule beside it.

The worker outlives database and Redis outages (healthlib.taskworker); run
it under something that starts it again if it exits all the same (make
serve's loop, or systemd's Restart=always: see docs/deployment.md)."""

import os
import socket

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from healthlib import schedule, taskworker, workers
from healthlib.lib import taskqueue


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
            "--worker-id",
            default=None,
            help="A unique name for its heartbeat (default: host, process id, random).",
        )

    def handle(self, *, no_schedule, schedule_interval, interval, worker_id, verbosity, **options):
        if not no_schedule:
            schedule.run_in_background(interval=schedule_interval)
        backend = settings.TASKS["default"]["BACKEND"]
        if backend not in (taskqueue.RQ_BACKEND, taskqueue.DATABASE_BACKEND):
            self.stderr.write("The task backend runs tasks at once; there is nothing to work.")
            return
        # A name people can trace to a machine and process; the heartbeat
        # under it tells the admin a worker is running and, on the database
        # queue, lets another worker take over our running task if this
        # process dies (workers.recover_abandoned).
        worker_id = worker_id or f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"
        workers.beat_in_background(worker_id)
        if backend == taskqueue.RQ_BACKEND:
            taskworker.run_rq_worker(verbosity=verbosity)
        else:
            taskworker.run_database_worker(
                worker_id=worker_id, interval=interval, verbosity=verbosity
            )
