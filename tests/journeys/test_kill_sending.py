"""Senders killed (SIGKILL) at random moments while sending an edition, and
restarted: real processes (`manage.py worker` on the database queue, and
`send_edition --here`), PostgreSQL, a real SMTP server (aiosmtpd) counting
what each recipient receives.

The promise (docs/failure-recovery.md, "A worker killed while sending"): with no manual
step, every confirmed subscriber gets the edition, and each kill costs at
most services.IN_FLIGHT_PER_CONNECTION duplicate (the message on the wire
when the process died). The kill points are random (seeded: KILL_SEED in
the environment replays a run): after a random number of messages have
arrived, plus a random few milliseconds, a random process is killed."""

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from healthlib.lib import taskqueue
from healthlib.models import WorkerHeartbeat
from healthlib.workers import recover_abandoned
from newsletter import sending, services
from newsletter.models import Delivery, SendBatch, Subscriber
from tests.journeys.test_workers import _env, _stop
from tests.paths import ROOT

SUBSCRIBERS = 300
RUNS = 2  # sendings on the queue, each with its own edition
KILLS_PER_RUN = 3  # fewer than NEWSLETTER_BATCH_ATTEMPTS: no batch is given up
HERE_KILLS = 3
SEED = int(os.environ.get("KILL_SEED", "250"))
STALE_SECONDS = 1.5  # the lease of a dead sender's deliveries, kept short here

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (worker processes cannot open the in-memory SQLite test "
        "database); CI's PostgreSQL pass runs it (DATABASE_URL set)",
    ),
]


def _kill_env(settings):
    return {
        **_env(settings),
        "NEWSLETTER_BATCH_STALE_SECONDS": str(STALE_SECONDS),
        "NEWSLETTER_WATCH_SECONDS": "0.5",
        "TASKS_STALE_SECONDS": str(STALE_SECONDS),
    }


def _worker(env, name, log):
    """`manage.py worker` on the database queue; its output goes to ``log``
    (a pipe nobody reads would fill up with the kills' warnings and block
    it)."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-schedule", "--interval", "0.1",
         "--worker-id", name],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _gaps(rng, count):
    """How many messages to let arrive before each kill (counted from the
    previous kill: a process is killed sending, not booting)."""
    return [rng.randint(10, 50) for _ in range(count)]


def _sending_workers():
    """The ids of the workers running a batch now."""
    return {
        ids[-1]
        for ids in DBTaskResult.objects.filter(
            status="RUNNING", task_path="newsletter.tasks.send_batch"
        ).values_list("worker_ids", flat=True)
        if ids
    }


def _kill(process, rng):
    time.sleep(rng.uniform(0, 0.02))  # anywhere in the conversation or a commit
    process.send_signal(signal.SIGKILL)
    process.wait(10)


def _check(received, kills, figures):
    """Everyone got it; duplicates within the bound. Adds to ``figures``."""
    confirmed = set(
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).values_list(
            "email", flat=True
        )
    )
    missed = confirmed - set(received)
    duplicates = sum(n - 1 for n in received.values())
    figures["kills"] += kills
    figures["deliveries"] += sum(received.values())
    figures["duplicates"] += duplicates
    figures["missed"] += len(missed)
    assert not missed, f"{len(missed)} subscribers never got the edition after {kills} kills"
    assert duplicates <= kills * services.IN_FLIGHT_PER_CONNECTION, (
        f"{duplicates} duplicates after {kills} kills",
        [email for email, n in received.items() if n > 1],
    )


def _report(name, figures):
    print(
        f"\n{name}: {figures['runs']} runs, {figures['kills']} kills, "
        f"{figures['deliveries']} deliveries to {figures['runs'] * SUBSCRIBERS} subscribers, "
        f"{figures['duplicates']} duplicates, {figures['missed']} missed"
    )


def test_workers_killed_at_random_moments_miss_nobody(
    settings, smtp_server, make_edition, make_subscribers, tmp_path
):
    rng = random.Random(SEED)
    log = open(tmp_path / "workers.log", "w")  # noqa: SIM115 - closed below
    make_subscribers(SUBSCRIBERS)
    env = _kill_env(settings)
    settings.TASKS = {"default": {"BACKEND": taskqueue.DATABASE_BACKEND}}
    settings.NEWSLETTER_BATCH_STALE_SECONDS = STALE_SECONDS
    settings.TASKS_STALE_SECONDS = STALE_SECONDS
    figures = Counter()
    # Started once for both runs (a worker takes seconds to start on a busy
    # machine); each killed one is replaced at once, as a supervisor would.
    workers = {name: _worker(env, name, log) for name in ("a", "b", "c")}
    try:
        for number in range(RUNS):
            smtp_server.received.clear()
            run = sending.request_sending(edition=make_edition(), batch_size=50)
            gaps, kills = _gaps(rng, KILLS_PER_RUN), 0
            kill_at = gaps.pop()
            started = time.monotonic()
            deadline = started + 90  # an upper bound: workers start slowly on a busy machine
            backstop = 0
            while time.monotonic() < deadline:
                if kill_at is not None and len(smtp_server.received) >= kill_at:
                    # A worker sending a batch, while another started one
                    # is left to take over (replacements are still starting).
                    started_ones = set(
                        WorkerHeartbeat.objects.filter(worker_id__in=workers).values_list(
                            "worker_id", flat=True
                        )
                    )
                    busy = sorted(_sending_workers() & started_ones)
                    if busy and len(started_ones) >= 2:
                        name = rng.choice(busy)
                        _kill(workers.pop(name), rng)
                        kills += 1
                        workers[f"{name}{number}{kills}"] = _worker(
                            env, f"{name}{number}{kills}", log
                        )
                        kill_at = len(smtp_server.received) + gaps.pop() if gaps else None
                if time.monotonic() >= backstop:
                    # What the schedule runs every minute (workers here run
                    # without it): a watch chain or task lost with a worker.
                    sending.resume_all()
                    recover_abandoned()
                    backstop = time.monotonic() + 2
                run.refresh_from_db()
                if run.finished_at is not None:
                    break
                time.sleep(0.005)
            time.sleep(0.3)  # time for a late, wrong, copy to arrive
            print(f"\nrun {number}: {kills} kills, {time.monotonic() - started:.1f} s")
            if run.finished_at is None:
                print(
                    "not finished:",
                    list(SendBatch.objects.filter(sending=run).values_list("pk", "status", "runs")),
                    sending.progress(sending=run),
                    Counter(DBTaskResult.objects.values_list("task_path", "status")),
                    {name: w.poll() for name, w in workers.items()},
                )
            assert run.finished_at is not None, "not finished within 90 s"
            progress = sending.progress(sending=run)
            assert (progress.stopped, progress.in_flight, progress.remaining) == ("", 0, 0)
            statuses = Delivery.objects.filter(edition=run.edition).values_list("status", flat=True)
            assert set(statuses) == {Delivery.Status.SENT}
            # The kills did land in batches being sent: they were taken over.
            assert kills >= 2
            assert SendBatch.objects.filter(sending=run, runs__gt=1).exists()
            figures["runs"] += 1
            _check(Counter(smtp_server.recipients), kills, figures)
    finally:
        _stop(workers.values())
        log.close()
    _report("Workers killed", figures)


def test_send_here_killed_at_random_moments_misses_nobody(
    settings, smtp_server, make_edition, make_subscribers, tmp_path
):
    """`send_edition --here`, killed and started again: the next run sends
    what the dead one left "sending" once its lease expires."""
    rng = random.Random(SEED + 1)
    make_subscribers(SUBSCRIBERS)
    edition = make_edition()
    env = _kill_env(settings)
    log = open(tmp_path / "here.log", "w")  # noqa: SIM115 - closed below

    def here():
        return subprocess.Popen(
            [sys.executable, "manage.py", "send_edition", edition.slug, "--here",
             "--batch-size", "100"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    gaps, kills = _gaps(rng, HERE_KILLS), 0
    kill_at = gaps.pop()
    process = here()
    # An upper bound, not a goal: each new process starts Django again,
    # which takes seconds on a busy machine (40 s ran out under load).
    deadline = time.monotonic() + 120
    try:
        while kill_at is not None and time.monotonic() < deadline and process.poll() is None:
            if len(smtp_server.received) >= kill_at:
                _kill(process, rng)
                kills += 1
                process = here()
                kill_at = len(smtp_server.received) + gaps.pop() if gaps else None
            time.sleep(0.005)
        process.wait(max(deadline - time.monotonic(), 1))
        time.sleep(0.3)  # time for a late, wrong, copy to arrive
    finally:
        if process.poll() is None:
            process.kill()
        log.close()
    output = (tmp_path / "here.log").read_text()
    assert process.returncode == 0, output
    assert "Done:" in output
    assert kills == HERE_KILLS
    figures = Counter(runs=1)
    _check(Counter(smtp_server.recipients), kills, figures)
    _report("send_edition --here killed", figures)
