"""Webhooks as a partner receives them: a real local HTTP server checks
every delivery with the ``standardwebhooks`` library, as a receiver would;
failures are retried, logged, and switch the webhook off in the end with
an email to the partner."""

import base64
import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook

from conditions import services
from conditions.models import Partner, WebhookDelivery, WebhookEndpoint
from conditions.partners import webhooks
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    """A local webhook receiver; ``.status`` is what it answers."""
    settings.PARTNER_WEBHOOK_HTTPS_ONLY = False
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(server.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.status = 204
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/healthlib"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(receiver):
    partner = Partner.objects.create(name="Clinic", contact_email="web@clinic.example")
    return WebhookEndpoint.objects.create(
        partner=partner,
        url=receiver.url,
        kinds=["condition", "drug"],
        secret=webhooks.new_secret(),
    )


def test_every_live_change_is_delivered_signed(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article("Gout")
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(condition=article)
    verifier = Webhook(endpoint.secret)
    events = [verifier.verify(body, headers) for headers, body in receiver.received]
    assert [(e["type"], e["data"]["id"]) for e in events] == [
        ("condition.created", article.pk),
        ("condition.unpublished", article.pk),
    ]
    assert events[0]["data"]["api_url"].endswith("/api/conditions/gout/")
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    # A tampered body is refused by the receiver's check.
    headers, body = receiver.received[0]
    with pytest.raises(Exception, match="signature"):
        verifier.verify(body.replace(b"Gout", b"gout") + b" ", headers)


def test_kinds_not_asked_for_are_not_sent(receiver, endpoint, django_capture_on_commit_callbacks):
    endpoint.kinds = ["topic"]
    endpoint.save()
    with django_capture_on_commit_callbacks(execute=True):
        factories.article("Gout")
    assert receiver.received == []


def test_failures_are_retried_then_the_webhook_is_switched_off(
    receiver, endpoint, settings, django_capture_on_commit_callbacks
):
    settings.PARTNER_WEBHOOK_ATTEMPTS = 3
    settings.PARTNER_WEBHOOK_DISABLE_AFTER = 2
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article("Gout")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 3, "HTTP 500")
    # The same message id on every attempt (receivers deduplicate by it).
    assert len({h["webhook-id"] for h, _ in receiver.received}) == 1
    assert len(receiver.received) == 3
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(condition=article)
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert [m.to for m in mail.outbox] == [["web@clinic.example"]]
    assert endpoint.url in mail.outbox[0].body
    # Switched off: nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(condition=article)
    assert len(receiver.received) == 6


def test_a_success_resets_the_count_of_failures(
    receiver, endpoint, django_capture_on_commit_callbacks, settings
):
    settings.PARTNER_WEBHOOK_ATTEMPTS = 1
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article("Gout")
    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(condition=article)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.active


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.0.0.8/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest",
        "http://93.184.215.14/hook",
        "ftp://93.184.215.14/hook",
    ],
)
def test_internal_and_plain_http_addresses_are_refused(url):
    with pytest.raises(ValidationError):
        webhooks.check_address(url)


@settings(max_examples=40)
@given(
    secret=st.binary(min_size=16, max_size=64),
    message_id=st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1),
    timestamp=st.integers(1_600_000_000, 2_000_000_000),
    body=st.binary(max_size=500),
)
def test_signatures_verify_with_the_standard_library(secret, message_id, timestamp, body):
    encoded = "whsec_" + base64.b64encode(secret).decode()
    signature = webhooks.sign(encoded, message_id, str(timestamp), body)
    expected = Webhook(encoded).sign(message_id, _at(timestamp), body)
    assert signature == expected


def _at(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


def test_the_event_names_the_feed(endpoint, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        factories.article("Gout")
    event = json.loads(receiver.received[0][1])
    assert event["data"]["changes_url"].endswith("/api/changes/")
