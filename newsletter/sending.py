"""Sending an edition on the task queue: services the tasks call.

Pressing Send (admin) or ``send_edition SLUG`` calls ``request_sending``,
which records a Sending and enqueues ``prepare``; nothing long runs in the
request. ``prepare`` renders the edition and reaches the mail server (an
edition that cannot go out stays a draft), then splits the due
subscribers into batches by primary key, one task each. ``send_batch``
sends one batch with ``services.send_edition``, whose delivery rows stay
the truth: a delivery is claimed before its message is handed over, so
however many workers run a batch, nobody gets the edition twice.

A worker killed mid-batch stops beating its batch's heartbeat; ``watch``
(enqueued again and again while a sending runs, and by the schedule every
minute as a backstop) hands such a batch to another worker, which sends
again what the dead one left "sending" (``services.reclaim_interrupted``:
at most one of those, the message on the wire, may have arrived). A
sending is finished only when no delivery is left "sending". Temporary
refusals (4xx) are retried by later passes with growing delays, up to
MAX_PASSES, then reported as failed.

A batch that cannot be sent at all (the mail server unreachable, or
refusing everything, or a worker dying under it) is run again with a
doubling delay, NEWSLETTER_BATCH_ATTEMPTS runs in all; then it is marked
failed with the reason, the sending finishes, and the edition's progress
says so. Sending again resumes: only what was not sent goes out.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from healthlib.lib.taskqueue import enqueue_on_commit, task_named
from newsletter import emails, services, smtp
from newsletter.editions import mark_sent
from newsletter.models import Delivery, SendBatch, Sending, Subscriber

logger = logging.getLogger(__name__)

# How the editor resumes a sending given up (the admin's link; send_edition
# says its own way).
RESUME = (
    "Use “Send to subscribers…” again once the mail server works: only what was not sent goes out."
)

# Passes over temporary failures: the first send, then retries after
# RETRY_DELAY, 2 × RETRY_DELAY, … seconds.
MAX_PASSES = 3


def stale_after():
    """A running batch whose heartbeat is older than this lost its worker.
    Heartbeats come with every claim (20 messages, well under a second)
    and a few times per period whatever the pace, so the default minute
    (the queue's, taskqueue.stale_after) leaves room for a slow mail
    server. The same period is the lease of a batch's "sending"
    deliveries (services.stale_after): a batch taken over finds them
    expired, and sends them again."""
    return services.stale_after()


def watch_interval():
    return timedelta(seconds=getattr(settings, "NEWSLETTER_WATCH_SECONDS", 10))


def retry_delay():
    return timedelta(seconds=getattr(settings, "NEWSLETTER_RETRY_DELAY_SECONDS", 300))


def batch_attempts():
    """Runs of a batch the mail server will not take before it is failed."""
    return getattr(settings, "NEWSLETTER_BATCH_ATTEMPTS", 5)


def batch_backoff(runs):
    """The wait before a batch's next run after ``runs`` runs that could not
    send it: 1, 2, 4, 8 minutes by default (a quarter of an hour in all,
    enough for a mail server restart, not so long that nobody notices)."""
    base = getattr(settings, "NEWSLETTER_BATCH_BACKOFF_SECONDS", 60)
    return timedelta(seconds=base * 2 ** (runs - 1))


def _task(name):
    """The queue's task ``name`` (``newsletter.tasks``), by its dotted path:
    the tasks module imports this one, so this one names its tasks."""
    return task_named(f"newsletter.tasks.{name}")


def request_sending(*, edition, user=None, batch_size=services.BATCH_SIZE):
    """Ask the workers to send ``edition``; returns the Sending. A sending
    already under way is returned instead of starting a second one."""
    with transaction.atomic():
        running = (
            Sending.objects.select_for_update()
            .filter(edition=edition, finished_at__isnull=True, error="")
            .first()
        )
        if running is not None:
            return running
        sending = Sending.objects.create(edition=edition, requested_by=user, batch_size=batch_size)
        enqueue_on_commit(_task("prepare_sending"), sending.pk)
    return sending


def prepare(*, sending):
    """Render, reach the mail server, mark the edition sent, plan batches."""
    if sending.started_at is not None or sending.error:
        return sending  # a repeated task: already done
    edition = sending.edition
    try:
        emails.render_versions(edition)  # every language's version
        if services.due_subscribers(edition).exists():
            services._open_connection().close()
    except Exception as exc:
        # The edition stays a draft; the progress bar shows why.
        sending.error = f"Not sent: {exc}"
        sending.finished_at = timezone.now()
        sending.save(update_fields=["error", "finished_at"])
        logger.warning("Sending of %s could not start: %s", edition, exc)
        return sending
    mark_sent(edition=edition)
    # What an earlier run (given up, or --here) left "sending" and dead.
    services.reclaim_interrupted(edition=edition)
    with transaction.atomic():
        batches = _plan(sending, services.due_subscribers(edition))
        sending.total = sum(n for _, n in batches)
        sending.started_at = timezone.now()
        sending.save(update_fields=["total", "started_at"])
        if not batches:
            sending.finished_at = sending.started_at
            sending.save(update_fields=["finished_at"])
            return sending
        created = SendBatch.objects.bulk_create(batch for batch, _ in batches)
        for batch in created:
            enqueue_on_commit(_task("send_batch"), batch.pk)
        _watch_later(sending)
    return sending


def _plan(sending, subscribers):
    """Split ``subscribers`` into ranges of ``batch_size`` primary keys,
    reading only the keys, a chunk at a time (memory stays flat)."""
    plans, first, count, last = [], None, 0, None
    for pk in subscribers.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000):
        if first is None:
            first = pk
        count += 1
        last = pk
        if count == sending.batch_size:
            plans.append(
                (
                    SendBatch(sending=sending, first_subscriber_id=first, last_subscriber_id=last),
                    count,
                )
            )
            first, count = None, 0
    if first is not None:
        plans.append(
            (SendBatch(sending=sending, first_subscriber_id=first, last_subscriber_id=last), count)
        )
    return plans


def _watch_later(sending):
    task = _task("watch_sending")
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + watch_interval())
        enqueue_on_commit(task, sending.pk)
    # Without deferral (tasks run at once) there is nothing to watch.


def _take(batch_id):
    """Take a queued batch, or a running one whose worker stopped beating.
    Compare-and-set: of two workers, one gets it."""
    now = timezone.now()
    taken = SendBatch.objects.filter(
        Q(status=SendBatch.Status.QUEUED)
        # A batch whose workers died under it every time is failed by
        # watch, not taken again.
        | Q(
            status=SendBatch.Status.RUNNING,
            heartbeat_at__lt=now - stale_after(),
            runs__lt=batch_attempts(),
        ),
        pk=batch_id,
    ).update(status=SendBatch.Status.RUNNING, heartbeat_at=now)
    if taken:
        SendBatch.objects.filter(pk=batch_id).update(runs=F("runs") + 1)
    return bool(taken)


def send_batch(*, batch_id):
    """Send one batch (the task's body). Returns a small report."""
    if not _take(batch_id):
        return {"skipped": True}  # done, failed, or another worker has it
    batch = SendBatch.objects.select_related("sending__edition__newsletter").get(pk=batch_id)
    sending = batch.sending

    def heartbeat():
        SendBatch.objects.filter(pk=batch_id).update(heartbeat_at=timezone.now())

    try:
        report = services.send_edition(
            edition=sending.edition,
            subscriber_range=(batch.first_subscriber_id, batch.last_subscriber_id),
            heartbeat=heartbeat,
        )
    except Exception as exc:
        # Mostly the mail server unreachable (SendingError). Retry later,
        # or give up; the task is still recorded failed with its traceback.
        reason = str(exc) if isinstance(exc, services.SendingError) else smtp.describe(exc)
        _retry_later_or_fail(batch, reason)
        raise
    if report.stopped:
        # The server refused many in a row (down, or throttling us): the
        # rest of this batch is tried again later, not dropped.
        _retry_later_or_fail(
            batch, f"{report.stopped} ({'; '.join(report.errors)})".replace(" ()", "")
        )
        return {"sent": report.sent, "failed": report.failed, "stopped": report.stopped}
    SendBatch.objects.filter(pk=batch_id).update(status=SendBatch.Status.DONE, error="")
    # Finish the sending now if this was the last batch; the watch chain
    # started by prepare keeps watching otherwise (no second chain).
    watch(sending=sending, reschedule=False)
    return {"sent": report.sent, "failed": report.failed, "stopped": report.stopped}


def _retry_later_or_fail(batch, reason):
    """After a run that could not send ``batch``: enqueue its next run after
    the backoff, or, its attempts spent (or with a backend that cannot wait),
    mark it failed and finish the sending if nothing else is left."""
    batch.refresh_from_db(fields=["runs"])
    task = _task("send_batch")
    if batch.runs < batch_attempts() and task.get_backend().supports_defer:
        delay = batch_backoff(batch.runs)
        logger.warning(
            "Batch %s of %s not sent (run %d of %d): %s; next run in %d s",
            batch.pk, batch.sending.edition, batch.runs, batch_attempts(), reason,
            delay.total_seconds(),
        )  # fmt: skip
        SendBatch.objects.filter(pk=batch.pk).update(status=SendBatch.Status.QUEUED, error=reason)
        enqueue_on_commit(task.using(run_after=timezone.now() + delay), batch.pk)
        return
    _fail(batch.pk, reason)
    watch(sending=batch.sending, reschedule=False)


def _fail(batch_id, reason, **only_if):
    if SendBatch.objects.filter(pk=batch_id, **only_if).update(
        status=SendBatch.Status.FAILED, error=reason
    ):
        logger.error("Batch %s gave up after its attempts: %s", batch_id, reason)


def watch(*, sending, reschedule=True):
    """Hand stalled batches to other workers, schedule retry passes, and
    finish the sending when nothing is left. Safe to run any time, from
    anywhere, any number of times. Returns True while the sending runs.

    ``reschedule``: enqueue the next watch while the sending runs. Only the
    chain started by ``prepare`` does, so there is one chain per sending;
    the schedule's ``resume_all`` restarts it if it died with a worker."""
    sending.refresh_from_db()
    if sending.finished_at is not None or sending.started_at is None:
        return False
    now = timezone.now()
    stalled = list(
        SendBatch.objects.filter(
            sending=sending, status=SendBatch.Status.RUNNING, heartbeat_at__lt=now - stale_after()
        ).values_list("pk", "runs")
    )
    for batch_id, runs in stalled:
        if runs >= batch_attempts():
            # Its worker died under it every time: something in the batch
            # kills workers, or the machine keeps failing. Stop there; what
            # it left "sending" goes out with the next Send.
            _fail(
                batch_id,
                f"its worker stopped while sending it {runs} times",
                status=SendBatch.Status.RUNNING,
                heartbeat_at__lt=now - stale_after(),
            )
            continue
        # Back to queued (compare-and-set: one watch hands it over), so that
        # the next watches do not enqueue it again and again while it waits
        # for a free worker: on a busy queue those copies would outrun the
        # workers. The queue keeps the task; a worker killed running it is
        # handled by the queue's recovery (workers.recover_abandoned).
        if not SendBatch.objects.filter(
            pk=batch_id, status=SendBatch.Status.RUNNING, heartbeat_at__lt=now - stale_after()
        ).update(status=SendBatch.Status.QUEUED, heartbeat_at=now):
            continue
        logger.warning("Batch %s of %s stalled; handing it to another worker", batch_id, sending)
        enqueue_on_commit(_task("send_batch"), batch_id)
    batches = SendBatch.objects.filter(sending=sending)
    open_batches = batches.exclude(status__in=[SendBatch.Status.DONE, SendBatch.Status.FAILED])
    if open_batches.exists():
        if reschedule:
            _watch_later(sending)
        return True
    if _resend_interrupted(sending, now, reschedule=reschedule):
        return True
    if batches.filter(status=SendBatch.Status.FAILED).exists():
        # Retry passes would meet the same fault; the editor resumes (Send
        # again) once it is fixed. The progress bar says why it stopped.
        return _finish(sending, now)
    passes = SendBatch.objects.filter(sending=sending, retry_failed=True).count() + 1
    retryable = Delivery.objects.filter(
        edition=sending.edition,
        status=Delivery.Status.FAILED,
        subscriber__status=Subscriber.Status.CONFIRMED,
    )
    if passes < MAX_PASSES and retryable.exists():
        bounds = retryable.aggregate(first=Min("subscriber_id"), last=Max("subscriber_id"))
        with transaction.atomic():
            batch = SendBatch.objects.create(
                sending=sending,
                first_subscriber_id=bounds["first"],
                last_subscriber_id=bounds["last"],
                retry_failed=True,
            )
            task = _task("send_batch")
            if task.get_backend().supports_defer:
                task = task.using(run_after=now + retry_delay() * passes)
            enqueue_on_commit(task, batch.pk)
            if reschedule:
                _watch_later(sending)
        return True
    return _finish(sending, now)


def _resend_interrupted(sending, now, *, reschedule):
    """Every batch is closed, but deliveries are left "sending": a connection
    dropped mid-message, or a worker died after its batch was closed. Wait
    for their lease (a live run renews it), then send them again in a new
    batch. Returns True while any is left (the sending is not finished)."""
    edition = sending.edition
    interrupted = Delivery.objects.filter(edition=edition, status=Delivery.Status.SENDING)
    if not interrupted.exists():
        return False
    if services.reclaim_interrupted(edition=edition, now=now):
        due = services.due_subscribers(edition).aggregate(first=Min("pk"), last=Max("pk"))
        if due["first"] is not None:
            with transaction.atomic():
                batch = SendBatch.objects.create(
                    sending=sending,
                    first_subscriber_id=due["first"],
                    last_subscriber_id=due["last"],
                )
                enqueue_on_commit(_task("send_batch"), batch.pk)
    if reschedule:
        _watch_later(sending)
    return True


def _finish(sending, now):
    updated = Sending.objects.filter(pk=sending.pk, finished_at__isnull=True).update(
        finished_at=now
    )
    if updated:
        logger.info("Sending of %s finished", sending.edition)
    return False


def resume_all():
    """The schedule's backstop, every minute: watch every sending still under
    way (its own chain of watch tasks may have died with a worker). It
    starts no new chain, so chains do not multiply."""
    for sending in Sending.objects.filter(
        finished_at__isnull=True, error="", started_at__isnull=False
    ):
        watch(sending=sending, reschedule=False)
    # A prepare task lost with its worker: prepare again (it is idempotent).
    stuck = Sending.objects.filter(
        started_at__isnull=True, error="", requested_at__lt=timezone.now() - stale_after()
    )
    for sending in stuck:
        enqueue_on_commit(_task("prepare_sending"), sending.pk)


@dataclass
class Progress:
    total: int
    sent: int
    failed: int
    bounced: int
    in_flight: int
    remaining: int
    percent: int
    rate: float  # messages per second since sending started
    eta_seconds: int | None
    finished: bool
    error: str
    started_at: object
    errors: list
    stopped: str  # why batches were given up, and how to resume; else ""

    def as_json(self):
        data = dict(self.__dict__)
        data["started_at"] = self.started_at.isoformat() if self.started_at else None
        return data


def progress(*, sending):
    """Where a sending stands, counted from the deliveries (the truth)."""
    edition = sending.edition
    counts = Delivery.objects.filter(edition=edition).aggregate(
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        sending=Count("pk", filter=Q(status=Delivery.Status.SENDING)),
        bounced=Count(
            "pk",
            filter=Q(status=Delivery.Status.FAILED, subscriber__status=Subscriber.Status.BOUNCED),
        ),
    )
    # Sent or failed before this sending (an earlier run) is not its progress.
    due_unsent = (
        services.due_subscribers(edition)
        .exclude(deliveries__edition=edition, deliveries__status=Delivery.Status.FAILED)
        .count()
    )
    finished = sending.finished_at is not None
    sent, failed = counts["sent"], counts["failed"]
    total = max(sending.total, sent + failed + counts["sending"] + due_unsent)
    remaining = due_unsent
    done = total - remaining
    elapsed = None
    rate = 0.0
    if sending.started_at:
        end = sending.finished_at or timezone.now()
        elapsed = max((end - sending.started_at).total_seconds(), 0.001)
        rate = sent / elapsed
    eta = int(remaining / rate) if rate and remaining else (0 if finished else None)
    errors = list(
        Delivery.objects.filter(edition=edition, status=Delivery.Status.FAILED)
        .exclude(error="")
        .values_list("error", flat=True)
        .distinct()[:3]
    )
    stopped = ""
    failed_batches = SendBatch.objects.filter(sending=sending, status=SendBatch.Status.FAILED)
    if failed_batches.exists():
        reasons = list(failed_batches.values_list("error", flat=True).distinct()[:2])
        # The runs the failed batches really had: batch_attempts() is only
        # the most they get (a backend that cannot wait fails a batch on its
        # first failed run, see _retry_later_or_fail).
        runs = failed_batches.aggregate(runs=Max("runs"))["runs"] or 0
        after = f" after {runs} attempt{'' if runs == 1 else 's'}" if runs else ""
        # Given up: every message not sent that Send again would send, the
        # ones never tried (remaining) and the ones refused (failed, but not
        # bounced: those subscribers are suppressed).
        unsent = services.due_subscribers(edition).count()
        stopped = (
            f"Gave up on {unsent} message{'' if unsent == 1 else 's'}{after}:"
            f" {'; '.join(reasons)}. {RESUME}"
        )
    return Progress(
        total=total,
        sent=sent,
        failed=failed,
        bounced=counts["bounced"],
        in_flight=counts["sending"],
        remaining=remaining,
        percent=100 if not total else int(100 * done / total),
        rate=round(rate, 1),
        eta_seconds=eta,
        finished=finished,
        error=sending.error,
        started_at=sending.started_at,
        errors=errors,
        stopped=stopped,
    )
