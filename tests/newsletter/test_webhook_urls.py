"""The email providers' webhooks (newsletter.webhook_urls, django-anymail,
under /anymail/): closed without ANYMAIL_WEBHOOK_SECRET, closed to a wrong
secret, 404 for a provider that is not configured, 400 for a malformed
body; never a 500, and never a subscriber suppressed by a request that was
refused."""

import base64
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from newsletter.models import Subscriber

SECRET = "hook:right-secret"


def _expand(route):
    """Both spellings of a regex route's optional group (mailgun's
    ``inbound(_mime)?``)."""
    route = route.lstrip("^").rstrip("$")
    match = re.search(r"\((\w+)\)\?", route)
    if not match:
        return [route]
    return [route.replace(match.group(0), ""), route.replace(match.group(0), match.group(1))]


def webhook_paths():
    """Every provider URL the project exposes under /anymail/, read from
    the URL configuration (so a provider added by an anymail upgrade is
    tested too)."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.extend(prefix + route for route in _expand(str(pattern.pattern)))

    walk(get_resolver().url_patterns, "")
    return sorted("/" + p for p in found if p.startswith("anymail/"))


PATHS = webhook_paths()


def basic(secret):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def postmark_hard_bounce(email):
    return json.dumps(
        {
            "RecordType": "Bounce",
            "ID": 4323372036854775807,
            "Type": "HardBounce",
            "TypeCode": 1,
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Description": "The server was unable to deliver your message.",
            "Email": email,
            "BouncedAt": "2026-12-01T10:00:00Z",
            "Inactive": True,
        }
    )


def sendgrid_spam_report(email):
    return json.dumps(
        [{"email": email, "event": "spamreport", "timestamp": 1764583200, "sg_event_id": "x1"}]
    )


@pytest.fixture
def reader(make_subscribers):
    (subscriber,) = make_subscribers(1)
    return subscriber


def test_every_provider_url_is_enumerated():
    # 27 routes in anymail 15, mailgun's inbound having two spellings.
    assert len(PATHS) >= 28
    assert "/anymail/postmark/tracking/" in PATHS
    assert "/anymail/mailgun/inbound_mime/" in PATHS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("secret", "headers", "body", "expected"),
    [
        (None, {}, b"", {403}),
        (None, basic(SECRET), b"{}", {403}),
        (SECRET, {}, b"{}", {401}),
        (SECRET, basic("hook:wrong"), b"{}", {403}),
        (SECRET, basic(SECRET), b"", range(400, 500)),
        (SECRET, basic(SECRET), b"\xff{not json", range(400, 500)),
        # Well-formed JSON some parsers read as an event of no known kind
        # (200): only never a 500.
        (SECRET, basic(SECRET), b"[1, 2, 3]", range(200, 500)),
        (SECRET, basic(SECRET), b'{"RecordType": "Bounce"}', range(200, 500)),
    ],
    ids=[
        "no-secret",
        "no-secret-any-auth",
        "no-auth",
        "wrong-secret",
        "right-empty",
        "right-garbage",
        "right-list",
        "right-partial",
    ],
)
def test_no_webhook_url_answers_500(client, settings, reader, secret, headers, body, expected):
    settings.ANYMAIL = {"WEBHOOK_SECRET": secret}
    client.raise_request_exception = False
    answers = {}
    for path in PATHS:
        for content_type in ("application/json", "application/x-www-form-urlencoded"):
            response = client.post(path, data=body, content_type=content_type, **headers)
            answers[f"{path} {content_type}"] = response.status_code
    server_errors = {k: v for k, v in answers.items() if v >= 500}
    assert not server_errors, f"{len(server_errors)} answered 5xx: {server_errors}"
    unexpected = {k: v for k, v in answers.items() if v not in expected}
    assert not unexpected, unexpected
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "head", "options", "put"])
def test_without_the_secret_every_method_is_refused(client, settings, method):
    settings.ANYMAIL = {"WEBHOOK_SECRET": None}
    for path in PATHS:
        assert getattr(client, method)(path).status_code in (403, 405), path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "payload", "status"),
    [
        ("/anymail/postmark/tracking/", postmark_hard_bounce, Subscriber.Status.BOUNCED),
        ("/anymail/sendgrid/tracking/", sendgrid_spam_report, Subscriber.Status.COMPLAINED),
    ],
)
def test_anonymous_bounce_or_spam_report_suppresses_nobody(
    client, settings, reader, path, payload, status
):
    body = payload(reader.email)
    for secret, headers in [(None, {}), (None, basic("a:b")), (SECRET, basic("hook:wrong"))]:
        settings.ANYMAIL = {"WEBHOOK_SECRET": secret}
        response = client.post(path, data=body, content_type="application/json", **headers)
        assert response.status_code == 403
        reader.refresh_from_db()
        assert reader.status == Subscriber.Status.CONFIRMED
    # The provider, with the secret, still gets through (it sends no CSRF token).
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(path, data=body, content_type="application/json", **basic(SECRET))
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == status


@pytest.mark.django_db
def test_a_provider_that_is_not_configured_answers_404(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    # Mailgun's webhooks need MAILGUN_WEBHOOK_SIGNING_KEY, not set here.
    response = client.post("/anymail/mailgun/tracking/", data={}, **basic(SECRET))
    assert response.status_code == 404
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": "k" * 32}
    response = client.post("/anymail/mailgun/tracking/", data={}, **basic(SECRET))
    assert response.status_code == 400  # configured now: the empty body is what is wrong
