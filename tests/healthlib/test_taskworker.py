"""The database worker's own handling of an outage, in process: a task cut
short by a broken connection is handed back and run again, and the
outage is logged once (the real-process tests are in
tests/journeys/test_worker_outages.py)."""

import logging

import pytest
from django.db import OperationalError
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from healthlib import taskworker

runs = []


@task()
def count_run():
    runs.append(1)
    return len(runs)


@pytest.mark.django_db(transaction=True)
def test_a_task_cut_short_by_an_outage_is_handed_back_and_run_again(settings, monkeypatch, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    runs.clear()
    result = count_run.enqueue()
    # The task runs, then recording its end fails: the database went away
    # (three failed tries before it answers again).
    real_set_successful = DBTaskResult.set_successful
    failures = iter([True, True])  # recording it done, then failed

    def set_successful(self, value):
        if next(failures, False):
            raise OperationalError("connection refused")
        return real_set_successful(self, value)

    answers = iter([False, False, True])
    monkeypatch.setattr(DBTaskResult, "set_successful", set_successful)
    monkeypatch.setattr(DBTaskResult, "set_failed", lambda self, exc: set_successful(self, None))
    monkeypatch.setattr(taskworker, "database_answers", lambda: next(answers))
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        assert len(waits) < 50, "the worker never ran the task again"

    monkeypatch.setattr(taskworker.time, "sleep", sleep)
    worker = taskworker.DatabaseWorker(
        queue_names=["default"], interval=0, batch=False, backend_name="default",
        startup_delay=False, max_tasks=2, worker_id="w1", excluded_queue_names=[],
    )  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="healthlib.taskworker"):
        worker.run()
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.worker_ids, row.return_value) == ("SUCCESSFUL", ["w1", "w1"], 2)
    assert waits[:3] == [0.5, 1.0, 2.0]  # backoff, doubling
    messages = [r.getMessage() for r in caplog.records]
    assert sum("unreachable" in m for m in messages) == 1
    assert sum("is back after" in m for m in messages) == 1
    assert any("handed back to the queue" in m for m in messages)


def test_the_backoff_is_capped(settings, monkeypatch):
    settings.TASKS_RECONNECT_MAX_SECONDS = 10
    waits = []
    monkeypatch.setattr(taskworker.time, "sleep", waits.append)
    outage = taskworker.Outage("database")
    for _ in range(8):
        outage.sleep()
    assert waits == [0.5, 1, 2, 4, 8, 10, 10, 10]
    outage.up()
    outage.sleep()
    assert waits[-1] == 0.5  # the next outage starts short again


def _fails_then_works(failures):
    calls = iter(range(failures + 100))

    def call(*args, **kwargs):
        if next(calls) < failures:
            raise OperationalError("connection refused")

    return call


def _wait_for(condition, seconds=15):
    import time

    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


@pytest.mark.django_db  # the first beat is in this thread
def test_the_schedule_and_heartbeat_threads_log_an_outage_once(settings, monkeypatch, caplog):
    from healthlib import schedule, workers

    settings.TASKS_STALE_SECONDS = 0.8  # a beat every 0.2 s
    monkeypatch.setattr(schedule, "enqueue_due", _fails_then_works(5))
    monkeypatch.setattr(workers, "beat", _fails_then_works(5))
    with caplog.at_level(logging.WARNING):
        stops = [
            schedule.run_in_background(interval=0.01),
            workers.beat_in_background("w1"),
        ]
        try:
            assert _wait_for(lambda: len(caplog.records) >= 4), caplog.text
        finally:
            for stop in stops:
                stop.set()
    messages = [r.getMessage() for r in caplog.records]
    assert messages.count("The schedule could not be checked") == 1
    assert messages.count("The schedule is checked again") == 1
    assert messages.count("The worker's heartbeat could not be recorded") == 1
    assert messages.count("The worker's heartbeat is recorded again") == 1
