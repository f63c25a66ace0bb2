"""The email provider's events (newsletter.webhooks): bounces and complaints
suppress the address."""

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletter.models import Subscriber


@pytest.mark.django_db
def test_provider_webhook_events_suppress_bounces_and_complaints(make_subscribers):
    bounced, complained, soft = make_subscribers(3)
    for subscriber, event_type in [(bounced, "bounced"), (complained, "complained"),
                                   (soft, "deferred")]:  # fmt: skip
        event = AnymailTrackingEvent(
            event_type=event_type,
            recipient=subscriber.email.upper(),
            description="Mailbox does not exist",
        )
        tracking.send(sender=object, event=event, esp_name="Postmark")
    bounced.refresh_from_db()
    complained.refresh_from_db()
    soft.refresh_from_db()
    assert bounced.status == Subscriber.Status.BOUNCED
    assert bounced.suppressed_reason == "Postmark reported “bounced”: Mailbox does not exist"
    assert complained.status == Subscriber.Status.COMPLAINED
    assert complained.unsubscribed_at is not None
    assert soft.status == Subscriber.Status.CONFIRMED


def _event(subscriber, event_type, message_id="m1", esp_event=None):
    return AnymailTrackingEvent(
        event_type=event_type,
        recipient=subscriber.email,
        message_id=message_id,
        esp_event=esp_event or {},
        description="Mailbox full",
    )


@pytest.mark.django_db
def test_soft_bounces_in_a_row_suppress_once_per_message_and_a_delivery_resets(
    make_subscribers, settings
):
    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 2
    [reader] = make_subscribers(1)

    def send(event_type, message_id):
        tracking.send(
            sender=object, event=_event(reader, event_type, message_id), esp_name="SendGrid"
        )
        reader.refresh_from_db()

    send("deferred", "m1")
    send("deferred", "m1")  # the provider retrying the same message
    assert (reader.soft_bounces, reader.status) == (1, Subscriber.Status.CONFIRMED)
    send("delivered", "m2")
    assert reader.soft_bounces == 0
    send("deferred", "m3")
    send("deferred", "m4")
    assert reader.status == Subscriber.Status.BOUNCED
    assert reader.suppressed_reason.startswith("2 soft bounces in a row; the last: SendGrid")


@pytest.mark.parametrize(
    ("esp_name", "esp_event", "soft"),
    [
        ("Postmark", {"Type": "SoftBounce"}, True),
        ("Postmark", {"Type": "HardBounce"}, False),
        ("Brevo", {"event": "soft_bounce"}, True),
        ("Brevo", {"event": "hard_bounce"}, False),
        ("Amazon SES", {"bounce": {"bounceType": "Transient"}}, True),
        ("Amazon SES", {"bounce": {"bounceType": "Permanent"}}, False),
        ("SendGrid", {"event": "bounce", "type": "blocked"}, True),
        ("SendGrid", {"event": "bounce", "type": "bounce"}, False),
        ("Mailgun", {"event": "failed", "severity": "permanent"}, False),
    ],
)
@pytest.mark.django_db
def test_what_each_provider_calls_a_soft_bounce_is_counted_not_suppressed(
    make_subscribers, esp_name, esp_event, soft
):
    [reader] = make_subscribers(1)
    tracking.send(
        sender=object, event=_event(reader, "bounced", esp_event=esp_event), esp_name=esp_name
    )
    reader.refresh_from_db()
    assert reader.soft_bounces == (1 if soft else 0)
    assert (reader.status == Subscriber.Status.BOUNCED) is not soft


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(events=st.lists(st.sampled_from(["soft", "soft-again", "delivered"]), max_size=8),
       limit=st.integers(1, 3))  # fmt: skip
@pytest.mark.django_db
def test_suppressed_exactly_when_limit_distinct_soft_bounces_follow_the_last_delivery(
    make_subscribers, events, limit
):
    from django.test import override_settings

    [reader] = make_subscribers(1)
    in_a_row, expected, message = 0, False, 0
    with override_settings(NEWSLETTER_SOFT_BOUNCE_LIMIT=limit):
        for kind in events:
            if kind == "delivered":
                event = _event(reader, "delivered")
                in_a_row = 0 if not expected else in_a_row
            else:
                if kind == "soft" or message == 0:
                    message += 1
                    in_a_row += 1
                event = _event(reader, "deferred", message_id=f"m{message}")
            tracking.send(sender=object, event=event, esp_name="Mailgun")
            expected = expected or in_a_row >= limit
    reader.refresh_from_db()
    assert (reader.status == Subscriber.Status.BOUNCED) is expected
