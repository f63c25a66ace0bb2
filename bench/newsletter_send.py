#!/usr/bin/env python
"""Benchmark: send a newsletter edition through a local SMTP sink.

    .venv/bin/python bench/newsletter_send.py            # 1,000 then 10,000 subscribers
    .venv/bin/python bench/newsletter_send.py --subscribers 50000
    DATABASE_URL=postgres://… .venv/bin/python bench/newsletter_send.py --queue
        # the task queue: 1 and 2 `manage.py worker` processes, 10,000 and 50,000

Not a test. It makes a throwaway SQLite database in a temporary directory
(or uses DATABASE_URL, where it creates and then deletes its own rows),
starts an aiosmtpd sink in a separate process on a free port of 127.0.0.1,
points EMAIL_URL at it, and sends the same edition through
``newsletter.services.send_edition`` (the code behind ``manage.py
send_edition``) to a small and then a large list:

* messages per second, timed without tracing;
* peak Python memory during the send (tracemalloc, a second, traced run),
  at the small and at the large list: it should not grow with the list;
* the process's peak resident memory (ru_maxrss) at the end.

Goals on a 2-core machine: at least 300 messages/s, peak memory under
200 MB, and memory flat as the list grows.

``--queue`` measures what the Send button does now: the edition is
enqueued (``newsletter.sending.request_sending``) and one, then two
``manage.py worker`` processes (the database queue) send it; it prints
messages/s from the request to the last delivery and each worker's peak
resident memory (VmHWM), for each list size in ``--lists``. Goals: ≥ 300
messages/s with one worker, ≥ 1.6 × that with two, memory flat as the list
grows. Use PostgreSQL (DATABASE_URL): SQLite lets one writer in at a time.

``--sink smtp-sink`` uses Postfix's C test server instead of aiosmtpd
(``apt-get install postfix``): aiosmtpd's 0.6 ms of CPU a message, on the
same two cores, is most of a core at 1,500 messages/s.
"""

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SINK = r"""
import asyncio, sys
from aiosmtpd.smtp import SMTP

class Counter:
    count = 0
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        # aiosmtpd takes pipelined commands but does not say so; real
        # servers do, and the sender pipelines when told.
        session.host_name = hostname
        return responses[:-1] + ["250-PIPELINING", responses[-1]]
    async def handle_DATA(self, server, session, envelope):
        Counter.count += 1
        return "250 OK"

async def main():
    loop = asyncio.get_running_loop()
    # Several sink processes may listen on one port (SO_REUSEPORT): the
    # kernel spreads connections over them, as over a mail server's processes.
    server = await loop.create_server(
        lambda: SMTP(Counter()), "127.0.0.1", int(sys.argv[1]), reuse_port=True
    )
    print("ready", flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)   # wait for "count"
    print(Counter.count, flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)   # wait for the end
    server.close()

asyncio.run(main())
"""

BODY = (
    "Many medical groups felt that early exposure to certain foods like peanuts increased a "
    "child's risk of developing food allergies. However, newer research including this trial "
    "suggest that early exposure may actually decrease the risk of developing food allergies. "
) * 4


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _SinkProcesses:
    processes = ()

    def cpu_seconds(self):
        """CPU time the sink processes used (user + system)."""
        return sum(_cpu_seconds(process.pid) for process in self.processes)


class Sink(_SinkProcesses):
    """``processes`` aiosmtpd processes on one port of 127.0.0.1."""

    def __init__(self, processes=1):
        self.port = free_port()
        self.processes = []
        for _ in range(processes):
            process = subprocess.Popen(
                [sys.executable, "-c", SINK, str(self.port)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert process.stdout.readline().strip() == "ready"
            self.processes.append(process)

    def count(self):
        total = 0
        for process in self.processes:
            process.stdin.write("count\n")
            process.stdin.flush()
            total += int(process.stdout.readline())
        return total

    def stop(self):
        for process in self.processes:
            process.stdin.write("stop\n")
            process.stdin.close()
        for process in self.processes:
            process.wait(timeout=10)


class PostfixSink(_SinkProcesses):
    """Postfix's ``smtp-sink``, the test server Postfix ships for measuring
    SMTP clients: written in C, it answers and discards each message for a
    few microseconds of CPU, so on a 2-core machine the cores go to what is
    measured, as they would with a mail server on another machine.
    ``apt-get install postfix`` provides it (/usr/sbin/smtp-sink); the
    Postfix service itself need not run."""

    def __init__(self):
        program = shutil.which("smtp-sink") or "/usr/sbin/smtp-sink"
        if not os.path.exists(program):
            sys.exit("bench: --sink smtp-sink needs Postfix's smtp-sink (apt-get install postfix)")
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - open while the sink runs
        # -c: running counters on stdout; -u: the user to run as (required
        # as root); 256: the listen backlog.
        command = [program, "-c", f"127.0.0.1:{self.port}", "256"]
        if os.geteuid() == 0:
            command[1:1] = ["-u", "nobody"]
        self.processes = [subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)]
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)

    def count(self):
        """Messages received: the last "mesg=N" counter smtp-sink printed."""
        time.sleep(0.2)  # its counters are printed as sessions end
        self.log.seek(0)
        counters = self.log.read().replace(b"\r", b"\n").split(b"mesg=")
        return int(counters[-1].split()[0]) if len(counters) > 1 else 0

    def stop(self):
        for process in self.processes:
            process.terminate()
            process.wait(timeout=10)
        self.log.close()


def setup_django(port):
    tmp = tempfile.mkdtemp(prefix="healthlib-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthlib.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("HEALTHLIB_VAR_DIR", tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("SITE_URL", "https://health.example.org")
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def add_subscribers(newsletter, start, stop):
    from django.utils import timezone

    from newsletter.models import Subscriber

    now = timezone.now()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                newsletter=newsletter,
                email=f"reader{i:07d}@example.org",
                status=Subscriber.Status.CONFIRMED,
                consent_text="bench",
                consent_at=now,
                confirmed_at=now,
            )
            for i in range(start, stop)
        ),
        batch_size=2000,
    )


def make_edition(newsletter, n):
    from newsletter.models import Edition, ResearchSummary

    edition = Edition.objects.create(newsletter=newsletter, title=f"Bench {n}", slug=f"bench-{n}")
    for i in range(5):
        ResearchSummary.objects.create(
            edition=edition,
            order=i,
            headline=f"Early exposure may decrease the risk ({i})",
            body=BODY,
            journal="New England Journal of Medicine",
            doi=f"10.1056/bench.{i}",
        )
    return edition


def send(newsletter, n, *, traced):
    from django.db import connection

    from newsletter import services

    edition = make_edition(newsletter, f"{n}-{'traced' if traced else 'timed'}")
    connection.close()  # start from a fresh connection, like the command
    if traced:
        tracemalloc.start()
        tracemalloc.reset_peak()
    started = time.perf_counter()
    report = services.send_edition(edition=edition)
    elapsed = time.perf_counter() - started
    peak = None
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert report.sent == n and report.failed == 0, report
    return elapsed, peak


def _cpu_seconds(pid):
    """CPU time (user + system) process ``pid`` has used."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_times():
    """(busy, total) CPU time of the whole machine so far, in clock ticks."""
    with open("/proc/stat") as stat:
        fields = [int(n) for n in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def queue_bench(newsletter, lists, worker_counts, repeat=1, sink=None):
    from django.conf import settings
    from django.db import connection

    from healthlib.models import WorkerHeartbeat
    from newsletter import sending
    from newsletter.models import Delivery, Subscriber

    env = {**os.environ, "DJANGO_DEBUG": "0"}
    env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    print(f"queue: {settings.TASKS['default']['BACKEND']}")
    print("{:>11}  {:>7}  {:>10}  {:>7}  {:>24}".format(
        "subscribers", "workers", "messages/s", "seconds", "peak memory per worker"))  # fmt: skip
    done = 0
    results = {}
    for n in lists:
        add_subscribers(newsletter, done, n)
        done = n
        assert Subscriber.objects.count() == n
        for attempt, workers in (
            (attempt, workers) for attempt in range(repeat) for workers in worker_counts
        ):
            edition = make_edition(newsletter, f"q{n}-{workers}-{attempt}")
            WorkerHeartbeat.objects.filter(worker_id__startswith="bench-").delete()
            processes = [
                subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "worker",
                        "--no-schedule",
                        "--interval",
                        "0.1",
                        "--verbosity",
                        "0",
                        "--worker-id",
                        f"bench-{i}",
                    ],
                    cwd=ROOT,
                    env=env,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
                for i in range(workers)
            ]
            # Start the clock once every worker has started (its heartbeat,
            # recorded just before it polls the queue): on a loaded machine
            # starting Django takes seconds, which is not sending.
            names = [f"bench-{i}" for i in range(workers)]
            while WorkerHeartbeat.objects.filter(worker_id__in=names).count() < workers:
                assert all(p.poll() is None for p in processes), "a worker did not start"
                time.sleep(0.1)
            # Then django-tasks-db's worker sleeps a random 0–1 s before it
            # first polls (against a thundering herd of workers starting at
            # once): start-up too, not sending, which a running worker does
            # not do again.
            time.sleep(1.1)
            started_cpu = [_cpu_seconds(p.pid) for p in processes]
            started_sink = sink.cpu_seconds() if sink else 0
            started_machine = _machine_times()
            started = time.perf_counter()
            run = sending.request_sending(edition=edition)
            while True:
                run.refresh_from_db()
                if run.finished_at is not None or run.error:
                    break
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            busy, total = (b - a for a, b in zip(started_machine, _machine_times(), strict=True))
            sink_cpu = (sink.cpu_seconds() - started_sink) if sink else 0
            peaks = [_peak_rss_mb(p.pid) for p in processes]
            cpu = sum(_cpu_seconds(p.pid) for p in processes) - sum(started_cpu)
            for p in processes:
                p.terminate()
            for p in processes:
                p.wait(30)
            progress = sending.progress(sending=run)
            # Before the first batch: the request, a worker taking it, and
            # preparing (render, reach the mail server, plan the batches).
            first_sent = (
                Delivery.objects.filter(edition=edition).order_by("sent_at").first().sent_at
            )
            before_first = (first_sent - run.requested_at).total_seconds()
            assert progress.sent == n and progress.failed == 0, progress
            results.setdefault((n, workers), []).append(n / elapsed)
            memory = ", ".join(f"{m:.0f}" for m in peaks)
            load = os.getloadavg()[0]
            # CPU per message: the workers, the mail server, and the rest
            # of the machine (mostly PostgreSQL), from the machine's total.
            cores = os.cpu_count() or 1
            machine_cpu = elapsed * cores * busy / max(total, 1)
            rest = machine_cpu - cpu - sink_cpu
            print(
                f"{n:>11,}  {workers:>7}  {n / elapsed:>10.0f}  {elapsed:>7.1f}  {memory:>21} MB"
                f"  (CPU ms/message: workers {1000 * cpu / n:.2f}, mail server"
                f" {1000 * sink_cpu / n:.2f}, rest {1000 * rest / n:.2f}; machine"
                f" {100 * busy / max(total, 1):.0f}% busy, load {load:.1f}; first message"
                f" after {before_first:.2f} s)",
                flush=True,
            )
            connection.close()
    for (n, workers), rates in results.items():
        rates = sorted(rates)
        print(
            f"{n:,} subscribers, {workers} worker(s): {rates[0]:.0f}–{rates[-1]:.0f} messages/s"
            f" over {len(rates)} run(s), median {rates[len(rates) // 2]:.0f}"
        )
    for n in lists:
        if (n, 1) in results and (n, 2) in results:
            one, two = sorted(results[(n, 1)]), sorted(results[(n, 2)])
            # Each run of two workers against the run of one just before it.
            pairs = [b / a for a, b in zip(results[(n, 1)], results[(n, 2)], strict=True)]
            print(
                f"{n:,}: two workers x{two[len(two) // 2] / one[len(one) // 2]:.2f} one worker"
                f" (medians; run by run x{min(pairs):.2f}–x{max(pairs):.2f})"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--queue", action="store_true", help="benchmark the task-queue workers")
    parser.add_argument("--lists", default="10000,50000")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument(
        "--repeat", type=int, default=1, help="measure each case this many times (the spread)"
    )
    parser.add_argument(
        "--sink-processes",
        type=int,
        default=2,
        help="SMTP sink processes for --queue (one Python process caps what two workers can send)",
    )
    parser.add_argument(
        "--sink",
        choices=["aiosmtpd", "smtp-sink"],
        default="aiosmtpd",
        help="the mail server: aiosmtpd (Python, costs about 0.7 ms of CPU a message on the"
        " same cores) or Postfix's smtp-sink (C, almost none)",
    )
    args = parser.parse_args()

    if args.queue:
        sink = PostfixSink() if args.sink == "smtp-sink" else Sink(args.sink_processes)
        try:
            setup_django(sink.port)
            from newsletter.models import Edition, Newsletter

            # What an interrupted run left behind (editions protect their newsletter).
            Edition.objects.filter(newsletter__name="Benchmark newsletter").delete()
            Newsletter.objects.filter(name="Benchmark newsletter").delete()
            newsletter = Newsletter.objects.create(name="Benchmark newsletter")
            try:
                queue_bench(
                    newsletter,
                    [int(n) for n in args.lists.split(",")],
                    [int(n) for n in args.workers.split(",")],
                    repeat=args.repeat,
                    sink=sink,
                )
                print(
                    f"messages received by the sink ({args.sink}): {sink.count():,}"
                    f" ({len(sink.processes)} process(es), {sink.cpu_seconds():.1f} s of CPU)"
                )
            finally:
                newsletter.editions.all().delete()
                newsletter.delete()
        finally:
            sink.stop()
        return

    sink = PostfixSink() if args.sink == "smtp-sink" else Sink()
    try:
        setup_django(sink.port)
        from django.conf import settings

        from newsletter.models import Newsletter

        newsletter = Newsletter.objects.create(name="Benchmark newsletter")
        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        print(f"SMTP sink: 127.0.0.1:{sink.port} (separate process)")
        header = ("subscribers", "messages/s", "seconds", "peak traced memory")
        print("{:>11}  {:>10}  {:>7}  {:>18}".format(*header))
        rows = []
        done = 0
        for n in (args.small, args.subscribers):
            add_subscribers(newsletter, done, n)
            done = n
            elapsed, _ = send(newsletter, n, traced=False)
            _, peak = send(newsletter, n, traced=True)
            rows.append((n, n / elapsed, elapsed, peak))
            print(f"{n:>11,}  {n / elapsed:>10.0f}  {elapsed:>7.1f}  {peak / 2**20:>15.1f} MB")
        received = sink.count()
        expected = 2 * (args.small + args.subscribers)
        assert received == expected, (received, expected)
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        print(f"messages received by the sink: {received:,} (all of them, once)")
        print(f"peak resident memory of the sending process: {maxrss:.0f} MB")
        growth = rows[-1][3] / rows[0][3]
        print(
            f"traced memory at {rows[-1][0]:,} vs {rows[0][0]:,} subscribers: x{growth:.2f}"
            f" for x{rows[-1][0] / rows[0][0]:.0f} the subscribers"
        )
        newsletter.editions.all().delete()
        newsletter.delete()
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
