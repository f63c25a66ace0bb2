"""A subscriber's own choices, and their data: what the preference page
(reached from every email's footer by its signed link) does.

Every change is one transaction: a choice that does not validate changes
nothing. Erasing is ``signups.forget_subscriber`` for this one person.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from taggit.models import Tag, TaggedItem

from conditions.models import Condition
from conditions.selectors import with_topic_names
from newsletter import signups, tokens
from newsletter.models import Delivery, Subscriber


def topic_choices(language):
    """The library's topics readers may choose: those of at least one
    published article (any language), A–Z, named in ``language``."""
    live = Condition.objects.filter(is_live=True).values("pk")
    tagged = TaggedItem.objects.filter(
        tag=OuterRef("pk"),
        content_type=ContentType.objects.get_for_model(Condition),
        object_id__in=live,
    )
    tags = list(Tag.objects.filter(Exists(tagged)).order_by("name"))
    return sorted(with_topic_names(tags, language), key=lambda t: t.display_name.lower())


def subscriber_for_token(token, *, for_update=False):
    """The subscriber whose preference (unsubscribe) link this is, or None
    if they have been forgotten. Raises tokens.InvalidToken for a link that
    is not ours."""
    subscriber_id, secret = tokens.read_unsubscribe(token)
    rows = Subscriber.objects.select_related("newsletter")
    if for_update:
        rows = rows.select_for_update()
    subscriber = rows.filter(pk=subscriber_id).first()
    if subscriber is not None and not tokens.matches(subscriber, secret):
        raise tokens.InvalidToken
    return subscriber


@transaction.atomic
def update(*, token, topics, language, frequency, paused_until):
    """Save the choices of the owner of ``token``; returns the subscriber
    (None if forgotten). ``topics`` is an iterable of tags."""
    subscriber = subscriber_for_token(token, for_update=True)
    if subscriber is None:
        return None
    subscriber.language = language
    subscriber.frequency = frequency
    subscriber.paused_until = paused_until
    subscriber.save(update_fields=["language", "frequency", "paused_until"])
    subscriber.topics.set(topics)
    return subscriber


def export(subscriber):
    """Everything stored about ``subscriber``, as JSON-ready data: the
    subscription and consent record, their choices, and which editions
    were emailed to them. Nothing else about them is stored (clicks are
    counted per link, without who clicked)."""
    deliveries = (
        Delivery.objects.filter(subscriber=subscriber)
        .select_related("edition")
        .order_by("created_at")
    )

    def when(value):
        return value.isoformat() if value else None

    return {
        "newsletter": subscriber.newsletter.name,
        "email": subscriber.email,
        "status": subscriber.status,
        "language": subscriber.language,
        "frequency": subscriber.frequency,
        "paused_until": when(subscriber.paused_until),
        "topics": sorted(subscriber.topics.values_list("name", flat=True)),
        "consent": {
            "text": subscriber.consent_text,
            "at": when(subscriber.consent_at),
            "ip": subscriber.consent_ip,
        },
        "confirmed": {"at": when(subscriber.confirmed_at), "ip": subscriber.confirmed_ip},
        "unsubscribed_at": when(subscriber.unsubscribed_at),
        "suppressed": {
            "at": when(subscriber.suppressed_at),
            "reason": subscriber.suppressed_reason,
        },
        "soft_bounces_in_a_row": subscriber.soft_bounces,
        "soft_bounce_message_id": subscriber.soft_bounce_message_id,
        "subscribed_at": when(subscriber.created_at),
        "emails": [
            {
                "edition": d.edition.title,
                "issue_date": when(d.edition.issue_date),
                "status": d.status,
                "sent_at": when(d.sent_at),
                "error": d.error,
            }
            for d in deliveries
        ],
    }


def erase(*, token):
    """Erase the owner of ``token`` (signups.forget_subscriber: every
    newsletter, their consent records, admin history). Returns how many
    subscriber rows went; 0 if already forgotten."""
    subscriber = subscriber_for_token(token)
    if subscriber is None:
        return 0
    return signups.forget_subscriber(email=subscriber.email)
