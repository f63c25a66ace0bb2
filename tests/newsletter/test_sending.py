"""Sending on the task queue (newsletter.sending): batches, takeover of a
stalled batch, retry passes, progress, and batches given up."""

import math
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletter import editions, sending, services
from newsletter.models import Delivery, SendBatch, Sending, Subscriber

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_db_worker():
    """Work the database queue in this process until it is empty (the real
    django-tasks-db worker, in batch mode)."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.fixture
def mail_server_goes_away(monkeypatch):
    """The mail server answers prepare's check, then goes away: every later
    connection is refused. ``monkeypatch.undo()`` brings it back."""
    opened = services._open_connection
    calls = []

    def unreachable():
        calls.append(1)
        if len(calls) > 1:  # prepare's check reached it; then it went away
            raise services.SendingError("Cannot connect to the mail server: Connection refused")
        return opened()

    monkeypatch.setattr(services, "_open_connection", unreachable)


@pytest.mark.django_db(transaction=True)
def test_database_worker_sends_in_batches_and_finishes(settings, make_edition, make_subscribers):
    settings.TASKS = DB_TASKS
    edition = make_edition()
    make_subscribers(25)
    run = sending.request_sending(edition=edition, batch_size=10)
    assert DBTaskResult.objects.count() == 1  # prepare, nothing sent in the request
    assert not mail.outbox
    run_db_worker()
    run.refresh_from_db()
    assert run.total == 25 and run.finished_at is not None
    assert list(SendBatch.objects.values_list("status", flat=True)) == ["done"] * 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Subscriber.objects.values_list("email", flat=True)
    )
    progress = sending.progress(sending=run)
    assert (progress.sent, progress.remaining, progress.percent) == (25, 0, 100)
    assert progress.finished
    # Every task ran once and succeeded: prepare, 3 batches, no watch left over
    # (the last batch finished the sending; a deferred watch just returns).
    assert not DBTaskResult.objects.failed().exists()


@pytest.mark.django_db(transaction=True)
def test_pressing_send_twice_starts_one_sending(settings, make_edition, make_subscribers):
    settings.TASKS = DB_TASKS
    edition = make_edition()
    make_subscribers(3)
    first = sending.request_sending(edition=edition)
    assert sending.request_sending(edition=edition) == first
    run_db_worker()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_stalled_batch_is_taken_over_and_what_it_left_sending_is_sent_again(
    settings, make_edition, make_subscribers, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_STALE_SECONDS = 30
    edition = make_edition()
    subscribers = make_subscribers(6)
    run = Sending.objects.create(edition=edition, started_at=timezone.now(), total=6)
    editions.mark_sent(edition=edition)
    batch = SendBatch.objects.create(
        sending=run,
        first_subscriber_id=subscribers[0].pk,
        last_subscriber_id=subscribers[-1].pk,
        status=SendBatch.Status.RUNNING,
        heartbeat_at=timezone.now(),
        runs=1,
    )
    # The killed worker had sent two and claimed one (fate unknown: at most
    # the message on the wire, services.IN_FLIGHT_PER_CONNECTION).
    for s, status in zip(subscribers[:3], ["sent", "sent", "sending"], strict=True):
        Delivery.objects.create(edition=edition, subscriber=s, status=status, attempts=1)
    # A live batch is left alone…
    assert sending.send_batch(batch_id=batch.pk) == {"skipped": True}
    # …a stale one (its heartbeat, and its deliveries' lease, expired) is
    # handed over by watch and finished by another worker.
    five_minutes_ago = timezone.now() - timedelta(minutes=5)
    SendBatch.objects.filter(pk=batch.pk).update(heartbeat_at=five_minutes_ago)
    Delivery.objects.filter(status="sending").update(updated_at=five_minutes_ago)
    with django_capture_on_commit_callbacks(execute=True):
        sending.watch(sending=run)
    batch.refresh_from_db()
    assert batch.status == SendBatch.Status.DONE and batch.runs == 2
    # The one left "sending" goes out again: nobody is missed.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers[2:])
    run.refresh_from_db()
    assert run.finished_at is not None
    assert sending.progress(sending=run).in_flight == 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_a_sending_is_not_finished_while_a_delivery_is_left_sending(
    settings, make_edition, make_subscribers, django_capture_on_commit_callbacks
):
    """Every batch done, but a worker died with a message claimed (or a
    connection dropped mid-message): the sending waits for its lease, then
    sends it again, and only then is finished."""
    settings.NEWSLETTER_BATCH_STALE_SECONDS = 30
    edition = make_edition()
    a, b = make_subscribers(2)
    run = Sending.objects.create(edition=edition, started_at=timezone.now(), total=2)
    editions.mark_sent(edition=edition)
    SendBatch.objects.create(
        sending=run, first_subscriber_id=a.pk, last_subscriber_id=b.pk, status="done", runs=1
    )
    Delivery.objects.create(edition=edition, subscriber=a, status="sent", attempts=1)
    Delivery.objects.create(edition=edition, subscriber=b, status="sending", attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.watch(sending=run, reschedule=False) is True  # lease not expired yet
    assert mail.outbox == []
    Delivery.objects.filter(subscriber=b).update(updated_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        sending.watch(sending=run, reschedule=False)
    assert [m.to[0] for m in mail.outbox] == [b.email]
    run.refresh_from_db()
    assert run.finished_at is not None
    assert Delivery.objects.get(subscriber=b).status == "sent"


@pytest.mark.django_db
def test_temporary_failures_are_retried_then_given_up_and_reported(
    counting,  # noqa: F811
    make_edition,
    make_subscribers,
    django_capture_on_commit_callbacks,
):
    edition = make_edition()
    subscribers = make_subscribers(4)
    counting.refuse = {subscribers[1].email}
    counting.refuse_code = 451
    with django_capture_on_commit_callbacks(execute=True):
        run = sending.request_sending(edition=edition)
    run.refresh_from_db()
    # The first pass and MAX_PASSES - 1 retry passes (immediate backend: no delay).
    assert (
        SendBatch.objects.filter(sending=run, retry_failed=True).count() == sending.MAX_PASSES - 1
    )
    delivery = Delivery.objects.get(subscriber=subscribers[1])
    assert delivery.status == "failed" and delivery.attempts == sending.MAX_PASSES
    assert run.finished_at is not None
    progress = sending.progress(sending=run)
    assert (progress.sent, progress.failed, progress.bounced) == (3, 1, 0)
    assert "451" in progress.errors[0]
    assert Subscriber.objects.get(pk=subscribers[1].pk).status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
def test_an_unreachable_mail_server_leaves_the_edition_a_draft_and_says_why(
    settings, make_edition, make_subscribers, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    edition = make_edition()
    make_subscribers(2)
    with django_capture_on_commit_callbacks(execute=True):
        run = sending.request_sending(edition=edition)
    run.refresh_from_db()
    edition.refresh_from_db()
    assert not edition.is_sent
    assert run.error.startswith("Not sent: Cannot connect to the mail server")
    assert sending.progress(sending=run).error == run.error
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_batch_stopped_by_a_refusing_server_is_tried_again_later(
    settings,
    counting,  # noqa: F811
    make_edition,
    make_subscribers,
):
    settings.TASKS = DB_TASKS
    edition = make_edition()
    subscribers = make_subscribers(15)
    counting.refuse = {s.email for s in subscribers}
    counting.refuse_code = 421  # "service not available": temporary, and for everyone
    run = sending.request_sending(edition=edition)
    run_db_worker()
    [batch] = SendBatch.objects.filter(sending=run)
    assert batch.status == SendBatch.Status.QUEUED  # not dropped
    [later] = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_batch")
    assert later.run_after > timezone.now()
    progress = sending.progress(sending=run)
    assert not progress.finished and progress.remaining == 5 and progress.failed == 10

    counting.refuse = set()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_db_worker()
    run.refresh_from_db()
    batch.refresh_from_db()
    assert batch.status == SendBatch.Status.DONE
    # The batch's run sends to everyone due in its range: the 5 never tried
    # and the 10 temporary failures.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers)


@pytest.mark.django_db(transaction=True)
def test_a_batch_the_mail_server_never_takes_is_retried_with_backoff_then_failed_and_resumable(
    settings,
    monkeypatch,
    counting,  # noqa: F811
    mail_server_goes_away,
    make_edition,
    make_subscribers,
    newsletter_editor_client,
):
    """The mail server answers when sending starts, then is unreachable:
    each batch runs NEWSLETTER_BATCH_ATTEMPTS times, further and further
    apart, then is failed; the edition's page says so, nothing re-hands it,
    and pressing Send again once the server is back sends the rest."""
    settings.TASKS = DB_TASKS
    settings.NEWSLETTER_BATCH_ATTEMPTS = 4
    edition = make_edition()
    subscribers = make_subscribers(10)
    run = sending.request_sending(edition=edition, batch_size=5)
    waits = []
    for _ in range(settings.NEWSLETTER_BATCH_ATTEMPTS):
        run_db_worker()
        later = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_batch")
        if not later:
            break
        assert len(later) == 2  # each batch, once
        # Seconds still to wait, read a moment after the run: on a loaded
        # machine that moment may be most of a second.
        waits.append(math.ceil((min(t.run_after for t in later) - timezone.now()).total_seconds()))
        later.update(run_after=timezone.now())  # time passes
        # The schedule's backstop leaves a batch waiting for its next run alone.
        sending.resume_all()
        assert later.count() == 2
    assert waits == [60, 120, 240]  # doubling, and not forever
    assert list(SendBatch.objects.filter(sending=run).values_list("status", "runs")) == [
        ("failed", 4),
        ("failed", 4),
    ]
    run.refresh_from_db()
    assert run.finished_at is not None
    sending.resume_all()  # nothing left to hand over
    assert not DBTaskResult.objects.filter(status="READY", task_path__endswith="send_batch")
    assert not mail.outbox

    progress = newsletter_editor_client.get(
        f"/admin/newsletter/edition/{edition.pk}/progress/"
    ).json()
    assert (progress["finished"], progress["sent"], progress["remaining"]) == (True, 0, 10)
    assert progress["stopped"].startswith("Gave up on 10 messages after 4 attempts: Cannot connect")
    assert "Use “Send to subscribers…” again once the mail server works" in progress["stopped"]

    monkeypatch.undo()  # the mail server is back
    response = newsletter_editor_client.post(f"/admin/newsletter/edition/{edition.pk}/send/")
    assert response.status_code == 302
    run_db_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers)
    latest = Sending.objects.filter(edition=edition).first()
    assert latest != run and latest.finished_at is not None
    progress = newsletter_editor_client.get(
        f"/admin/newsletter/edition/{edition.pk}/progress/"
    ).json()
    assert (progress["sent"], progress["remaining"], progress["stopped"]) == (10, 0, "")


@pytest.mark.django_db
def test_a_batch_whose_workers_keep_dying_is_failed_not_handed_over_again(
    settings, make_edition, make_subscribers, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_ATTEMPTS = 3
    edition = make_edition()
    subscribers = make_subscribers(2)
    run = Sending.objects.create(edition=edition, started_at=timezone.now(), total=2)
    batch = SendBatch.objects.create(
        sending=run,
        first_subscriber_id=subscribers[0].pk,
        last_subscriber_id=subscribers[-1].pk,
        status=SendBatch.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(minutes=5),
        runs=3,
    )
    with django_capture_on_commit_callbacks(execute=True) as handed_over:
        sending.watch(sending=run)
    assert not handed_over and not mail.outbox
    batch.refresh_from_db()
    assert (batch.status, batch.error) == ("failed", "its worker stopped while sending it 3 times")
    run.refresh_from_db()
    assert run.finished_at is not None
    stopped = sending.progress(sending=run).stopped
    assert stopped.startswith("Gave up on 2 messages after 3 attempts: its worker stopped")
    assert "Use “Send to subscribers…” again" in stopped


@pytest.mark.django_db
def test_gave_up_says_how_many_runs_a_batch_really_had(
    settings,
    counting,  # noqa: F811
    mail_server_goes_away,
    make_edition,
    make_subscribers,
    django_capture_on_commit_callbacks,
):
    """A backend that cannot defer (tasks run at once) fails a batch on its
    first failed run: the progress says "after 1 attempt", not the most a
    batch may get (NEWSLETTER_BATCH_ATTEMPTS)."""
    settings.NEWSLETTER_BATCH_ATTEMPTS = 5
    edition = make_edition()
    make_subscribers(1)
    with django_capture_on_commit_callbacks(execute=True):
        run = sending.request_sending(edition=edition)
    assert list(SendBatch.objects.filter(sending=run).values_list("status", "runs")) == [
        ("failed", 1)
    ]
    run.refresh_from_db()
    assert run.finished_at is not None
    stopped = sending.progress(sending=run).stopped
    assert stopped == (
        "Gave up on 1 message after 1 attempt: Cannot connect to the mail server: Connection"
        " refused. Use “Send to subscribers…” again once the mail server works: only what was"
        " not sent goes out."
    )
    assert "5 attempts" not in stopped


@pytest.mark.django_db
def test_gave_up_counts_the_runs_of_the_batch_that_had_most(
    settings, make_edition, make_subscribers
):
    settings.NEWSLETTER_BATCH_ATTEMPTS = 5
    edition = make_edition()
    subscribers = make_subscribers(4)
    run = Sending.objects.create(
        edition=edition, started_at=timezone.now(), finished_at=timezone.now(), total=4
    )
    for first, last, runs in [(0, 1, 2), (2, 3, 3)]:
        SendBatch.objects.create(
            sending=run,
            first_subscriber_id=subscribers[first].pk,
            last_subscriber_id=subscribers[last].pk,
            status=SendBatch.Status.FAILED,
            error="Cannot connect to the mail server: Connection refused",
            runs=runs,
        )
    stopped = sending.progress(sending=run).stopped
    assert stopped.startswith("Gave up on 4 messages after 3 attempts: Cannot connect")


@pytest.mark.django_db
def test_gave_up_counts_the_refused_messages_too(
    settings,
    counting,  # noqa: F811
    make_edition,
    make_subscribers,
    django_capture_on_commit_callbacks,
):
    """The server refuses everything (421): the batch stops after 10 refusals
    in a row and, tasks running at once, is failed on that first run. The 10
    refused and the 5 never tried all wait for Send again: 15 given up."""
    edition = make_edition()
    subscribers = make_subscribers(15)
    counting.refuse = {s.email for s in subscribers}
    counting.refuse_code = 421
    with django_capture_on_commit_callbacks(execute=True):
        run = sending.request_sending(edition=edition)
    run.refresh_from_db()
    progress = sending.progress(sending=run)
    assert (progress.failed, progress.remaining, progress.finished) == (10, 5, True)
    assert progress.stopped.startswith(
        "Gave up on 15 messages after 1 attempt: the mail server refused 10 messages"
    )
