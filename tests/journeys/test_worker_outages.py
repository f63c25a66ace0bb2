"""A real `manage.py worker` outlives database and Redis outages.

The worker process reaches PostgreSQL (or Redis, on RQ) through a TCP
proxy (tests/tcp_proxy.py) that the test cuts: open connections are reset
and new ones refused, for 3 s and then 8 s, while confirmation emails are
queued. Before healthlib.taskworker the worker exited on the first
``OperationalError: Connection refused``. Now it must still be running,
send every email exactly once when the service is back, and say so once
per outage in its log.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import urlparse

import pytest
from django.db import connection

from healthlib.lib import taskqueue
from healthlib.models import WorkerHeartbeat
from newsletter import tasks
from newsletter.models import Subscriber
from tests.paths import ROOT
from tests.services import redis_up
from tests.tcp_proxy import TCPProxy

OUTAGES = (3, 8)  # seconds
EMAILS_PER_OUTAGE = 4

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="worker processes need a database they can reach (the SQLite test database "
        "is in memory); CI runs this against PostgreSQL",
    ),
]


def _database_url(port=None):
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@127.0.0.1:"
        f"{port or db['PORT'] or 5432}/{db['NAME']}"
    )


def _start_worker(settings, **env):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"smtp://{settings.EMAIL_HOST_USER}:{settings.EMAIL_HOST_PASSWORD}@"
        f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}".replace(" ", "%20"),
        "TASKS_STALE_SECONDS": "60",
        "TASKS_RECONNECT_MAX_SECONDS": "2",  # the backoff's cap (10 s by default)
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-schedule", "--interval", "0.2",
         "--verbosity", "0"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _stop(worker):
    """SIGTERM, as systemd or make serve sends: the worker must stop."""
    stopped = True
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            stopped = False
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
    return worker.stderr.read(), stopped


def _wait_for(smtp_server, count, worker, seconds=40):
    deadline = time.monotonic() + seconds
    while len(smtp_server.received) < count and time.monotonic() < deadline:
        assert worker.poll() is None, f"the worker exited ({worker.returncode})"
        time.sleep(0.1)
    assert len(smtp_server.received) >= count, (len(smtp_server.received), count)


def _outages(smtp_server, worker, proxy, make_subscribers):
    """Send one email, then for each outage: cut the service, queue emails,
    wait, restore, and wait for them all."""
    subscribers = make_subscribers(
        1 + EMAILS_PER_OUTAGE * len(OUTAGES), status=Subscriber.Status.PENDING
    )
    tasks.send_confirmation.enqueue(subscribers[0].pk)
    _wait_for(smtp_server, 1, worker, seconds=60)  # the worker is up and sending
    assert WorkerHeartbeat.objects.exists()  # on either queue: the admin sees it
    sent = 1
    for seconds in OUTAGES:
        proxy.cut()
        for subscriber in subscribers[sent : sent + EMAILS_PER_OUTAGE]:
            tasks.send_confirmation.enqueue(subscriber.pk)
        time.sleep(seconds)
        assert worker.poll() is None, f"the worker exited during a {seconds} s outage"
        assert len(smtp_server.received) == sent  # nothing could be claimed meanwhile
        proxy.restore()
        sent += EMAILS_PER_OUTAGE
        _wait_for(smtp_server, sent, worker)
    time.sleep(1)  # time for a second, wrong, copy to arrive
    assert worker.poll() is None
    counts = Counter(smtp_server.recipients)
    assert set(counts) == {s.email for s in subscribers}
    assert set(counts.values()) == {1}, "an email went out twice"


def test_the_database_worker_outlives_postgresql_outages(settings, smtp_server, make_subscribers):
    settings.TASKS = {"default": {"BACKEND": taskqueue.DATABASE_BACKEND, "QUEUES": ["default"]}}
    db = connection.settings_dict
    proxy = TCPProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    worker = _start_worker(settings, DATABASE_URL=_database_url(proxy.port))
    try:
        _outages(smtp_server, worker, proxy, make_subscribers)
    finally:
        log, stopped = _stop(worker)
        proxy.cut()
    assert stopped, "the worker did not stop on SIGTERM"
    # Logged once per outage (not once per retry), start and end.
    assert log.count("The database is unreachable") == len(OUTAGES), log
    assert log.count("The database is back after") == len(OUTAGES), log


@pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379 (RQ not tested)")
def test_the_rq_worker_outlives_redis_outages(settings, smtp_server, make_subscribers):
    import django_rq.queues

    url = urlparse(settings.RQ_TEST_URL)
    settings.TASKS, settings.RQ_QUEUES = taskqueue.settings_from_url(settings.RQ_TEST_URL)
    redis = django_rq.queues.get_redis_connection(settings.RQ_QUEUES["default"])
    redis.flushdb()
    proxy = TCPProxy(url.hostname, url.port or 6379)
    proxied = f"redis://{url.hostname}:{proxy.port}{url.path}"
    worker = _start_worker(settings, TASKS_URL=proxied)
    try:
        _outages(smtp_server, worker, proxy, make_subscribers)
    finally:
        log, stopped = _stop(worker)
        proxy.cut()
        redis.flushdb()
    assert stopped, "the worker did not stop on SIGTERM"
    assert log.count("The Redis server is unreachable") == len(OUTAGES), log
    assert log.count("The Redis server is back after") == len(OUTAGES), log
