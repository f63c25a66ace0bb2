"""Webhooks: every live change a partner asked for, POSTed to its address
and signed per the Standard Webhooks specification
(https://www.standardwebhooks.com/): headers ``webhook-id`` (the same on
every attempt), ``webhook-timestamp`` (seconds) and ``webhook-signature``
(``v1,`` + base64 of HMAC-SHA256 over ``id.timestamp.body`` with the
endpoint's secret, ``whsec_`` + base64).

``enqueue`` (called by the change feed's receiver, in the writer's
transaction) stores one ``WebhookDelivery`` per endpoint and entry and
enqueues its delivery once the change commits (``conditions.tasks``).
``deliver`` tries once: a 2xx answer is delivered; anything else is
retried later, ``backoff`` × 2^(attempt−1) seconds, up to
``PARTNER_WEBHOOK_ATTEMPTS``; after ``PARTNER_WEBHOOK_DISABLE_AFTER``
deliveries in a row that failed every attempt the endpoint is switched off
and the partner's contact is told by email.

Addresses obey the link checker's rules (``conditions.review.linkcheck``):
public addresses only (``LINKCHECK_ALLOWED_NETWORKS`` adds networks), the
address checked being the one connected to; HTTPS only unless
``PARTNER_WEBHOOK_HTTPS_ONLY`` is off (tests).
"""

import base64
import hashlib
import hmac
import http.client
import json
import secrets
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from conditions.api.parts import api_url
from conditions.models import WebhookDelivery, WebhookEndpoint
from conditions.models.linkchecks import INTERNAL
from conditions.review import linkcheck
from healthlib.lib.taskqueue import enqueue_on_commit

DELIVER_TASK = "conditions.tasks.deliver_webhook"
NOTIFY_TASK = "conditions.tasks.send_notification"
TIMEOUT = 10
BACKOFF = 30  # seconds before the second attempt; doubling


def new_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret, message_id, timestamp, body):
    """The ``webhook-signature`` value for ``body`` (bytes)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def check_address(url):
    """Raise ``ValidationError`` (a sentence for the admin) when the
    webhook may not be sent to ``url``."""
    parts = urlsplit(url)
    schemes = ("https",) if settings.PARTNER_WEBHOOK_HTTPS_ONLY else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname:
        raise ValidationError(_("A webhook's address must be an https:// address."))
    try:
        linkcheck.resolve(parts.hostname, parts.port or 443)
    except linkcheck.Refused as exc:
        if str(exc) == INTERNAL:
            raise ValidationError(
                _("This address is internal (loopback or private): webhooks go to public ones.")
            ) from exc
        raise ValidationError(_("This host name could not be found.")) from exc
    except ValueError as exc:
        raise ValidationError(_("This address has a port that is not a number.")) from exc


def payload(entry):
    """The event for a change-feed entry: its kind, what it is and where,
    and the feed's cursor to read it from."""
    data = {
        "id": entry.object_id,
        "action": entry.action,
        "slug": entry.slug,
        "previous_slug": entry.old_slug or None,
        "language": entry.language or None,
        "api_url": api_url(entry.slug, entry.language)
        if entry.kind == "condition" and entry.action in ("created", "updated")
        else None,
        "changes_url": settings.SITE_URL.rstrip("/") + "/api/changes/",
    }
    return {
        "type": f"{entry.kind}.{entry.action}",
        "timestamp": entry.changed_at.isoformat(),
        "data": data,
    }


def enqueue(entries):
    """Deliveries of ``entries`` (``ChangeEntry`` rows just written) to
    every active endpoint that asked for their kind."""
    endpoints = list(WebhookEndpoint.objects.filter(active=True))
    for entry in entries:
        event = payload(entry)
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        for endpoint in endpoints:
            if entry.kind not in endpoint.kinds:
                continue
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                message_id=f"msg_{uuid.uuid4().hex}",
                event_type=event["type"],
                payload=body,
            )
            enqueue_on_commit(DELIVER_TASK, delivery.pk)


def _post(url, headers, body):
    """POST ``body``; the status code. Raises ``linkcheck.Refused`` or OSError."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = linkcheck.resolve(parts.hostname, port)
    pinned = (
        linkcheck._PinnedHTTPSConnection
        if parts.scheme == "https"
        else linkcheck._PinnedHTTPConnection
    )
    connection = pinned(parts.hostname, port, address, TIMEOUT)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(1024)
        return response.status
    finally:
        connection.close()


def deliver(delivery_id, *, clock=time.time):
    """One attempt at a delivery. Returns the seconds to wait before the
    next attempt, or None when it is done (delivered, or given up)."""
    delivery = (
        WebhookDelivery.objects.select_related("endpoint__partner").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.status != WebhookDelivery.PENDING:
        return None
    endpoint = delivery.endpoint
    if not endpoint.active:
        _finish(delivery, WebhookDelivery.FAILED, error=_("The webhook is switched off."))
        return None
    body = delivery.payload.encode()
    timestamp = str(int(clock()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"healthlib-webhooks/1.0 (+{settings.SITE_URL})",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": sign(endpoint.secret, delivery.message_id, timestamp, body),
    }
    delivery.attempts += 1
    status, error = None, ""
    try:
        status = _post(endpoint.url, headers, body)
    except linkcheck.Refused as exc:
        error = str(exc)
    except TimeoutError:
        error = "timeout"
    except (OSError, http.client.HTTPException, ValueError):
        error = "unreachable"
    if status is not None and 200 <= status < 300:
        _finish(delivery, WebhookDelivery.DELIVERED, status_code=status)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return None
    if status is not None:
        error = f"HTTP {status}"
    if delivery.attempts < settings.PARTNER_WEBHOOK_ATTEMPTS:
        delivery.last_status_code, delivery.last_error = status, error
        delivery.save(update_fields=["attempts", "last_status_code", "last_error"])
        return BACKOFF * 2 ** (delivery.attempts - 1)
    _finish(delivery, WebhookDelivery.FAILED, status_code=status, error=error)
    _failed_delivery(endpoint)
    return None


def _finish(delivery, status, *, status_code=None, error=""):
    delivery.status = status
    delivery.last_status_code = status_code
    delivery.last_error = error
    delivery.finished_at = timezone.now()
    delivery.save()


@transaction.atomic
def _failed_delivery(endpoint):
    """One more delivery that failed every attempt: switch the endpoint off
    after too many in a row, and tell the partner."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    limit = settings.PARTNER_WEBHOOK_DISABLE_AFTER
    if endpoint.active and endpoint.consecutive_failures >= limit:
        disable(endpoint)


def disable(endpoint):
    endpoint.active = False
    endpoint.disabled_at = timezone.now()
    endpoint.save(update_fields=["active", "disabled_at"])
    partner = endpoint.partner
    subject = _("Your webhook to %(url)s is switched off") % {"url": endpoint.url}
    body = _(
        "Hello %(partner)s,\n\n"
        "The last %(count)d deliveries to your webhook %(url)s failed every attempt, "
        "so we have switched it off. Nothing more is sent to it.\n\n"
        "Once it answers again, ask us to switch it back on. Meanwhile, the change feed "
        "(%(feed)s) has every change: read it from the cursor you last kept.\n"
    ) % {
        "partner": partner.name,
        "count": endpoint.consecutive_failures,
        "url": endpoint.url,
        "feed": settings.SITE_URL.rstrip("/") + "/api/changes/",
    }
    enqueue_on_commit(NOTIFY_TASK, subject, body, [partner.contact_email])


def enable(endpoint):
    endpoint.active = True
    endpoint.disabled_at = None
    endpoint.consecutive_failures = 0
    endpoint.save(update_fields=["active", "disabled_at", "consecutive_failures"])
