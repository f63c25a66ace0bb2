"""A real SMTP server (aiosmtpd) on 127.0.0.1, for the tests that send
through one: the ``smtp_server`` fixture (tests/conftest.py) starts it."""

import asyncio
import email
import email.policy
import socket
import threading
import warnings

import environ
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_USER, SMTP_PASSWORD = "mailer", "s3cret pass"


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


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode(),
        auth_data.password.decode(),
    ) == (SMTP_USER, SMTP_PASSWORD)
    return AuthResult(success=ok)


def start(sink, settings):
    """Serve ``sink`` on a free port, requiring a login, and point Django at
    it the way production is: through an EMAIL_URL parsed by
    django-environ. Returns the controller (``stop()`` it)."""
    port = free_port()
    with warnings.catch_warnings():
        # Login without TLS is fine on 127.0.0.1 in a test.
        warnings.simplefilter("ignore", UserWarning)
        controller = Controller(
            sink,
            hostname="127.0.0.1",
            port=port,
            authenticator=authenticate,
            auth_required=True,
            auth_require_tls=False,
        )
        controller.start()
    url = f"smtp://{SMTP_USER}:{SMTP_PASSWORD.replace(' ', '%20')}@127.0.0.1:{port}"
    for name, value in environ.Env.email_url_config(url).items():
        setattr(settings, name, value)
    settings.EMAIL_TIMEOUT = 5
    return controller
