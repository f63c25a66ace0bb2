"""The newsletter: editions of research summaries, their subscribers, and
one delivery row per edition and subscriber.

A ``Delivery`` is created before its message is handed to the SMTP server
and the pair (edition, subscriber) is unique, which is what lets
``services.send_edition`` be re-run after new sign-ups or a crash without
sending anybody the same edition twice (see the docstring there).

Split by concern: ``editions`` (the newsletter, editions, summaries),
``subscribers`` (people and their choices), ``sending`` (deliveries and
the queue's sendings and batches), ``digests`` (the digest's schedule),
``stats`` (counts that name nobody).
"""

from newsletter.models.digests import DigestSchedule
from newsletter.models.editions import (
    RESERVED_SLUGS,
    Edition,
    EditionQuerySet,
    Newsletter,
    NewsletterQuerySet,
    ResearchSummary,
    new_secret,
    validate_edition_slug,
)
from newsletter.models.sending import Delivery, SendBatch, Sending
from newsletter.models.stats import EditionCounts, LinkClick
from newsletter.models.subscribers import Subscriber

__all__ = [
    "RESERVED_SLUGS",
    "Delivery",
    "DigestSchedule",
    "Edition",
    "EditionCounts",
    "EditionQuerySet",
    "LinkClick",
    "Newsletter",
    "NewsletterQuerySet",
    "ResearchSummary",
    "SendBatch",
    "Sending",
    "Subscriber",
    "new_secret",
    "validate_edition_slug",
]
