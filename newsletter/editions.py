"""An edition's life beside the sending itself: a draft version in another
language, putting an edition (and its versions) in the archive, and a test
send to an editor before the real thing. (Sending to subscribers is
``newsletter.services``; the queue that runs it is ``newsletter.sending``.)
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from newsletter import emails
from newsletter.models import Edition, ResearchSummary
from newsletter.signups import normalize_email


@transaction.atomic
def mark_sent(*, edition):
    """Put the edition, and its versions in other languages, in the archive;
    their pages must exist before any email links to them."""
    now = timezone.now()
    # The versions first: saving the English edition makes the cached pages
    # that list editions stale (newsletter.live), for every language.
    edition.translations.exclude(status=Edition.Status.SENT).update(
        status=Edition.Status.SENT, sent_at=edition.sent_at or now, updated_at=now
    )
    if not edition.is_sent:
        edition.status = Edition.Status.SENT
        edition.sent_at = edition.sent_at or now
        edition.save(update_fields=["status", "sent_at", "updated_at"])
    return edition


def add_translation(*, edition, language):
    """A draft version of the English ``edition`` in ``language``, prefilled
    with the English text for the editor to translate (same slug, date and
    summaries; the summaries' citations, related articles and topics are
    the English ones). Returns the existing version if there is one."""
    source = edition.source
    if language == source.language:
        raise ValidationError("An edition is not a translation of itself.")
    existing = source.translations.filter(language=language).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        version = Edition.objects.create(
            newsletter=source.newsletter,
            language=language,
            translation_of=source,
            title=source.title,
            slug=source.slug,
            issue_date=source.issue_date,
            intro=source.intro,
        )
        for summary in source.summaries.prefetch_related("related_articles", "tags"):
            copy = ResearchSummary.objects.create(
                edition=version,
                **{
                    name: getattr(summary, name)
                    for name in (
                        "order",
                        "headline",
                        "body",
                        "journal",
                        "source_date",
                        "doi",
                        "url",
                    )
                },
            )
            copy.related_articles.set(summary.related_articles.all())
            copy.tags.set(summary.tags.all())
    return version


@transaction.atomic
def publish_translation(*, edition):
    """Put a version written after its English edition was sent in the
    archive. Nobody is emailed: subscribers had the English edition."""
    if not edition.is_translation:
        raise ValidationError("Only a version in another language is published this way.")
    if not edition.translation_of.is_sent:
        raise ValidationError(
            "It goes in the archive with its English edition, when that one is sent."
        )
    if not edition.is_sent:
        edition.status = Edition.Status.SENT
        edition.sent_at = timezone.now()
        edition.save(update_fields=["status", "sent_at", "updated_at"])
    return edition


def send_test(*, edition, to):
    """Send ``edition`` to one address (an editor's) for a look before the
    real thing. No delivery is recorded and the edition stays a draft."""
    try:
        to = normalize_email(to)
    except ValidationError:
        raise ValidationError("Add a valid email address to your account to receive tests.")
    rendered = emails.render_edition(edition)
    message = rendered.message(
        to=to,
        unsubscribe_url=emails.absolute_url(reverse("newsletter:home")),
        subject_prefix="[Test] ",
    )
    message.send()
    return to
