"""The email provider's events (newsletter.webhooks): bounces and complaints
suppress the address."""

import pytest
from anymail.signals import AnymailTrackingEvent, tracking

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
