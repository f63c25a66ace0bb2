"""The five providers we name, end to end: each one's documented webhook
payload for a hard bounce, a spam complaint and a soft bounce, posted to
its /anymail/<provider>/tracking/ URL with the secret (and the provider's
own signature where it has one), as the provider sends it; and the same
request without the secret changes nothing.

Payload shapes from each provider's documentation: Amazon SES
notifications through SNS, Postmark bounce and spam-complaint webhooks,
SendGrid's event webhook, Mailgun's webhooks (signed "event-data"), Brevo's
transactional webhooks."""

import hashlib
import hmac
import json

import pytest

from newsletter.models import EditionCounts, Subscriber
from tests.newsletter.test_webhook_urls import SECRET, basic

pytestmark = pytest.mark.django_db

MAILGUN_KEY = "mailgun-signing-key"
TS = 1764583200


def _ses(kind, email):
    if kind == "complaint":
        event = {
            "notificationType": "Complaint",
            "complaint": {
                "complainedRecipients": [{"emailAddress": email}],
                "timestamp": "2026-12-01T10:00:00.000Z",
                "feedbackId": "0100-feedback",
                "complaintFeedbackType": "abuse",
            },
        }
    else:
        event = {
            "notificationType": "Bounce",
            "bounce": {
                "bounceType": "Permanent" if kind == "hard" else "Transient",
                "bounceSubType": "General" if kind == "hard" else "MailboxFull",
                "bouncedRecipients": [
                    {"emailAddress": email, "status": "5.1.1", "diagnosticCode": "smtp; 550 5.1.1"}
                ],
                "timestamp": "2026-12-01T10:00:00.000Z",
                "feedbackId": "0100-feedback",
            },
        }
    event["mail"] = {
        "timestamp": "2026-12-01T09:59:00.000Z",
        "messageId": f"0100-ses-{kind}",
        "source": "news@health.example.org",
        "destination": [email],
    }
    envelope = {  # SNS's HTTP notification
        "Type": "Notification",
        "MessageId": f"sns-{kind}",
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:ses-events",
        "Message": json.dumps(event),
        "Timestamp": "2026-12-01T10:00:01.000Z",
        "SignatureVersion": "1",
        "Signature": "EXAMPLE",
        "SigningCertURL": "https://sns.us-east-1.amazonaws.com/cert.pem",
        "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
    }
    headers = {
        "HTTP_X_AMZ_SNS_MESSAGE_TYPE": "Notification",
        "HTTP_X_AMZ_SNS_MESSAGE_ID": f"sns-{kind}",
        "HTTP_X_AMZ_SNS_TOPIC_ARN": envelope["TopicArn"],
    }
    return json.dumps(envelope), headers


def _postmark(kind, email):
    if kind == "complaint":
        body = {"RecordType": "SpamComplaint", "Type": "SpamComplaint", "TypeCode": 512}
    else:
        body = {
            "RecordType": "Bounce",
            "Type": "HardBounce" if kind == "hard" else "SoftBounce",
            "TypeCode": 1 if kind == "hard" else 4096,
        }
    body.update(
        ID=42, MessageID=f"pm-{kind}", Email=email, BouncedAt="2026-12-01T10:00:00Z",
        Description="The server was unable to deliver your message.", Inactive=kind != "soft",
        MessageStream="outbound",
    )  # fmt: skip
    return json.dumps(body), {}


def _sendgrid(kind, email):
    event = {
        "email": email, "timestamp": TS, "sg_event_id": f"sg-{kind}",
        "sg_message_id": f"sg-message-{kind}.filter0001", "smtp-id": f"<sg-{kind}@example.org>",
    }  # fmt: skip
    if kind == "complaint":
        event["event"] = "spamreport"
    else:
        event.update(
            event="bounce", type="bounce" if kind == "hard" else "blocked",
            reason="550 5.1.1 The email account does not exist.", status="5.1.1",
        )  # fmt: skip
    return json.dumps([event]), {}


def _mailgun(kind, email):
    token = f"token-{kind}" * 4
    signature = hmac.new(MAILGUN_KEY.encode(), f"{TS}{token}".encode(), hashlib.sha256)
    data = {"id": f"mg-{kind}", "timestamp": TS, "recipient": email,
            "message": {"headers": {"message-id": f"mg-message-{kind}@example.org"}}}  # fmt: skip
    if kind == "complaint":
        data["event"] = "complained"
    else:
        data.update(
            {"event": "failed", "severity": "permanent" if kind == "hard" else "temporary",
             "reason": "bounce" if kind == "hard" else "generic",
             "delivery-status": {"code": 550 if kind == "hard" else 452,
                                 "message": "No such user" if kind == "hard" else "Mailbox full",
                                 "description": ""}}
        )  # fmt: skip
    body = {
        "signature": {"timestamp": str(TS), "token": token, "signature": signature.hexdigest()},
        "event-data": data,
    }
    return json.dumps(body), {}


def _brevo(kind, email):
    event = {"hard": "hard_bounce", "soft": "soft_bounce", "complaint": "spam"}[kind]
    body = {
        "event": event, "email": email, "id": 123456, "date": "2026-12-01 10:00:00",
        "ts": TS, "message-id": f"<brevo-{kind}@smtp-relay.mailin.fr>", "ts_event": TS,
        "subject": "Current Research", "reason": "mailbox unavailable", "tag": "",
    }  # fmt: skip
    return json.dumps(body), {}


PROVIDERS = {
    "amazon_ses": _ses,
    "postmark": _postmark,
    "sendgrid": _sendgrid,
    "mailgun": _mailgun,
    "brevo": _brevo,
}


@pytest.fixture
def configured(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}


def _post(client, provider, kind, email, *, secret=SECRET):
    body, headers = PROVIDERS[provider](kind, email)
    auth = basic(secret) if secret else {}
    return client.post(
        f"/anymail/{provider}/tracking/", body, content_type="application/json",
        **headers, **auth,
    )  # fmt: skip


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_hard_bounce_complaint_and_soft_bounce_from_each_provider(
    client, configured, settings, make_subscribers, make_edition, provider
):
    from newsletter.models import Delivery

    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 2
    hard, complaining, soft = make_subscribers(3)
    edition = make_edition()
    for subscriber in (hard, complaining, soft):
        Delivery.objects.create(edition=edition, subscriber=subscriber, status="sent")

    assert _post(client, provider, "hard", hard.email).status_code == 200
    assert _post(client, provider, "complaint", complaining.email).status_code == 200
    assert _post(client, provider, "soft", soft.email).status_code == 200
    hard.refresh_from_db()
    complaining.refresh_from_db()
    soft.refresh_from_db()
    assert hard.status == Subscriber.Status.BOUNCED, hard.suppressed_reason
    assert complaining.status == Subscriber.Status.COMPLAINED
    assert complaining.unsubscribed_at is not None
    assert (soft.status, soft.soft_bounces) == (Subscriber.Status.CONFIRMED, 1)
    # The same message reported again counts once; the limit needs another.
    _post(client, provider, "soft", soft.email)
    soft.refresh_from_db()
    assert soft.soft_bounces == 1
    counts = EditionCounts.objects.get(edition=edition)
    assert (counts.bounces, counts.complaints) == (1, 1)


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
@pytest.mark.parametrize(("secret", "status"), [(None, 401), ("hook:wrong", 403)])
def test_without_the_secret_nothing_changes(
    client, configured, make_subscribers, provider, secret, status
):
    [reader] = make_subscribers(1)
    for kind in ("hard", "complaint", "soft"):
        response = _post(client, provider, kind, reader.email, secret=secret)
        assert response.status_code == status
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Basic ")
    reader.refresh_from_db()
    assert (reader.status, reader.soft_bounces) == (Subscriber.Status.CONFIRMED, 0)


def test_a_mailgun_event_with_a_wrong_signature_is_refused(client, configured, make_subscribers):
    [reader] = make_subscribers(1)
    body = json.loads(_mailgun("hard", reader.email)[0])
    body["signature"]["signature"] = "0" * 64
    response = client.post(
        "/anymail/mailgun/tracking/", json.dumps(body), content_type="application/json",
        **basic(SECRET),
    )  # fmt: skip
    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED
