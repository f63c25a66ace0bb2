"""Newsletter test data and a real SMTP server (aiosmtpd) on 127.0.0.1."""

import asyncio
import datetime
import email
import email.policy
import itertools
import socket
import threading
import warnings

import environ
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from newsletter.models import Edition, Newsletter, ResearchSummary, Subscriber

_n = itertools.count(1)

SMTP_USER, SMTP_PASSWORD = "mailer", "s3cret pass"


@pytest.fixture
def newsletter(db):
    return Newsletter.objects.create(name="Current Research From Top Journals")


@pytest.fixture
def make_edition(newsletter):
    def make(title=None, *, status=Edition.Status.DRAFT, issue_date=None, summaries=1, **kwargs):
        n = next(_n)
        edition = Edition.objects.create(
            newsletter=newsletter,
            title=title or f"Edition {n}",
            slug=kwargs.pop("slug", f"edition-{n}"),
            issue_date=issue_date or datetime.date(2015, 3, 1),
            status=status,
            **kwargs,
        )
        for i in range(summaries):
            ResearchSummary.objects.create(
                edition=edition,
                order=i,
                headline=f"Finding {n}.{i}",
                body=f"Researchers found **something** ({n}.{i}).",
                journal="New England Journal of Medicine",
                doi=f"10.1056/test.{n}.{i}",
            )
        return edition

    return make


@pytest.fixture
def make_subscribers(newsletter):
    def make(count, *, status=Subscriber.Status.CONFIRMED, prefix="reader"):
        from django.utils import timezone

        start = next(_n) * 100000
        return Subscriber.objects.bulk_create(
            Subscriber(
                newsletter=newsletter,
                email=f"{prefix}{start + i}@example.org",
                status=status,
                consent_text="I agree",
                consent_at=timezone.now(),
            )
            for i in range(count)
        )

    return make


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """An SMTP handler that keeps what it receives; with ``refuse_after``
    it answers 451 to every message after that many; with ``hang_next`` it
    never answers the next message (its sender waits, as for a stuck
    server) and sets ``hanging``; ``refuse_recipients`` maps addresses to
    the answer their RCPT gets. It offers PIPELINING, as real mail servers
    do (aiosmtpd handles pipelined commands but does not say so), unless
    ``pipelining`` is False."""

    def __init__(self):
        self.received = []
        self.refuse_after = None
        self.refused = 0
        self.hang_next = False
        self.hanging = threading.Event()
        self.pipelining = True
        self.refuse_recipients = {}

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            answer = self.refuse_recipients[address]
            if answer.startswith("421"):
                # 421: the server closes the connection after answering.
                asyncio.get_running_loop().call_soon(server.transport.close)
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hang_next:
            self.hang_next = False
            self.hanging.set()
            await asyncio.sleep(3600)  # cancelled when the server stops
        if self.refuse_after is not None and len(self.received) >= self.refuse_after:
            self.refused += 1
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        self.received.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 OK"

    def messages_to(self, address):
        return [m for rcpts, m in self.received if address in rcpts]

    @property
    def recipients(self):
        return [r for rcpts, _ in self.received for r in rcpts]


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode(),
        auth_data.password.decode(),
    ) == (SMTP_USER, SMTP_PASSWORD)
    return AuthResult(success=ok)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server requiring a login, and Django pointed at it the way
    production is: through an EMAIL_URL parsed by django-environ."""
    sink = Sink()
    port = free_port()
    with warnings.catch_warnings():
        # Login without TLS is fine on 127.0.0.1 in a test.
        warnings.simplefilter("ignore", UserWarning)
        controller = Controller(
            sink,
            hostname="127.0.0.1",
            port=port,
            authenticator=_authenticate,
            auth_required=True,
            auth_require_tls=False,
        )
        controller.start()
    url = f"smtp://{SMTP_USER}:{SMTP_PASSWORD.replace(' ', '%20')}@127.0.0.1:{port}"
    for name, value in environ.Env.email_url_config(url).items():
        setattr(settings, name, value)
    settings.EMAIL_TIMEOUT = 5
    try:
        yield sink
    finally:
        controller.stop()
