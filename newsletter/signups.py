"""A person's part in the newsletter: sign-up (double opt-in), confirmation,
unsubscribe, forgetting them, and suppressing addresses that bounce or
complain.

Views, the admin, the management commands, the tasks and the tests call these.
"""

import logging
import re

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from healthlib.lib import ratelimit
from healthlib.lib.taskqueue import task_named
from newsletter import emails, stats, tokens
from newsletter.models import Delivery, Subscriber

logger = logging.getLogger(__name__)


# Confirmation emails one address can be sent per day, whatever the IP:
# stops anyone from using the sign-up form to flood somebody's inbox.
CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3
# The task behind sign_up, named (healthlib.lib.taskqueue.task_named): the tasks
# module imports this one.
CONFIRMATION_TASK = "newsletter.tasks.send_confirmation"


def normalize_email(value):
    """Trim the address, lower-case its domain, and check it is an address.

    The part before the @ keeps its case (it may matter to the receiving
    server); finding an existing subscriber ignores case altogether.
    """
    email = (value or "").strip()
    local, sep, domain = email.rpartition("@")
    if sep:
        email = f"{local}@{domain.lower()}"
    validate_email(email)
    _validate_public_domain(email.rpartition("@")[2])
    return email


# Names that never reach a mailbox on the internet (RFC 2606, RFC 6761,
# RFC 6762, RFC 8375 and the private-use .internal).
_NON_PUBLIC_SUFFIXES = ("localhost", "local", "localdomain", "internal", "invalid", "test",
                        "example", "home.arpa", "lan", "intranet")  # fmt: skip


def _validate_public_domain(domain):
    """Refuse what Django's validator accepts but no one can receive mail
    at from us: ``a@localhost``, IP literals such as ``a@[127.0.0.1]``,
    single-label and reserved names. Sign-ups to those would only make the
    site mail itself or its own network."""
    labels = domain.rstrip(".").split(".")
    if (
        domain.startswith("[")
        or len(labels) < 2
        or not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", labels[-1])
        or any(domain == s or domain.endswith("." + s) for s in _NON_PUBLIC_SUFFIXES)
    ):
        raise ValidationError("Enter an address with a public domain.", code="not_public")


# --- Sign-up, confirmation, unsubscribe ------------------------------------


def sign_up(*, newsletter, email, consent_text, ip=None, language=None, topics=None):
    """Record a sign-up and have a confirmation link emailed (double opt-in).

    New, pending and unsubscribed addresses become pending with a fresh
    consent record; a confirmed subscriber is left alone. Either way the
    same task is enqueued, and it alone decides whether to email (see
    send_confirmation): the request does the same work whatever the
    address's state, so neither its answer nor its timing tells anyone who
    is subscribed. Returns the subscriber.

    ``language`` (default: English) is the language of their emails; it is
    recorded with the consent, so a confirmed subscriber's stays as it is
    (nobody changes someone else's by typing their address). ``topics``
    (tags; none: everything) is recorded the same way.
    """
    email = normalize_email(email)
    now = timezone.now()
    consent = {
        "consent_text": str(consent_text),
        "consent_at": now,
        "consent_ip": ip or None,
        "language": language or settings.LANGUAGE_CODE,
    }
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            newsletter=newsletter,
            email__iexact=email,
            defaults={"email": email, "status": Subscriber.Status.PENDING, **consent},
        )
        if not created and subscriber.status not in (
            Subscriber.Status.CONFIRMED,
            # Suppressed addresses stay suppressed: a bounce or a spam
            # complaint is not undone by someone typing the address.
            Subscriber.Status.BOUNCED,
            Subscriber.Status.COMPLAINED,
        ):
            for name, value in consent.items():
                setattr(subscriber, name, value)
            subscriber.status = Subscriber.Status.PENDING
            subscriber.save(update_fields=["status", *consent])
        _record_topics(subscriber, topics)
    task_named(CONFIRMATION_TASK).enqueue(subscriber.pk)
    return subscriber


def _record_topics(subscriber, topics):
    """A pending sign-up's topics are the ones just chosen; a confirmed or
    suppressed subscriber's stay. One DELETE whatever the state (it finds
    nothing to delete for those), so the work does not tell them apart."""
    chosen = Subscriber.topics.through
    chosen.objects.filter(
        subscriber_id=subscriber.pk, subscriber__status=Subscriber.Status.PENDING
    ).delete()
    if topics and subscriber.status == Subscriber.Status.PENDING:
        chosen.objects.bulk_create(
            [chosen(subscriber_id=subscriber.pk, tag_id=tag.pk) for tag in topics]
        )


def send_confirmation(*, subscriber_id):
    """Email a confirmation link to a pending subscriber (the task behind
    sign_up). Confirmed, suppressed or forgotten subscribers get nothing,
    nor does an address past its daily limit. Returns whether it emailed."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status != Subscriber.Status.PENDING:
        return False
    if not ratelimit.hit(
        "newsletter-confirmation",
        subscriber.email.lower(),
        limit=CONFIRMATIONS_PER_ADDRESS_PER_DAY,
        period=86400,
    ):
        logger.info("Confirmation email to subscriber %s not sent: daily limit", subscriber.pk)
        return False
    emails.confirmation_message(subscriber).send()
    return True


def _subscriber_for(subscriber_id, secret):
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    return subscriber if tokens.matches(subscriber, secret) else None


@transaction.atomic
def confirm(*, token, ip=None):
    """Confirm the subscription a confirmation link is for; returns the
    subscriber. Raises tokens.ExpiredToken after 7 days and
    tokens.InvalidToken for anything that is not a live link of ours.

    Confirming twice is harmless. An old link does not re-subscribe someone
    who has unsubscribed since.
    """
    subscriber = _subscriber_for(*tokens.read_confirmation(token))
    if subscriber is None:
        raise tokens.InvalidToken
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.confirmed_ip = ip or None
        subscriber.save(update_fields=["status", "confirmed_at", "confirmed_ip"])
    return subscriber


@transaction.atomic
def unsubscribe(*, token):
    """Unsubscribe the owner of an unsubscribe link. Idempotent: returns the
    subscriber, or None if they have been forgotten meanwhile. Raises
    tokens.InvalidToken for a link that is not ours."""
    subscriber_id, secret = tokens.read_unsubscribe(token)
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None:
        return None
    if not tokens.matches(subscriber, secret):
        raise tokens.InvalidToken
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
        stats.count_against_last_edition(
            Subscriber.objects.filter(pk=subscriber.pk), "unsubscribes"
        )
    return subscriber


@transaction.atomic
def forget_subscriber(*, email):
    """Erase everything about the person with this address (every
    newsletter): the subscriber rows with their consent records, error
    texts that may quote the address, and admin history about them.

    Their deliveries stay, anonymous, so an edition's counts do not change.
    Returns how many subscriber rows were erased.
    """
    email = (email or "").strip()
    return _forget(Subscriber.objects.filter(email__iexact=email))


def _forget(subscribers):
    ids = list(subscribers.values_list("pk", flat=True))
    if not ids:
        return 0
    Delivery.objects.filter(subscriber__in=ids).update(error="", subscriber=None)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Subscriber),
        object_id__in=[str(pk) for pk in ids],
    ).delete()
    Subscriber.objects.filter(pk__in=ids).delete()
    return len(ids)


def suppress(*, subscribers, status, reason, counted=True):
    """Stop sending to ``subscribers`` (a queryset) for good: bounced or
    complained. Recorded with the reason the admin shows. Only confirmed
    and pending addresses change: an unsubscribed person stays
    unsubscribed. Each change is counted against the last edition the
    person was sent (newsletter.stats), unless ``counted`` is False (the
    caller counts). Returns how many changed."""
    changing = subscribers.filter(
        status__in=[Subscriber.Status.CONFIRMED, Subscriber.Status.PENDING]
    )
    ids = list(changing.values_list("pk", flat=True))
    if not ids:
        return 0
    if counted:
        what = "complaints" if status == Subscriber.Status.COMPLAINED else "bounces"
        stats.count_against_last_edition(Subscriber.objects.filter(pk__in=ids), what)
    return Subscriber.objects.filter(pk__in=ids).update(
        status=status, suppressed_reason=reason[:2000], suppressed_at=timezone.now()
    )


def expire_pending(*, now=None):
    """Erase sign-ups never confirmed whose confirmation link has expired
    (tokens.CONFIRM_MAX_AGE): an address nobody confirmed is not kept.
    Signing up again starts afresh. Returns how many were erased (the
    schedule runs this daily)."""
    cutoff = (now or timezone.now()) - tokens.CONFIRM_MAX_AGE
    expired = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, confirmed_at__isnull=True, consent_at__lt=cutoff
    )
    with transaction.atomic():
        ids = list(expired.select_for_update().values_list("pk", flat=True))
        return _forget(Subscriber.objects.filter(pk__in=ids))


# --- Sending ------------------------------------------------------------------
