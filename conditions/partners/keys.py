"""API keys and the API's rate limits.

A key is ``hl_`` + an 8-character prefix + ``_`` + 32 random characters.
Only its prefix (to find the row) and its SHA-256 (to check it) are
stored: the key itself is shown once, when it is made. A key is sent as
``Authorization: Bearer <key>`` or ``X-API-Key: <key>``.

Requests without a key are limited per client address
(``API_ANONYMOUS_REQUESTS_PER_HOUR``); with a key, per partner
(``API_PARTNER_REQUESTS_PER_HOUR`` or the partner's own limit), and counted
per partner per day (``PartnerUsage``): a number, never what was read.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from conditions.models import ApiKey, PartnerUsage
from healthlib.lib import ratelimit
from healthlib.lib.errors import json_error

PREFIX = "hl_"
PREFIX_LENGTH = 8
HEADER = "X-API-Key"
# The rate limits' window, in seconds (fixed windows: healthlib.lib.ratelimit).
WINDOW = 3600


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_key(*, partner, label=""):
    """A new key for ``partner``: returns (the ``ApiKey`` row, the key,
    which nothing keeps)."""
    while True:
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    key = f"{PREFIX}{prefix}_{secrets.token_urlsafe(24)}"
    row = ApiKey.objects.create(partner=partner, label=label, prefix=prefix, hashed=_digest(key))
    return row, key


def revoke(key):
    """Refuse ``key`` (an ``ApiKey``) from now on."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def sent_key(request, *, bearer=True):
    """The key a request carries (None without one; "" for an empty one);
    in ``X-API-Key`` only when not ``bearer`` (the CDS Hooks services, whose
    Authorization header carries the CDS client's JWT)."""
    header = request.headers.get(HEADER)
    if header is not None:
        return header.strip()
    authorization = request.headers.get("Authorization") if bearer else None
    if authorization is None:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return credentials.strip()


def find(key):
    """The live ``ApiKey`` for ``key`` (with its partner), or None."""
    if not key.startswith(PREFIX):
        return None
    prefix = key[len(PREFIX) :].partition("_")[0]
    row = ApiKey.objects.select_related("partner").filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.hashed, _digest(key)):
        return None
    if row.revoked_at is not None:
        return None
    return row


@dataclass
class Decision:
    """What the API does with a request: ``refusal`` is None to serve it,
    else (status, code) to refuse it."""

    partner: object = None
    refusal: tuple | None = None
    limit: int = 0


def admit(request, *, bearer=True):
    """Check a request's key and count it against its limit (``bearer``:
    see ``sent_key``)."""
    key = sent_key(request, bearer=bearer)
    if key is None:
        limit = settings.API_ANONYMOUS_REQUESTS_PER_HOUR
        who = ratelimit.client_ip(request) or "unknown"
        if not ratelimit.hit("api-anonymous", who, limit=limit, period=WINDOW):
            return Decision(refusal=(429, "rate_limited"), limit=limit)
        return Decision(limit=limit)
    row = find(key)
    if row is None:
        return Decision(refusal=(401, "invalid_api_key"))
    partner = row.partner
    limit = partner.requests_per_hour or settings.API_PARTNER_REQUESTS_PER_HOUR
    if not ratelimit.hit("api-partner", partner.pk, limit=limit, period=WINDOW):
        return Decision(partner=partner, refusal=(429, "rate_limited"), limit=limit)
    count(partner, row)
    return Decision(partner=partner, limit=limit)


def too_many_requests(decision):
    """The API's answer to a request over its limit (``decision``'s): a
    JSON 429 whose Retry-After is the time left in this window."""
    response = json_error(
        429,
        "rate_limited",
        _("Too many requests: %(limit)d an hour are allowed. Try again later.")
        % {"limit": decision.limit},
    )
    response["Retry-After"] = str(ratelimit.seconds_left(WINDOW))
    return response


def count(partner, key):
    """One more request by ``partner`` today (and ``key`` used today)."""
    today = timezone.localdate()
    if key.last_used_on != today:
        ApiKey.objects.filter(pk=key.pk).update(last_used_on=today)
    if PartnerUsage.objects.filter(partner=partner, day=today).update(requests=F("requests") + 1):
        return
    try:
        with transaction.atomic():
            PartnerUsage.objects.create(partner=partner, day=today, requests=1)
    except IntegrityError:  # another request made today's row first
        PartnerUsage.objects.filter(partner=partner, day=today).update(requests=F("requests") + 1)
