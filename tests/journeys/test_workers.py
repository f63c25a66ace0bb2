"""Real worker processes (`manage.py worker`, the database queue on
PostgreSQL) against a real SMTP server (aiosmtpd), killed mid-task.

Two workers send one edition to 2,000 subscribers while one is killed
part-way through a batch: everyone gets it, once, except at most
IN_FLIGHT_PER_CONNECTION (the message on the wire when it died), and the
batch is taken over. (tests/journeys/test_kill_sending.py kills workers
at random moments, many times.) And a single email whose worker is killed
while sending it is sent by another worker."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from healthlib.lib import taskqueue
from healthlib.workers import recover_abandoned
from newsletter import sending, services, tasks
from newsletter.models import Delivery, SendBatch, Subscriber
from tests.paths import ROOT
from tests.services import redis_up

SUBSCRIBERS = 2000

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="the SQLite test database is in memory, which worker processes cannot open; "
        "CI runs this against PostgreSQL",
    ),
]


def _worker(env, name):
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-schedule", "--interval", "0.2",
         "--verbosity", "0", "--worker-id", name],
        cwd=ROOT, env=env,
        # stderr to pytest's capture: a pipe nobody reads fills and blocks it.
        stdout=subprocess.DEVNULL, stderr=None, text=True,
    )  # fmt: skip


def _env(settings):
    """The worker processes' environment: this test database and SMTP server."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "EMAIL_URL": f"smtp://{settings.EMAIL_HOST_USER}:{settings.EMAIL_HOST_PASSWORD}@"
        f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}".replace(" ", "%20"),
        "NEWSLETTER_BATCH_STALE_SECONDS": "3",
        "NEWSLETTER_WATCH_SECONDS": "1",
        "TASKS_STALE_SECONDS": "2",
    }


def _stop(workers):
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_two_workers_one_killed_everyone_gets_it_once(
    settings, smtp_server, make_edition, make_subscribers
):
    edition = make_edition()
    make_subscribers(SUBSCRIBERS)
    env = _env(settings)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run = sending.request_sending(edition=edition, batch_size=200)
    workers = [_worker(env, "a"), _worker(env, "b")]
    started = time.monotonic()
    try:
        # Kill one worker in the middle of a batch it is sending, once a
        # quarter of the list has gone out. A kill can land just after its
        # batch was done (the task is still finishing): that one is not the
        # case tested, so the worker is replaced and another is killed.
        victim_batch, names, attempts = None, {"a": 0, "b": 1}, 0
        while victim_batch is None and time.monotonic() - started < 90 and attempts < 5:
            if len(smtp_server.received) >= SUBSCRIBERS // 4:
                busy = [
                    (ids[-1], args["args"][0])
                    for ids, args in DBTaskResult.objects.filter(
                        status="RUNNING", task_path="newsletter.tasks.send_batch"
                    ).values_list("worker_ids", "args_kwargs")
                    if ids and ids[-1] in names
                ]
                running = set(
                    SendBatch.objects.filter(status="running").values_list("pk", flat=True)
                )
                busy = [(name, batch) for name, batch in busy if batch in running]
                if busy:
                    name, batch = busy[0]
                    victim = workers[names[name]]
                    victim.send_signal(signal.SIGKILL)
                    victim.wait(10)
                    attempts += 1
                    if SendBatch.objects.get(pk=batch).status == "running":
                        victim_batch = batch  # killed mid-batch
                    else:
                        index = names.pop(name)
                        names[f"{name}{attempts}"] = index
                        workers[index] = _worker(env, f"{name}{attempts}")
            time.sleep(0.02)
        assert victim_batch is not None, (
            len(smtp_server.received),
            list(DBTaskResult.objects.values_list("task_path", "status", "worker_ids")),
        )
        # Generous limits: worker processes start slowly on a busy machine.
        killed = time.monotonic()
        while time.monotonic() - killed < 60:
            run.refresh_from_db()
            if run.finished_at is not None:
                break
            time.sleep(0.25)
        run.refresh_from_db()
        assert run.finished_at is not None, "not finished within 60 s"
    finally:
        _stop(workers)
    received = Counter(smtp_server.recipients)
    confirmed = set(Subscriber.objects.values_list("email", flat=True))
    deliveries = dict(Delivery.objects.values_list("subscriber__email", "status"))
    twice = sum(n - 1 for n in received.values())
    assert twice <= services.IN_FLIGHT_PER_CONNECTION * attempts, "somebody got it twice"
    assert set(deliveries) == confirmed == set(received)  # nobody missed
    assert set(deliveries.values()) == {"sent"}
    # The killed worker's batch was taken over by the other one.
    batches = list(SendBatch.objects.filter(sending=run).values_list("pk", "status", "runs"))
    assert (victim_batch, "done", 2) in batches, batches
    print(f"\n{len(received)} received, {twice} twice, {attempts} kills, "
          f"{time.monotonic() - started:.1f} s")  # fmt: skip


def test_an_email_whose_worker_is_killed_mid_send_is_sent_by_another(
    settings, smtp_server, make_subscribers
):
    [subscriber] = make_subscribers(1, status=Subscriber.Status.PENDING)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_STALE_SECONDS = 2
    smtp_server.hang_next = True  # the first attempt never gets an answer
    result = tasks.send_confirmation.enqueue(subscriber.pk)
    workers = [_worker(_env(settings), "a")]
    try:
        assert smtp_server.hanging.wait(30), "worker a never reached the mail server"
        row = DBTaskResult.objects.get(pk=result.id)
        assert (row.status, row.worker_ids) == ("RUNNING", ["a"])
        workers[0].send_signal(signal.SIGKILL)  # mid-send: the message is not accepted
        workers[0].wait(10)
        workers.append(_worker(_env(settings), "b"))
        # Left alone, django-tasks-db would keep the row "Running" for good.
        time.sleep(1)
        assert recover_abandoned() == ([], [])  # a's heartbeat is not stale yet
        deadline = time.monotonic() + 30
        while not smtp_server.received and time.monotonic() < deadline:
            recover_abandoned()  # what the schedule runs every minute
            time.sleep(0.25)
        time.sleep(1)  # time for a second, wrong, copy to arrive
    finally:
        _stop(workers)
    assert smtp_server.recipients == [subscriber.email]
    [message] = smtp_server.messages_to(subscriber.email)
    assert "confirm" in message["Subject"].lower()
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.worker_ids) == ("SUCCESSFUL", ["a", "b"])


@pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379 (RQ not tested)")
def test_on_rq_an_email_whose_worker_is_killed_mid_send_is_sent_by_another(
    settings, smtp_server, make_subscribers
):
    """The same on RQ (TASKS_URL=redis://…, its own database, emptied): RQ moves
    a dead worker's job to its failed jobs and never runs it again; the
    schedule's recovery puts it back on the queue, and another worker sends
    the email once."""
    import django_rq.queues
    from django.utils import timezone
    from django_tasks import default_task_backend

    url = settings.RQ_TEST_URL
    settings.TASKS, settings.RQ_QUEUES = taskqueue.settings_from_url(url)
    redis = django_rq.queues.get_redis_connection(settings.RQ_QUEUES["default"])
    redis.flushdb()
    [subscriber] = make_subscribers(1, status=Subscriber.Status.PENDING)
    smtp_server.hang_next = True  # the first attempt never gets an answer
    env = {**_env(settings), "TASKS_URL": url}
    workers = []

    def rq_worker():
        # Its own process group: RQ runs each job in a forked child, which
        # must die with it, as when the machine or container goes.
        workers.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--no-schedule", "--verbosity", "0"],
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
        )

    try:
        result = tasks.send_confirmation.enqueue(subscriber.pk)
        rq_worker()
        assert smtp_server.hanging.wait(60), "the first worker never reached the mail server"
        os.killpg(workers[0].pid, signal.SIGKILL)  # mid-send: the message is not accepted
        workers[0].wait(10)
        rq_worker()
        # RQ's own rule: the job is abandoned once its worker's renewal
        # (90 s) lapses. Recovery before then hands nothing back.
        assert recover_abandoned() == ([], [])
        later = timezone.now() + timedelta(minutes=2)
        assert recover_abandoned(now=later) == ([result.id], [])
        deadline = time.monotonic() + 60
        while not smtp_server.received and time.monotonic() < deadline:
            time.sleep(0.25)
        time.sleep(1)  # time for a second, wrong, copy to arrive
        assert smtp_server.recipients == [subscriber.email]
        [message] = smtp_server.messages_to(subscriber.email)
        assert "confirm" in message["Subject"].lower()
        deadline = time.monotonic() + 10
        while (
            status := default_task_backend.get_result(result.id).status
        ) != "SUCCESSFUL" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status == "SUCCESSFUL"
        # Nothing is left to recover, and the job was not put back twice.
        assert recover_abandoned(now=later) == ([], [])
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(10)
        redis.flushdb()
