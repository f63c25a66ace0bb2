"""Bounces and complaints reported by an email provider's webhooks,
received through django-anymail (its tracking signal, whatever the
provider):

- a hard bounce or a rejection suppresses the address;
- a spam complaint unsubscribes it (and suppresses it);
- a **soft bounce** (a temporary refusal: the mailbox full, the server
  busy) is counted, once per message, and NEWSLETTER_SOFT_BOUNCE_LIMIT of
  them in a row (default 3) suppress the address; a delivery reported
  after one resets the count.

What counts as soft, per provider (anymail reports some soft bounces as
"bounced", so the provider's own event says): every "deferred" event
(SendGrid, Mailgun's temporary failures, Postmark's Transient, Brevo's
deferred); Postmark's ``SoftBounce``; Brevo's ``soft_bounce``; Amazon SES's
``Transient`` and ``Undetermined`` bounces; SendGrid's bounces of type
``blocked``. The subscriber admin shows why an address was suppressed.
"""

from anymail.signals import tracking
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from newsletter import signups
from newsletter.models import Subscriber

SUPPRESSING = {
    "bounced": Subscriber.Status.BOUNCED,
    "rejected": Subscriber.Status.BOUNCED,
    "complained": Subscriber.Status.COMPLAINED,
}


def soft_bounce_limit():
    return max(1, getattr(settings, "NEWSLETTER_SOFT_BOUNCE_LIMIT", 3))


def is_soft(event, esp_name):
    """Whether ``event`` is a temporary refusal (see the module's list)."""
    if event.event_type == "deferred":
        return True
    if event.event_type != "bounced":
        return False
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    provider = (esp_name or "").lower().replace(" ", "")
    if provider == "postmark":
        return raw.get("Type") == "SoftBounce"
    if provider in ("brevo", "sendinblue"):
        return raw.get("event") == "soft_bounce"
    if provider == "amazonses":
        return (raw.get("bounce") or {}).get("bounceType") in ("Transient", "Undetermined")
    if provider == "sendgrid":
        return str(raw.get("type", "")).lower() == "blocked"
    return False


def _reason(event, esp_name):
    detail = event.description or event.mta_response or event.reject_reason or ""
    return f"{esp_name} reported “{event.event_type}”" + (f": {detail}" if detail else "")


@receiver(tracking, dispatch_uid="newsletter.suppress_on_bounce_or_complaint")
def suppress_on_bounce_or_complaint(sender, event, esp_name, **kwargs):
    if not event.recipient:
        return
    subscribers = Subscriber.objects.filter(email__iexact=event.recipient.strip())
    if event.event_type == "delivered":
        # The message id stays: a late report of that message is not new.
        subscribers.filter(soft_bounces__gt=0).update(soft_bounces=0)
        return
    if is_soft(event, esp_name):
        _count_soft_bounce(subscribers, event, esp_name)
        return
    status = SUPPRESSING.get(event.event_type)
    if status is None:
        return
    signups.suppress(subscribers=subscribers, status=status, reason=_reason(event, esp_name))
    if status == Subscriber.Status.COMPLAINED:
        # Someone who calls us spam is unsubscribed, whatever they were.
        subscribers.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())


def _count_soft_bounce(subscribers, event, esp_name):
    message_id = str(event.message_id or "")[:255]
    with transaction.atomic():
        counted = subscribers
        if message_id:
            # The same message's retries count once.
            counted = counted.exclude(soft_bounce_message_id=message_id)
        counted.update(soft_bounces=F("soft_bounces") + 1, soft_bounce_message_id=message_id)
        over = subscribers.filter(soft_bounces__gte=soft_bounce_limit())
        signups.suppress(
            subscribers=over,
            status=Subscriber.Status.BOUNCED,
            reason=f"{soft_bounce_limit()} soft bounces in a row; the last: "
            + _reason(event, esp_name),
        )
