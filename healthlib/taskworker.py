"""Task workers that outlive an outage of the database or of Redis.

django-tasks-db's worker loop re-raises any database error but a locked
SQLite file, so PostgreSQL unreachable for two seconds ended
``manage.py worker``; RQ's worker quits on most Redis errors outside the
wait for a job. Here each loop runs inside one that catches the
connection errors, closes the broken connections, waits (0.5 s, doubling,
at most ``TASKS_RECONNECT_MAX_SECONDS``, 10 by default) and starts again
once the service answers, logging once when an outage starts and once
when it ends, however long it lasts.
"""

import contextlib
import logging
import time

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django_tasks_db.management.commands.db_worker import Worker
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from healthlib.lib import taskqueue

logger = logging.getLogger(__name__)

# What a database that cannot be reached raises: OperationalError (refused,
# reset, timed out) and InterfaceError (a connection already closed).
# Errors in a task's own queries are caught by the worker loop and
# recorded on the task; only the loop's own ones reach us. Other database
# errors (a missing table: migrations not run) still stop the worker.
DATABASE_DOWN = (OperationalError, InterfaceError)
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError)
FIRST_WAIT = 0.5


def max_wait():
    return getattr(settings, "TASKS_RECONNECT_MAX_SECONDS", 10)


class Outage:
    """One service's outages, for logging: a warning when one starts, one
    when it ends, nothing between, however many retries fail."""

    def __init__(self, service):
        self.service = service
        self.since = None
        self.wait = FIRST_WAIT

    def down(self, error):
        if self.since is None:
            self.since = time.monotonic()
            reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
            logger.warning(
                "The %s is unreachable (%s); the worker retries until it is back",
                self.service, reason,
            )  # fmt: skip

    def up(self):
        if self.since is not None:
            logger.warning(
                "The %s is back after %.0f s; the worker carries on",
                self.service, time.monotonic() - self.since,
            )  # fmt: skip
        self.since = None
        self.wait = FIRST_WAIT

    def sleep(self):
        """Wait before the next try: exponential backoff, capped."""
        time.sleep(self.wait)
        self.wait = min(self.wait * 2, max_wait())


def close_connections():
    """Drop this thread's database connections (broken ones cannot be
    reused; Django opens new ones on the next query)."""
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            conn.close()


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DATABASE_DOWN:
        close_connections()
        return False


class DatabaseWorker(Worker):
    """django-tasks-db's worker, restarted in place after a database outage."""

    def run(self):
        outage = Outage("database")
        while True:
            try:
                return super().run()  # returns on --batch or --max-tasks only
            except DATABASE_DOWN as error:
                self.running_task = False
                outage.down(error)
                close_connections()
            # Later runs start at once (the random start-up delay is for a
            # herd of workers starting together).
            self.startup_delay = False
            while True:
                outage.sleep()  # SIGTERM here exits, as in the loop's own sleep
                if database_answers():
                    break
            try:
                self.hand_back_own_tasks()
            except DATABASE_DOWN:
                close_connections()
                continue
            outage.up()

    def hand_back_own_tasks(self):
        """Tasks this worker had claimed when the database went away were
        neither finished nor failed (recording that failed too), and this
        worker's heartbeat goes on, so recovery would never take them: put
        them back on the queue. It runs one task at a time and runs none now,
        so every *Running* task under its name is such a task."""
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        with transaction.atomic():
            running = DBTaskResult.objects.select_for_update().filter(
                status=TaskResultStatus.RUNNING, backend_name=self.backend_name
            )
            for result in running:
                if result.worker_ids and result.worker_ids[-1] == self.worker_id:
                    result.status = TaskResultStatus.READY
                    result.started_at = None
                    result.save(update_fields=["status", "started_at"])
                    logger.warning(
                        "Task %s (%s) was cut short by the outage; handed back to the queue",
                        result.pk, result.task_path,
                    )  # fmt: skip


def run_database_worker(*, worker_id, interval, verbosity):
    """What ``manage.py db_worker`` does, with this module's worker."""
    from django_tasks_db.management.commands.db_worker import Command

    Command().configure_logging(verbosity)
    worker = DatabaseWorker(
        queue_names=[taskqueue.QUEUE_NAME],
        excluded_queue_names=[],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=True,
        max_tasks=None,
        worker_id=worker_id,
    )
    worker.configure_signals()
    worker.run()


def run_rq_worker(*, verbosity):
    """RQ's worker (with its scheduler, which deferred tasks need), started
    again after it quits on a Redis error; it stops for good when asked to
    (SIGTERM, Ctrl-C)."""
    import django_rq
    from django_rq.management.commands.rqworker import reset_db_connections
    from rq.exceptions import StopRequested
    from rq.worker.base import logger as worker_logger

    level = "DEBUG" if verbosity >= 2 else "WARNING" if verbosity == 0 else "INFO"
    outage = Outage("Redis server")
    stopping = []
    quiet = _RQOutageFilter(outage)
    if quiet not in worker_logger.filters:
        worker_logger.addFilter(quiet)
    while True:
        try:
            worker = django_rq.get_worker(taskqueue.QUEUE_NAME, job_class=taskqueue.RQ_JOB_CLASS)
            # RQ's own wait for Redis while it waits for a job: the same cap.
            worker.max_connection_wait_time = max_wait()
            # RQ's worker quits the same way when asked to stop while idle
            # and on an error: note the request to tell them apart.
            worker.request_stop = _noting_stop(worker.request_stop, stopping)
            # RQ retries a lost Redis itself while it waits for a job, with
            # a log line per try: one per outage instead, start and end.
            worker.heartbeat = _noting_up(worker.heartbeat, outage)
            reset_db_connections()  # before RQ forks a child for each job
            worker.work(with_scheduler=True, logging_level=level)
            if stopping:
                return
            # RQ logged the error and quit: it is restarted below.
            error = RuntimeError("the RQ worker stopped on an error")
        except REDIS_DOWN as exc:
            if stopping:  # Redis went away as RQ was stopping
                return
            error = exc
        outage.down(error)
        try:
            while True:
                outage.sleep()
                try:
                    django_rq.get_connection(taskqueue.QUEUE_NAME).ping()
                    break
                except REDIS_DOWN:
                    continue
        except StopRequested:  # SIGTERM while waiting (RQ's signal handler)
            return
        outage.up()


def _noting_stop(request_stop, stopping):
    def noting(signum, frame):
        stopping.append(signum)
        return request_stop(signum, frame)

    return noting


def _noting_up(heartbeat, outage):
    def noting(*args, **kwargs):
        result = heartbeat(*args, **kwargs)
        outage.up()  # the heartbeat reached Redis
        return result

    return noting


class _RQOutageFilter(logging.Filter):
    """Turns RQ's line per failed try into the outage's one warning."""

    def __init__(self, outage):
        super().__init__()
        self.outage = outage

    def filter(self, record):
        if "could not connect to Redis instance" not in str(record.msg):
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        self.outage.down(args[1] if len(args) > 1 else record.getMessage())
        return False
