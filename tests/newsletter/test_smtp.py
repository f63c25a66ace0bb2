"""End to end through a real SMTP server: what subscribers actually receive."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from newsletter import services, stats
from newsletter.models import Delivery, Edition, Subscriber

pytestmark = pytest.mark.django_db


def _parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _headers(message):
    """Headers and each part's headers, but those unique to each message."""
    return [
        (name, re.sub(r'boundary="[^"]+"', "", str(value)))
        for part in message.walk()
        for name, value in part.items()
        if name not in ("Message-ID", "Date")
    ]


def _path(url, settings):
    assert url.startswith(settings.SITE_URL + "/"), url
    return urlsplit(url).path


def test_sign_up_confirm_and_receive_an_edition(client, settings, smtp_server, newsletter):
    settings.SITE_URL = "https://health.example.org"
    response = client.post("/newsletter/", {"email": "  Reader@Example.ORG ", "website": ""})
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()

    [message] = smtp_server.messages_to("Reader@example.org")
    assert message["Subject"] == "Please confirm your subscription to " + newsletter.name
    assert message["To"] == "Reader@example.org"
    text, html = _parts(message)
    [link] = re.findall(r"https://health\.example\.org/newsletter/confirm/\S+/", text)
    assert f'href="{link}"' in html
    assert "7 days" in text

    page = client.get(_path(link, settings))
    assert page.status_code == 200
    assert "You are subscribed" in page.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_ip == "127.0.0.1"

    # An edition, as the command sends it.
    edition = Edition.objects.create(newsletter=newsletter, title="March 2015", slug="march-2015")
    edition.summaries.create(
        headline="Peanuts early", body="Early exposure helps. See [myoclonus](article:myoclonus)."
    )
    call_command("send_edition", "march-2015", "--here")
    [issue] = smtp_server.messages_to("Reader@example.org")[1:]
    assert issue["Subject"] == f"{newsletter.name}: March 2015"
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = re.fullmatch(r"<(.+)>", issue["List-Unsubscribe"].strip()).group(1)
    assert unsubscribe_url.startswith("https://health.example.org/newsletter/unsubscribe/")
    text, tracked = _parts(issue)
    # Every web link but the unsubscribe one goes through the click
    # counter, to the address it had (newsletter.stats).
    clicks = re.findall(r'href="https://health\.example\.org/newsletter/click/([^/"]+)/"', tracked)
    assert len(clicks) >= 3
    html = re.sub(
        r"https://health\.example\.org/newsletter/click/([^/\"]+)/",
        lambda m: stats.read_click(m.group(1))[1],
        tracked,
    )
    assert "Peanuts early" in text and "Peanuts early" in " ".join(html.split())
    assert unsubscribe_url in text and f'href="{unsubscribe_url}"' in tracked
    # Every link is absolute, from SITE_URL.
    assert 'href="https://health.example.org/conditions/myoclonus/"' in html
    assert "(https://health.example.org/conditions/myoclonus/)" in text
    assert not re.search(r'href="/', html)
    web = re.search(r'href="(https://health\.example\.org/newsletter/march-2015/)"', html)
    assert client.get(_path(web.group(1), settings)).status_code == 200

    # The one-click unsubscribe a mail client does: a bare POST, no CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(
        _path(unsubscribe_url, settings),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_sign_up_again_when_confirmed_sends_nothing(client, smtp_server, newsletter):
    client.post("/newsletter/", {"email": "a@example.org"})
    Subscriber.objects.update(status=Subscriber.Status.CONFIRMED)
    client.post("/newsletter/", {"email": "a@example.org"})
    assert len(smtp_server.received) == 1


def test_crash_part_way_then_rerun_sends_exactly_the_rest(
    smtp_server, make_edition, make_subscribers
):
    edition = make_edition()
    subscribers = make_subscribers(25)
    smtp_server.refuse_after = 10  # the server starts refusing after 10 messages

    with pytest.raises(CommandError, match="Run again"):
        call_command("send_edition", edition.slug, "--batch-size", "7", "--here")
    assert len(smtp_server.received) == 10
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 10
    failed = Delivery.objects.filter(status=Delivery.Status.FAILED)
    assert failed.count() == services.MAX_CONSECUTIVE_FAILURES
    assert "451" in failed.first().error
    # Claimed but never handed over: back to pending, not left "sending".
    assert not Delivery.objects.filter(status=Delivery.Status.SENDING).exists()

    smtp_server.refuse_after = None  # the server recovers
    call_command("send_edition", edition.slug, "--batch-size", "7", "--here")
    everyone = sorted(s.email for s in subscribers)
    assert sorted(smtp_server.recipients) == everyone  # each exactly once
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 25

    call_command("send_edition", edition.slug, "--here")  # a third run has nothing to do
    assert len(smtp_server.received) == 25


def test_unreachable_server_is_a_clear_error(settings, make_edition, make_subscribers):
    from tests.smtp_sink import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    edition = make_edition()
    make_subscribers(3)
    with pytest.raises(CommandError, match="Cannot connect to the mail server"):
        call_command("send_edition", edition.slug, "--here")
    assert not Delivery.objects.exclude(status=Delivery.Status.PENDING).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_edition", edition.slug, "--here")
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3


@pytest.mark.parametrize("long_line", [False, True], ids=["8bit", "quoted-printable"])
def test_each_copy_is_the_message_django_would_have_sent(
    smtp_server, make_edition, make_subscribers, long_line
):
    """The sender encodes the message once and puts each recipient's values
    into the bytes; what arrives must be what Django's own sending of the
    same message delivers, with a Message-ID of its own. An edition Django
    has to quote-print (a line over 998 bytes) and an address that needs
    encoding go the plain way, and arrive right too."""
    from django.core.mail import get_connection

    from newsletter import emails

    edition = make_edition(intro="Café " + ("x" * 1200 if long_line else "au lait"))
    ascii_reader, other = make_subscribers(2)
    other.email = "zoë@bücher.example"
    rendered = emails.render_edition(edition)
    connection = get_connection()
    connection.open()
    outgoing = rendered.outgoing(connection)
    assert (outgoing.template is None) == long_line
    for subscriber in (ascii_reader, other):
        link = emails.unsubscribe_url(subscriber.pk, subscriber.secret)
        outgoing.send(to=subscriber.email, unsubscribe_url=link)
        rendered.message(to=subscriber.email, unsubscribe_url=link, connection=connection).send()
    connection.close()

    assert smtp_server.recipients == [
        ascii_reader.email, ascii_reader.email, "zoë@xn--bcher-kva.example",
        "zoë@xn--bcher-kva.example",
    ]  # fmt: skip
    copies = [m for _, m in smtp_server.received]
    for ours, django in (copies[:2], copies[2:]):
        assert _parts(ours) == _parts(django)
        assert _headers(ours) == _headers(django)
        assert ours["Message-ID"] != django["Message-ID"]
    assert copies[0]["List-Unsubscribe"].strip() == (
        f"<{emails.unsubscribe_url(ascii_reader.pk, ascii_reader.secret)}>"
    )
    assert "Café" in _parts(copies[0])[0]
    assert len({m["Message-ID"] for m in copies}) == 4


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelined", "one-command-at-a-time"])
def test_an_edition_arrives_whole_whether_or_not_the_server_pipelines(
    smtp_server, make_edition, make_subscribers, monkeypatch, pipelining
):
    """A server that offers PIPELINING gets MAIL, RCPT and DATA together
    (newsletter.smtp, not smtplib's sendmail); one that does not gets them
    one at a time. Either way each subscriber gets one whole copy, and a
    line that starts with a dot keeps its one dot."""
    import smtplib

    smtp_server.pipelining = pipelining
    sendmail_calls = []
    sendmail = smtplib.SMTP.sendmail

    def counted(self, *args, **kwargs):
        sendmail_calls.append(args[1])
        return sendmail(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "sendmail", counted)
    edition = make_edition(intro=".5 mg twice a day is the usual dose.\n\n.\n\nThe end.")
    subscribers = make_subscribers(30)
    report = services.send_edition(edition=edition, batch_size=7)

    assert (report.sent, report.failed) == (30, 0)
    assert sorted(smtp_server.recipients) == sorted(s.email for s in subscribers)
    assert len(sendmail_calls) == (0 if pipelining else 30)
    text = _parts(smtp_server.received[0][1])[0].replace("\r\n", "\n")
    assert "\n.5 mg twice a day is the usual dose." in "\n" + text
    assert "\n.\n" in text and "..5 mg" not in text


def test_pipelined_refusals_are_recorded_and_the_others_still_get_it(
    smtp_server, make_edition, make_subscribers
):
    """Refusals that come back together with the other answers are the
    same refusals: a 5xx recipient is bounced and never sent to again, a
    4xx one is retried by the next run, and the connection goes on."""
    edition = make_edition()
    subscribers = make_subscribers(6)
    gone, full = subscribers[1], subscribers[3]
    smtp_server.refuse_recipients = {
        gone.email: "550 5.1.1 No such user",
        full.email: "452 4.2.2 Mailbox full",
    }
    report = services.send_edition(edition=edition)

    assert (report.sent, report.failed, report.bounced) == (4, 2, 1)
    others = [s.email for s in subscribers if s not in (gone, full)]
    assert sorted(smtp_server.recipients) == sorted(others)
    gone.refresh_from_db()
    assert gone.status == Subscriber.Status.BOUNCED
    assert Delivery.objects.get(subscriber=gone).error == (
        "Recipient refused: 550 5.1.1 No such user"
    )
    assert Delivery.objects.get(subscriber=full).error == (
        "Recipient refused: 452 4.2.2 Mailbox full"
    )

    smtp_server.refuse_recipients = {}  # the mailbox has room again
    report = services.send_edition(edition=edition)
    assert (report.sent, report.failed) == (1, 0)
    assert sorted(smtp_server.recipients) == sorted([*others, full.email])


@given(
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1),
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1),
)
def test_an_address_is_written_into_smtp_as_smtplib_writes_it(local, domain):
    """The pipelined sender's fast path for plain addresses gives what
    smtplib's own quoting gives, whatever the address."""
    import smtplib

    from newsletter import smtp

    address = f"{local}@{domain}"
    assert smtp._path(address) == smtplib.quoteaddr(address)


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelined", "one-command-at-a-time"])
def test_a_421_refusal_is_a_refusal_and_the_rest_go_on_a_new_connection(
    smtp_server, make_edition, make_subscribers, pipelining
):
    """421: the server is closing the connection (throttling, say). The
    message was refused, not lost: it is failed, retried by the next run,
    never left "sending" (fate unknown); the rest go over a new connection."""
    smtp_server.pipelining = pipelining
    edition = make_edition()
    subscribers = make_subscribers(6)
    throttled = subscribers[2]
    smtp_server.refuse_recipients = {throttled.email: "421 4.7.0 Too many messages, slow down"}
    report = services.send_edition(edition=edition)

    assert (report.sent, report.failed, report.bounced, report.in_flight) == (5, 1, 0, 0)
    delivery = Delivery.objects.get(subscriber=throttled)
    assert (delivery.status, delivery.error) == (
        Delivery.Status.FAILED,
        "Recipient refused: 421 4.7.0 Too many messages, slow down",
    )
    assert sorted(smtp_server.recipients) == sorted(s.email for s in subscribers if s != throttled)
    smtp_server.refuse_recipients = {}
    assert services.send_edition(edition=edition).sent == 1
