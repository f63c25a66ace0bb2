"""Bounces and complaints reported by an email provider's webhooks,
received through django-anymail (its tracking signal, whatever the
provider): a hard bounce or a rejection suppresses the address, and a spam
complaint unsubscribes it. The subscriber admin shows why."""

from anymail.signals import tracking
from django.dispatch import receiver
from django.utils import timezone

from newsletter import signups
from newsletter.models import Subscriber

SUPPRESSING = {
    # A soft ("deferred") bounce is the provider retrying: not final.
    "bounced": Subscriber.Status.BOUNCED,
    "rejected": Subscriber.Status.BOUNCED,
    "complained": Subscriber.Status.COMPLAINED,
}


@receiver(tracking, dispatch_uid="newsletter.suppress_on_bounce_or_complaint")
def suppress_on_bounce_or_complaint(sender, event, esp_name, **kwargs):
    status = SUPPRESSING.get(event.event_type)
    if status is None or not event.recipient:
        return
    detail = event.description or event.mta_response or event.reject_reason or ""
    reason = f"{esp_name} reported “{event.event_type}”" + (f": {detail}" if detail else "")
    subscribers = Subscriber.objects.filter(email__iexact=event.recipient.strip())
    signups.suppress(subscribers=subscribers, status=status, reason=reason)
    if status == Subscriber.Status.COMPLAINED:
        # Someone who calls us spam is unsubscribed, whatever they were.
        subscribers.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())
