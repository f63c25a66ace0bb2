"""A digest that drafts itself.

On the schedule an editor sets in the admin (``DigestSchedule``: every
month on a day, or every week on a weekday), the worker's schedule runs
``draft_due`` (hourly); once per period it assembles a **draft** digest
edition (``Edition.Kind.DIGEST``) from what changed since the last digest
covered (else since the last digest was sent, else one period back):

- articles first published in that time ("New");
- articles published again with a reviewer's update note in that time
  ("Updated": the note, the public one-line "what changed", is the line;
  a republication without a note is not a substantial update);
- research summaries of the editions sent in that time (copied, with
  their sources, related articles and topics).

The English edition is written, plus a version in each other language that
has confirmed subscribers (its articles named and linked in that language
where they are published in it; its summaries those of the editions'
versions in that language where there are some). Nothing is drafted when
nothing changed. Nothing is sent: the newsletter editor edits, previews and
sends the draft like any edition.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conditions.models import Condition
from newsletter import editions
from newsletter.models import DigestSchedule, Edition, ResearchSummary, Subscriber

SUMMARY_FIELDS = ("order", "headline", "body", "journal", "source_date", "doi", "url")


def period(schedule, today):
    """The schedule's period ``today`` is in, and whether its day has come."""
    if schedule.every == DigestSchedule.Every.WEEK:
        year, week, weekday = today.isocalendar()
        return f"{year}-W{week:02d}", weekday >= schedule.day
    return f"{today:%Y-%m}", today.day >= schedule.day


def draft_due(*, now=None):
    """Draft the digest of every schedule whose day has come this period
    (once per period). Returns the drafts made."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    drafts = []
    for schedule in DigestSchedule.objects.filter(enabled=True).select_related("newsletter"):
        key, day_has_come = period(schedule, today)
        if not day_has_come or schedule.last_period == key:
            continue
        with transaction.atomic():
            # One worker drafts a period (compare-and-set on last_period).
            claimed = DigestSchedule.objects.filter(
                pk=schedule.pk, last_period=schedule.last_period
            ).update(last_period=key)
            if not claimed:
                continue
            draft = draft_digest(schedule=schedule, now=now)
        if draft is not None:
            drafts.append(draft)
    return drafts


def since(schedule, now):
    """Where the next digest starts: the end of what the last one covered,
    else when the last digest was sent, else one period (a month, a week)
    before ``now``."""
    if schedule.covered_until is not None:
        return schedule.covered_until
    last = (
        Edition.objects.sources()
        .sent()
        .filter(newsletter=schedule.newsletter, kind=Edition.Kind.DIGEST, sent_at__isnull=False)
        .order_by("-sent_at")
        .first()
    )
    if last is not None:
        return last.sent_at
    days = 7 if schedule.every == DigestSchedule.Every.WEEK else 31
    return now - datetime.timedelta(days=days)


def changes(*, newsletter, start, end):
    """What changed in (start, end]: (new articles, [(updated article,
    note)], summaries), articles as working copies, A–Z."""
    live = Condition.objects.live().select_related("source").order_by("title")
    new = [c.source for c in live.filter(first_published_at__gt=start, first_published_at__lte=end)]
    updated = []
    for copy in live.filter(
        first_published_at__lte=start, published_at__gt=start, published_at__lte=end
    ):
        note = _note_since(copy, start)
        if note:
            updated.append((copy.source, note))
    summaries = list(
        ResearchSummary.objects.filter(
            edition__newsletter=newsletter,
            edition__translation_of__isnull=True,
            edition__kind=Edition.Kind.EDITION,
            edition__status=Edition.Status.SENT,
            edition__sent_at__gt=start,
            edition__sent_at__lte=end,
        )
        .select_related("edition")
        .prefetch_related("related_articles", "tags")
        .order_by("edition__sent_at", "order", "pk")
    )
    return new, updated, summaries


def _note_since(live_copy, start):
    """The newest update note dated on or after ``start``'s day, if any."""
    for entry in live_copy.update_notes or ():
        try:
            day = datetime.date.fromisoformat(entry.get("date", ""))
        except (TypeError, ValueError, AttributeError):
            continue
        if day >= timezone.localdate(start) and entry.get("note"):
            return entry["note"]
        break  # newest first: an older one is not this period's
    return ""


@transaction.atomic
def draft_digest(*, schedule, now=None):
    """Assemble the draft digest for what changed since ``since(schedule, now)``;
    None when nothing did."""
    now = now or timezone.now()
    start = since(schedule, now)
    newsletter = schedule.newsletter
    new, updated, summaries = changes(newsletter=newsletter, start=start, end=now)
    if not (new or updated or summaries):
        return None
    today = timezone.localdate(now)
    with translation.override(settings.LANGUAGE_CODE):
        title = _title(schedule, today)
        intro = _intro(new, updated, start, language=None)
    edition = Edition.objects.create(
        newsletter=newsletter,
        title=title[:200],
        slug=_free_slug(f"digest-{today:%Y-%m-%d}"),
        issue_date=today,
        intro=intro,
        kind=Edition.Kind.DIGEST,
    )
    edition.articles.set(list(new) + [a for a, _note in updated])
    for order, summary in enumerate(summaries):
        _copy_summary(summary, edition, order)
    languages = (
        Subscriber.objects.filter(newsletter=newsletter, status=Subscriber.Status.CONFIRMED)
        .exclude(language=edition.language)
        .values_list("language", flat=True)
        .distinct()
    )
    for language in sorted(set(languages)):
        _version(edition, language, new, updated, summaries, start, _title_in(schedule, today))
    schedule.covered_until = now
    schedule.save(update_fields=["covered_until"])
    return edition


def _title(schedule, today):
    if schedule.every == DigestSchedule.Every.WEEK:
        return _("Weekly digest: %(date)s") % {"date": date_format(today, "DATE_FORMAT")}
    return _("Monthly digest: %(month)s") % {"month": date_format(today, "YEAR_MONTH_FORMAT")}


def _title_in(schedule, today):
    """The title, made in whatever language is active when called."""
    return lambda: _title(schedule, today)


def _version(edition, language, new, updated, summaries, start, title):
    version = editions.add_translation(edition=edition, language=language)
    with translation.override(language):
        version.title = title()[:200]
        version.intro = _intro(new, updated, start, language=language)
    version.save(update_fields=["title", "intro", "updated_at"])
    # Summaries the editions' versions in this language have, in their words.
    for copy, origin in zip(version.summaries.order_by("order", "pk"), summaries, strict=True):
        translated = (
            ResearchSummary.objects.filter(
                edition__translation_of=origin.edition_id,
                edition__language=language,
                order=origin.order,
            )
            .order_by("pk")
            .first()
        )
        if translated is not None:
            copy.headline, copy.body = translated.headline, translated.body
            copy.save()


def _intro(new, updated, start, *, language):
    """The digest's intro (Markdown): the period, then the new and the
    updated articles, each a link (in ``language`` where published in it)."""
    lines = [
        _("What changed in the library since %(date)s.")
        % {"date": date_format(timezone.localdate(start), "DATE_FORMAT")}
    ]
    if new:
        lines += ["", "**" + _("New articles") + "**", ""]
        lines += [f"- {_link(article, language)[0]}" for article in new]
    if updated:
        lines += ["", "**" + _("Updated articles") + "**", ""]
        for article, note in updated:
            link, translated = _link(article, language)
            # The translation's own update note, where it has one this time.
            note = (translated and _note_since(translated, start)) or note
            lines.append(f"- {link}: {note}")
    return "\n".join(lines)


def _link(article, language):
    """``[title](article:slug)`` for the article, in ``language`` where it
    is published in it, and that translation's live copy (or None)."""
    translated = None
    if language:
        translated = (
            Condition.objects.live(language)
            .filter(source__translation_of=article)
            .only("title", "slug", "update_notes")
            .first()
        )
    shown = translated or article
    title = shown.title.replace("[", "(").replace("]", ")")
    return f"[{title}](article:{shown.slug})", translated


def _copy_summary(summary, edition, order):
    copy = ResearchSummary.objects.create(
        edition=edition,
        **{name: getattr(summary, name) for name in SUMMARY_FIELDS if name != "order"},
        order=order,
    )
    copy.related_articles.set(summary.related_articles.all())
    copy.tags.set(summary.tags.all())


def _free_slug(base):
    slug, n = slugify(base)[:190], 2
    while Edition.objects.filter(slug=slug).exists():
        slug, n = f"{slugify(base)[:190]}-{n}", n + 1
    return slug
