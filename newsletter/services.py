"""Sending an edition: who is due, claiming and delivering in batches,
recording each message's fate, bounces. (Sign-ups are in
``newsletter.signups``; the queue that runs sending is ``newsletter.sending``;
translations, the archive and a test send are ``newsletter.editions``; what
the mail server's refusals mean is ``newsletter.smtp``.)

The admin, the management commands, the tasks and the tests call these.
"""

import contextlib
import itertools
import logging
import smtplib
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from newsletter import audience, emails, smtp, stats
from newsletter.editions import mark_sent
from newsletter.models import Delivery, Subscriber
from newsletter.signups import suppress

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Deliveries claimed per commit (see send_edition).
CLAIM_SIZE = 20
# A server that refuses this many messages in a row is down or blocking
# us; carrying on would only record thousands of identical failures.
MAX_CONSECUTIVE_FAILURES = 10
# Messages handed to the SMTP server whose acceptance may not be recorded
# when the sender dies: one, the message on the wire (each is recorded sent
# as soon as the server accepts it, and the next is handed over only after
# that; pipelining, newsletter.smtp, groups one message's commands, never
# two messages). So a killed worker costs at most this many duplicates.
IN_FLIGHT_PER_CONNECTION = 1


def stale_after():
    """A run's lease: a delivery left "sending" longer than this (its run
    renews it a few times per period while it lives) belongs to a run that
    died, and is sent again. The same period tells a queue batch whose
    worker died (newsletter.sending). By default the task queue's minute
    (TASKS_STALE_SECONDS), well above EMAIL_TIMEOUT, so a live run waiting
    on a slow server is never taken for dead."""
    from healthlib.lib import taskqueue

    seconds = getattr(settings, "NEWSLETTER_BATCH_STALE_SECONDS", None)
    return taskqueue.stale_after() if seconds is None else timedelta(seconds=seconds)


class SendingError(Exception):
    """The edition could not be sent at all (no SMTP connection)."""


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    total: int = 0  # subscribers due when the run started
    in_flight: int = 0  # deliveries still "sending" (another run's, or waiting for their lease)
    errors: list = field(default_factory=list)  # a few distinct error texts
    bounced: int = 0  # of the failed: refused permanently, subscriber suppressed
    stopped: str = ""  # why the run stopped early, if it did
    paused: bool = False  # the time limit was reached; run again to continue

    def note_error(self, text):
        if text not in self.errors and len(self.errors) < 5:
            self.errors.append(text)


def due_subscribers(edition):
    """Confirmed subscribers who have not been sent ``edition`` and are not
    being sent it (no delivery yet, or one that is pending or failed), and
    whose choices take it (topics, frequency, pause: newsletter.audience)."""
    done = Delivery.objects.filter(
        edition=edition,
        subscriber=OuterRef("pk"),
        status__in=[Delivery.Status.SENT, Delivery.Status.SENDING],
    )
    return audience.choosing(
        Subscriber.objects.filter(
            newsletter_id=edition.newsletter_id, status=Subscriber.Status.CONFIRMED
        ).filter(~Exists(done)),
        edition,
    )


@dataclass
class _Outcome:
    delivery_id: int
    status: str
    error: str = ""
    bounced: bool = False  # permanent refusal of the recipient: suppress them


def _commit(outcomes, *, release=(), claim=(), heartbeat=None):
    """One commit: record ``outcomes``, give back deliveries claimed but never
    handed to the server (``release``), claim the next group (``claim``)
    and call ``heartbeat`` (one commit, not two: each costs a disk flush).

    Claiming is a compare-and-set (pending/failed → sending, rows locked),
    so two runs at the same time never both send one delivery. Returns the
    ids actually claimed.
    """
    now = timezone.now()
    with transaction.atomic():
        sent = [o.delivery_id for o in outcomes if o.status == Delivery.Status.SENT]
        if sent:
            Delivery.objects.filter(pk__in=sent).update(
                status=Delivery.Status.SENT, sent_at=now, error="", updated_at=now
            )
        for outcome in outcomes:
            if outcome.status != Delivery.Status.SENT:
                Delivery.objects.filter(pk=outcome.delivery_id).update(
                    status=outcome.status, error=outcome.error[:2000], updated_at=now
                )
            if outcome.bounced and suppress(
                subscribers=Subscriber.objects.filter(deliveries=outcome.delivery_id),
                status=Subscriber.Status.BOUNCED,
                reason=f"Refused permanently by the mail server: {outcome.error[:500]}",
                counted=False,
            ):
                # Counted against the edition it bounced from.
                edition_id = Delivery.objects.values_list("edition_id", flat=True).get(
                    pk=outcome.delivery_id
                )
                stats.count(edition_id, "bounces")
        if release:
            Delivery.objects.filter(pk__in=release, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.PENDING, attempts=F("attempts") - 1, updated_at=now
            )
        if heartbeat is not None:
            heartbeat()
        if not claim:
            return set()
        claimed = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=claim, status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED])
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=claimed).update(
            status=Delivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=now
        )
        return set(claimed)


def reclaim_interrupted(*, edition, subscriber_range=None, now=None):
    """Deliveries of ``edition`` left "sending" by a run that died (their
    lease, ``stale_after``, expired) go back to pending, so the next run
    sends them: a worker killed at any moment loses nobody. Of these, at
    most IN_FLIGHT_PER_CONNECTION per dead run may have arrived already
    (the message on the wire when it died): that is the duplicate a kill
    can cost. Returns how many were reclaimed."""
    now = now or timezone.now()
    interrupted = Delivery.objects.filter(
        edition=edition, status=Delivery.Status.SENDING, updated_at__lt=now - stale_after()
    )
    if subscriber_range is not None:
        interrupted = interrupted.filter(
            subscriber_id__gte=subscriber_range[0], subscriber_id__lte=subscriber_range[1]
        )
    count = interrupted.update(
        status=Delivery.Status.PENDING,
        error="Interrupted while sending (its run stopped); sent again.",
        updated_at=now,
    )
    if count:
        logger.warning("%d interrupted deliveries of %s will be sent again", count, edition)
    return count


def _record_sent(delivery_id):
    """Record one message the server accepted, at once: one UPDATE (its own
    commit, outside any transaction), written by hand because it runs once
    per message and the ORM's query building is a good part of its cost."""
    table = Delivery._meta.db_table
    now = db.ops.adapt_datetimefield_value(timezone.now())
    with db.cursor() as cursor:
        cursor.execute(
            # The table name is the model's, not input.
            f"UPDATE {table} SET status = %s, sent_at = %s, updated_at = %s, error = '' "  # noqa: S608
            "WHERE id = %s",
            [Delivery.Status.SENT, now, now, delivery_id],
        )


@contextlib.contextmanager
def _cheap_commits():
    """On PostgreSQL, commits that do not wait for the disk while sending
    (synchronous_commit off for this session, reset after): a commit per
    message costs a round trip, not a flush. A worker killed loses none of
    them (the server has them); a *database* crash may forget the last
    fraction of a second (wal_writer_delay × 3), whose messages then go out
    again: the price of recording every message."""
    if db.vendor != "postgresql" or db.in_atomic_block:
        yield
        return
    with db.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with contextlib.suppress(Exception), db.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _renew(claimed, heartbeat):
    """Renew the lease of a live run's "sending" deliveries (``claimed``),
    and beat the queue batch's heartbeat: a slow group is not taken for a
    dead run's (see ``reclaim_interrupted``)."""
    Delivery.objects.filter(pk__in=claimed, status=Delivery.Status.SENDING).update(
        updated_at=timezone.now()
    )
    if heartbeat is not None:
        heartbeat()


def _closed_by_server(connection):
    """Django's SMTP backend, open, on an SMTP connection that is closed
    (smtplib closes it when the server answers 421)."""
    client = getattr(connection, "connection", None)
    return client is not None and getattr(client, "sock", True) is None


def _open_connection():
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        raise SendingError(f"Cannot connect to the mail server: {exc}") from exc
    return connection


def send_edition(
    *,
    edition,
    batch_size=BATCH_SIZE,
    claim_size=None,
    progress=None,
    resend_interrupted=False,
    time_limit=None,
    subscriber_range=None,
    heartbeat=None,
    rendered=None,
):
    """Send ``edition`` to every confirmed subscriber who has not had it.

    Run it again whenever you like: after new sign-ups, after failures,
    after a crash. Each run sends only what is missing, and nobody gets the
    edition twice.

    How. Subscribers are read in batches by primary key, so memory stays
    flat whatever the list's size, and each batch is sent over one SMTP
    connection. For each batch a Delivery row (pending) is created for
    everyone first; the pair edition × subscriber is unique. Then, group by
    group (``claim_size`` messages), the deliveries are *claimed*
    (pending/failed → sending) in a commit made *before* any of them is
    handed to the SMTP server; each message the server accepts is recorded
    sent at once (``_record_sent``), refusals with the next group's claim.
    So:

    * a message the server refused (4xx/5xx) is known not to have gone
      out: it is recorded failed, with the server's answer, and the next
      run retries it;
    * a claimed message never handed over (the run stopped) goes back to
      pending; a subscriber the run never reached has no delivery or a
      pending one: the next run sends both;
    * a message whose fate is unknown stays "sending": the one in flight
      when the connection dropped (recorded with the error), or, if the
      process died, the rest of its group (all but one never handed
      over). A live run renews the lease of its "sending" deliveries;
      once a lease expires (``stale_after``) the next run, or the queue's
      watch, sends them again (``reclaim_interrupted``). Nobody is missed;
      the price is at most IN_FLIGHT_PER_CONNECTION duplicate per dead
      run or dropped connection (the message on the wire).

    Claiming per group rather than per message is for speed: a claim is
    a durable commit. The per-message record of a message sent commits
    without waiting for the disk on PostgreSQL (``_cheap_commits``).

    ``time_limit`` (seconds) pauses the run cleanly after the group that
    crosses it: the rest is sent by the next run.

    The queue (newsletter.sending) runs this once per batch of subscribers:
    ``subscriber_range`` (first pk, last pk) limits it to the batch,
    ``heartbeat`` is called with each claim so that a stalled batch can be
    told from a working one, and ``rendered`` is the edition rendered once
    per language (``emails.render_versions``): each subscriber gets the
    version in their language, or the English one. Whatever the version,
    the delivery is the English edition's, so nobody gets it twice.

    A recipient the server refuses permanently (5xx) is marked bounced and
    never sent to again; temporary refusals (4xx) stay failed and are
    retried by the next run.

    This function is not one transaction on purpose: claims and results
    must be committed as sending goes.
    """
    if edition.is_translation:
        raise SendingError(
            "Send the English edition: subscribers who chose another language get this "
            "version of it."
        )
    claim_size = claim_size or CLAIM_SIZE
    deadline = None if time_limit is None else time.monotonic() + time_limit
    # The lease of this run's "sending" deliveries (and the queue batch's
    # heartbeat) is renewed this often, whatever the claims' pace.
    renew_every = stale_after().total_seconds() / 4
    # Render the edition and reach the mail server before marking it sent:
    # an edition that cannot go out stays a draft, instead of appearing in
    # the archive with no deliveries (an error here raises, nothing changed).
    # One rendering per language: each subscriber gets their language's
    # version, or the English one (emails.render_versions).
    rendered = rendered or emails.render_versions(edition)
    # What a dead run left "sending" is due again (``resend_interrupted``
    # is accepted for old callers: this is now always done).
    reclaim_interrupted(edition=edition, subscriber_range=subscriber_range)
    due = due_subscribers(edition)
    if subscriber_range is not None:
        due = due.filter(pk__gte=subscriber_range[0], pk__lte=subscriber_range[1])
    batches = _batches(due, batch_size, until=subscriber_range and subscriber_range[1])
    first = next(batches, None)
    # A whole run reports how many it set out to send; the queue's batch
    # (a range of at most a batch) is counted as it is read: a count of the
    # whole list per batch is database work nobody reads.
    report = SendReport(total=due.count() if subscriber_range is None else 0)
    connection = _open_connection() if first else None
    try:
        mark_sent(edition=edition)
    except BaseException:
        if connection is not None:
            connection.close()
        raise
    consecutive_failures = 0
    unsubscribe_url = emails.unsubscribe_urls()
    renewed = time.monotonic()
    with _cheap_commits():
        for batch in itertools.chain([first] if first else [], batches):
            if subscriber_range is not None:
                report.total += len(batch)
            Delivery.objects.bulk_create(
                [Delivery(edition=edition, subscriber_id=pk) for pk, *_ in batch],
                ignore_conflicts=True,
            )
            # By range of subscribers (an index range scan), not a list of
            # them; only the batch's own are looked up below.
            delivery_ids = dict(
                Delivery.objects.filter(
                    edition=edition,
                    subscriber_id__gte=batch[0][0],
                    subscriber_id__lte=batch[-1][0],
                    status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED],
                ).values_list("subscriber_id", "pk")
            )
            # The first batch uses the connection opened above.
            connection = connection or _open_connection()
            outgoing = {}  # language → emails.Outgoing over this connection
            outcomes, claimed, attempted = [], set(), set()
            try:
                for start in range(0, len(batch), claim_size):
                    group = batch[start : start + claim_size]
                    claimed = _commit(
                        outcomes,
                        claim=[delivery_ids[pk] for pk, *_ in group if pk in delivery_ids],
                        heartbeat=heartbeat,
                    )
                    outcomes, attempted = [], set()
                    for pk, email, secret, language in group:
                        if time.monotonic() - renewed >= renew_every:
                            _renew(claimed, heartbeat)
                            renewed = time.monotonic()
                        delivery_id = delivery_ids.get(pk)
                        if delivery_id not in claimed:
                            continue  # another run is sending it or has sent it
                        if _closed_by_server(connection):
                            # The server closed it after refusing (421): a new
                            # connection, not a message lost on a dead one.
                            connection.close()
                            connection = _open_connection()
                            outgoing = {}
                        if language not in outgoing:
                            outgoing[language] = rendered.for_language(language).outgoing(
                                connection
                            )
                        attempted.add(delivery_id)
                        try:
                            outgoing[language].send(
                                to=email, unsubscribe_url=unsubscribe_url(pk, secret, language)
                            )
                        except smtp.REFUSED as exc:
                            outcome = _Outcome(
                                delivery_id,
                                Delivery.Status.FAILED,
                                smtp.describe(exc),
                                bounced=smtp.bounced(exc),
                            )
                        except (smtplib.SMTPException, OSError) as exc:
                            # Lost mid-conversation: it may have been accepted.
                            outcome = _Outcome(
                                delivery_id, Delivery.Status.SENDING, smtp.describe(exc)
                            )
                            connection.close()
                            connection = _open_connection()
                            outgoing = {}
                        else:
                            # Recorded before the next message is handed
                            # over: a kill from here on costs no duplicate.
                            _record_sent(delivery_id)
                            report.sent += 1
                            consecutive_failures = 0
                            continue
                        outcomes.append(outcome)
                        report.failed += 1
                        report.note_error(outcome.error)
                        if outcome.bounced:
                            # One bad address says nothing about the server.
                            report.bounced += 1
                            continue
                        consecutive_failures += 1
                        if consecutive_failures >= MAX_CONSECUTIVE_FAILURES:
                            report.stopped = (
                                f"the mail server refused {consecutive_failures} messages in a row"
                            )
                            break
                    if report.stopped:
                        break
                    if deadline is not None and time.monotonic() >= deadline:
                        report.paused = True
                        break
            finally:
                _commit(outcomes, release=claimed - attempted)
                connection.close()
                connection = None
            if progress is not None:
                progress(report)
            if report.stopped or report.paused:
                break
    if connection is not None:  # nobody was left to send to after all
        connection.close()
    if subscriber_range is None:
        # The queue's progress counts these for the whole sending instead.
        report.in_flight = Delivery.objects.filter(
            edition=edition, status=Delivery.Status.SENDING
        ).count()
    return report


def _batches(due, size, *, until=None):
    """``due`` subscribers (pk, email, secret, language) in lists of
    ``size``, by primary key, read one list at a time (memory stays flat).
    A short list, or one reaching primary key ``until``, is the last: no
    query to find nothing."""
    last_pk = 0
    while True:
        batch = list(
            due.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "email", "secret", "language")[:size]
        )
        if batch:
            yield batch
        if len(batch) < size or (until is not None and batch[-1][0] >= until):
            return
        last_pk = batch[-1][0]
