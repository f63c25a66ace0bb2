"""Sending an edition: who gets it, what it looks like, and nobody twice."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from newsletter import emails, services, tokens
from newsletter.models import Delivery, Edition, Subscriber

pytestmark = pytest.mark.django_db


def test_only_confirmed_subscribers_get_it(make_edition, make_subscribers):
    edition = make_edition()
    confirmed = make_subscribers(3)
    make_subscribers(2, status=Subscriber.Status.PENDING, prefix="pending")
    make_subscribers(2, status=Subscriber.Status.UNSUBSCRIBED, prefix="gone")
    report = services.send_edition(edition=edition)
    assert report.sent == 3 and report.failed == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in confirmed)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT and edition.sent_at is not None


def test_message_is_multipart_with_personal_unsubscribe_and_one_click_headers(
    settings, make_edition, make_subscribers
):
    settings.SITE_URL = "https://health.example.org"
    edition = make_edition("March 2015")
    a, b = make_subscribers(2)
    services.send_edition(edition=edition)
    by_address = {m.to[0]: m for m in mail.outbox}
    for subscriber in (a, b):
        message = by_address[subscriber.email]
        token = tokens.unsubscribe_token(subscriber.pk, subscriber.secret)
        url = f"https://health.example.org/newsletter/unsubscribe/{token}/"
        assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert url in message.body and f'href="{url}"' in html
        assert emails.UNSUBSCRIBE_PLACEHOLDER not in message.body + html
        assert "Finding" in message.body and "<strong>something</strong>" in html
        assert f"https://health.example.org/newsletter/{edition.slug}/" in message.body
    assert by_address[a.email].body != by_address[b.email].body


def test_second_run_sends_only_to_new_subscribers(make_edition, make_subscribers):
    edition = make_edition()
    make_subscribers(4)
    services.send_edition(edition=edition)
    newcomer = make_subscribers(1, prefix="new")[0]
    report = services.send_edition(edition=edition)
    assert report.sent == 1
    assert [m.to[0] for m in mail.outbox[4:]] == [newcomer.email]
    assert Delivery.objects.filter(edition=edition).count() == 5
    assert services.send_edition(edition=edition).sent == 0


def test_one_connection_per_batch(counting, make_edition, make_subscribers):
    edition = make_edition()
    make_subscribers(25)
    services.send_edition(edition=edition, batch_size=10)
    assert counting.opened == 3
    assert len(mail.outbox) == 25


def test_failures_are_recorded_and_retried_by_the_next_run(
    counting, make_edition, make_subscribers
):
    edition = make_edition()
    subscribers = make_subscribers(5)
    counting.refuse = {subscribers[1].email}
    counting.refuse_code = 450  # temporary: retried
    report = services.send_edition(edition=edition)
    assert (report.sent, report.failed) == (4, 1)
    delivery = Delivery.objects.get(subscriber=subscribers[1])
    assert delivery.status == Delivery.Status.FAILED
    assert "No such user" in delivery.error and delivery.attempts == 1

    counting.refuse = set()
    report = services.send_edition(edition=edition)
    assert (report.sent, report.failed) == (1, 0)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 2
    assert delivery.error == ""
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers)


def test_a_permanent_refusal_bounces_the_subscriber_and_is_not_retried(
    counting, make_edition, make_subscribers
):
    edition = make_edition()
    subscribers = make_subscribers(14)
    # More bounces in a row than MAX_CONSECUTIVE_FAILURES: bad addresses
    # say nothing about the server, so the run carries on.
    counting.refuse = {s.email for s in subscribers[:12]}
    report = services.send_edition(edition=edition)
    assert (report.sent, report.failed, report.bounced) == (2, 12, 12) and not report.stopped
    bounced = Subscriber.objects.get(pk=subscribers[0].pk)
    assert bounced.status == Subscriber.Status.BOUNCED
    assert "550" in bounced.suppressed_reason and bounced.suppressed_at is not None

    counting.refuse = set()
    report = services.send_edition(edition=edition)
    assert report.total == 0 and report.sent == 0  # never sent to again


def test_an_interrupted_delivery_is_sent_again_once_its_lease_expires(
    settings, make_edition, make_subscribers
):
    from datetime import timedelta

    from django.utils import timezone

    settings.NEWSLETTER_BATCH_STALE_SECONDS = 60
    edition = make_edition()
    a, b = make_subscribers(2)
    # What a run that died with a message on the wire leaves.
    Delivery.objects.create(edition=edition, subscriber=a, status=Delivery.Status.SENDING)
    # Its run may still be alive (its lease is fresh): left alone.
    report = services.send_edition(edition=edition)
    assert [m.to[0] for m in mail.outbox] == [b.email]
    assert report.in_flight == 1

    # A minute without renewal: that run is dead, and nobody is missed.
    Delivery.objects.filter(subscriber=a).update(updated_at=timezone.now() - timedelta(seconds=61))
    report = services.send_edition(edition=edition)
    assert [m.to[0] for m in mail.outbox] == [b.email, a.email]
    assert report.in_flight == 0
    assert Delivery.objects.get(subscriber=a).status == Delivery.Status.SENT


def test_a_delivery_claimed_by_another_run_is_skipped(make_edition, make_subscribers, monkeypatch):
    edition = make_edition()
    a, b = make_subscribers(2)
    real_commit = services._commit

    def another_run_claims_a_first(outcomes, *, claim=(), **kwargs):
        if claim:
            Delivery.objects.filter(subscriber=a).update(status=Delivery.Status.SENDING)
        return real_commit(outcomes, claim=claim, **kwargs)

    monkeypatch.setattr(services, "_commit", another_run_claims_a_first)
    services.send_edition(edition=edition)
    assert [m.to[0] for m in mail.outbox] == [b.email]


def test_connection_lost_mid_message_is_sent_again_after_the_lease(
    counting, make_edition, make_subscribers
):
    """The server may have accepted a message whose answer never came: not
    resent at once (a duplicate at most, IN_FLIGHT_PER_CONNECTION), but
    once its lease expires, so that nobody is missed."""
    from datetime import timedelta

    from django.utils import timezone

    edition = make_edition()
    subscribers = make_subscribers(4)
    counting.drop = {subscribers[1].email}
    report = services.send_edition(edition=edition)
    assert (report.sent, report.failed, report.in_flight) == (3, 1, 1)
    delivery = Delivery.objects.get(subscriber=subscribers[1])
    assert delivery.status == Delivery.Status.SENDING
    assert "SMTPServerDisconnected" in delivery.error
    counting.drop = set()
    assert services.send_edition(edition=edition).sent == 0
    assert len(mail.outbox) == 3
    expired = timezone.now() - services.stale_after() - timedelta(seconds=1)
    Delivery.objects.filter(pk=delivery.pk).update(updated_at=expired)  # the lease expired
    assert services.send_edition(edition=edition).sent == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers)


def test_interrupted_in_the_middle_of_a_message(make_edition, make_subscribers, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    edition = make_edition()
    make_subscribers(10)
    sent = []

    def interrupted_at_the_fourth(self, messages):
        if len(sent) == 3:
            raise KeyboardInterrupt  # Ctrl-C during the SMTP conversation
        sent.extend(messages)
        return len(messages)

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", interrupted_at_the_fourth
    )
    with pytest.raises(KeyboardInterrupt):
        services.send_edition(edition=edition, claim_size=4)
    # Three went out and are recorded; the fourth may or may not have.
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 1
    monkeypatch.undo()
    report = services.send_edition(edition=edition, claim_size=4)
    assert (report.sent, report.in_flight) == (6, 1)
    recipients = [m.to[0] for m in sent + mail.outbox]
    assert len(recipients) == len(set(recipients)) == 9  # nobody twice

    Delivery.objects.filter(status="sending").update(updated_at=timezone.now() - timedelta(hours=1))
    report = services.send_edition(edition=edition, claim_size=4)
    assert (report.sent, report.in_flight) == (1, 0)


def test_memory_stays_flat_reading_subscribers_in_batches(make_edition, make_subscribers):
    """Subscribers are read batch by batch, never all at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    edition = make_edition()
    make_subscribers(30)
    with CaptureQueriesContext(connection) as queries:
        services.send_edition(edition=edition, batch_size=10)
    reads = [
        q["sql"]
        for q in queries
        if 'FROM "newsletter_subscriber"' in q["sql"] and "LIMIT 10" in q["sql"]
    ]
    assert len(reads) == 4  # three full batches and the empty one that ends the run


def test_render_once_substitute_per_subscriber(make_edition, make_subscribers, monkeypatch):
    edition = make_edition()
    make_subscribers(20)
    calls = []
    real = emails.render_to_string
    monkeypatch.setattr(
        emails, "render_to_string", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    services.send_edition(edition=edition)
    assert len(calls) == 2  # text and HTML, once for the whole edition
    assert len(mail.outbox) == 20


def test_a_failed_render_leaves_the_edition_a_draft(make_edition, make_subscribers, monkeypatch):
    edition = make_edition()
    make_subscribers(2)

    def broken(edition, **kwargs):
        raise RuntimeError("template error")

    monkeypatch.setattr(emails, "render_edition", broken)
    with pytest.raises(RuntimeError):
        services.send_edition(edition=edition)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT and edition.sent_at is None
    assert not Delivery.objects.filter(edition=edition).exists()


def test_mail_server_down_leaves_the_edition_a_draft(make_edition, make_subscribers, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    edition = make_edition()
    make_subscribers(1)
    with pytest.raises(services.SendingError):
        services.send_edition(edition=edition)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT


SENT = Edition.Status.SENT


def _parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_each_subscriber_gets_the_edition_in_their_language_exactly_once(
    settings, smtp_server, newsletter, make_subscribers, edition_in_two_languages
):
    settings.SITE_URL = "https://health.example.org"
    english, spanish = edition_in_two_languages
    english.status = Edition.Status.DRAFT  # sent below, through the real path
    english.save()
    [reader] = make_subscribers(1, prefix="reader")
    [lectora] = make_subscribers(1, prefix="lectora")
    Subscriber.objects.filter(pk=lectora.pk).update(language="es")

    call_command("send_edition", "march-2015", "--here")

    [message] = smtp_server.messages_to(lectora.email)
    assert message["Subject"] == f"{newsletter.name}: Marzo de 2015"
    text, html = _parts(message)
    assert "El maní temprano reduce las alergias" in text and "Lo nuevo de este mes." in html
    assert "Finding" not in text  # nothing of the English summary
    assert "Fuente: New England Journal of Medicine" in text  # the citation as it is
    assert '<html lang="es">' in html
    assert "https://health.example.org/es/newsletter/march-2015/" in text
    unsubscribe = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"].strip()).group(1)
    assert unsubscribe.startswith("https://health.example.org/es/newsletter/unsubscribe/")
    assert (
        f"Elija sus temas, idioma y frecuencia, o cancele la suscripción:\r\n{unsubscribe}" in text
    )

    [message] = smtp_server.messages_to(reader.email)
    assert message["Subject"] == f"{newsletter.name}: March 2015"
    text, html = _parts(message)
    assert "Finding" in text and "El maní" not in text
    assert "Source: New England Journal of Medicine" in text
    assert "https://health.example.org/newsletter/unsubscribe/" in text

    # One delivery each, on the English edition; a second run sends nothing.
    assert Delivery.objects.filter(edition=english, status=Delivery.Status.SENT).count() == 2
    assert not Delivery.objects.filter(edition=spanish).exists()
    call_command("send_edition", "march-2015", "--here")
    assert len(smtp_server.received) == 2
    english.refresh_from_db()
    spanish.refresh_from_db()
    assert english.is_sent and spanish.is_sent


def test_a_spanish_subscriber_gets_the_english_edition_when_it_has_no_spanish_version(
    smtp_server, newsletter, make_edition, make_subscribers
):
    edition = make_edition("April 2015")
    [lectora] = make_subscribers(1, prefix="lectora")
    Subscriber.objects.filter(pk=lectora.pk).update(language="es")
    report = services.send_edition(edition=edition)
    assert report.sent == 1
    [message] = smtp_server.messages_to(lectora.email)
    assert message["Subject"] == f"{newsletter.name}: April 2015"
    text, _ = _parts(message)
    assert "Finding" in text
    # The English edition, yet their own page to unsubscribe in Spanish.
    assert "http://localhost:8000/es/newsletter/unsubscribe/" in text


def test_a_spanish_version_is_not_sent_on_its_own(edition_in_two_languages, make_subscribers):
    _, spanish = edition_in_two_languages
    make_subscribers(2)
    with pytest.raises(services.SendingError):
        services.send_edition(edition=spanish)
    assert not Delivery.objects.exists()
