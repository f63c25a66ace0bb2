"""Reads for the newsletter's pages, each in a fixed number of queries."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from conditions.models import Condition
from newsletter.models import Delivery, Edition, ResearchSummary, Subscriber


def archive(language=None):
    """Sent editions in ``language`` (the current one by default), newest
    first (the "previous editions")."""
    return Edition.objects.archive(language or get_language()).only(
        "title", "slug", "issue_date", "status", "language"
    )


def edition_for_page(slug, language):
    """The edition at /<language>/newsletter/<slug>/, or None."""
    published_versions = Edition.objects.sent().filter(
        Q(translation_of=OuterRef("pk")) | Q(translation_of=OuterRef("translation_of")),
    )
    return (
        Edition.objects.select_related("newsletter", "translation_of")
        .annotate(has_versions=Exists(published_versions))
        .filter(slug=slug, language=language)
        .first()
    )


def versions(edition):
    """Every version of ``edition`` readers can open (the English edition
    and its sent translations), English first, for the language switch.
    No query for an edition without any (``edition_for_page`` knows)."""
    if not getattr(edition, "has_versions", True):
        return [edition]
    source = edition.source
    return [source, *source.translations.sent().order_by("language")]


def edition_summaries(edition):
    """The edition's summaries, each with ``live_articles`` (published
    articles it relates to) and its tags: three queries whatever the size,
    four for a version in another language, whose summaries link to the
    articles' translations in its language where they are published (and
    to the English articles elsewhere)."""
    summaries = list(edition.summaries.prefetch_related("tags"))
    by_id = {s.pk: s for s in summaries}
    for summary in summaries:
        summary.live_articles = []
    if not by_id:
        return summaries
    live = list(
        Condition.objects.live()
        .annotate(summary_id=F("source__research_summaries"))
        .filter(summary_id__in=list(by_id))
        .only("title", "slug", "language", "source_id")
    )
    translated = {}
    if live and edition.language != settings.LANGUAGE_CODE:
        # A translation's live copy points at the English working copy.
        translated = {
            article.translation_of_id: article
            for article in Condition.objects.live(edition.language)
            .filter(translation_of_id__in={article.source_id for article in live})
            .only("title", "slug", "language", "translation_of_id")
        }
    for article in live:
        shown = translated.get(article.source_id, article)
        # The article's own address and language, whatever language the
        # edition is rendered in: an English article has no /es/ page.
        shown.url_language = shown.language
        shown.url = shown.get_absolute_url()
        by_id[article.summary_id].live_articles.append(shown)
    for summary in summaries:
        summary.live_articles.sort(key=lambda article: article.title)
    return summaries


def summaries_for_article(condition, limit=5):
    """Summaries in sent editions that relate to ``condition`` (a live copy
    or, in a preview, a working copy), newest first, in the page's language.
    One query. Summaries relate to English articles: a translation's are its
    English article's."""
    if condition.translation_of_id is not None:
        working_id = condition.translation_of_id
    else:
        working_id = condition.source_id if condition.is_live else condition.pk
    return list(
        ResearchSummary.objects.filter(
            related_articles=working_id, edition__status="sent", edition__language=get_language()
        )
        .select_related("edition")
        .only(
            "headline",
            "edition__slug",
            "edition__title",
            "edition__issue_date",
            "edition__language",
        )
        .order_by("-edition__issue_date", "-edition_id", "order")[:limit]
    )


def latest_summaries(limit=3):
    """The newest summaries of sent editions, for the home page. One query."""
    return list(
        ResearchSummary.objects.filter(edition__status="sent", edition__language=get_language())
        .select_related("edition")
        .only(
            "headline",
            "body_html",
            "journal",
            "source_date",
            "edition__slug",
            "edition__title",
            "edition__issue_date",
            "edition__language",
        )
        .order_by("-edition__issue_date", "-edition_id", "order")[:limit]
    )


DASHBOARD_ROWS = 10


@dataclass
class NewsletterDashboard:
    drafts: list
    draft_count: int
    sending: list  # the latest sent editions, each with its delivery counts


def _deliveries(status):
    return Count("deliveries", filter=Q(deliveries__status=status))


def dashboard(rows=DASHBOARD_ROWS, sent_rows=5):
    """Edition drafts and the sending progress of the latest sent editions,
    for the admin's dashboard: three queries."""
    drafts = Edition.objects.filter(status=Edition.Status.DRAFT)
    # Confirmed subscribers this edition has not reached yet: what a further
    # send would go to (the same rule as services.due_subscribers).
    reached = Delivery.objects.filter(
        edition=OuterRef(OuterRef("pk")),
        subscriber=OuterRef("pk"),
        status__in=[Delivery.Status.SENT, Delivery.Status.SENDING],
    )
    still_due = (
        Subscriber.objects.filter(
            newsletter=OuterRef("newsletter"), status=Subscriber.Status.CONFIRMED
        )
        .filter(~Exists(reached))
        .order_by()
        .values("newsletter")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sending = (
        # Versions in other languages have no deliveries of their own.
        Edition.objects.sources()
        .filter(status=Edition.Status.SENT)
        .annotate(
            n_sent=_deliveries(Delivery.Status.SENT),
            n_failed=_deliveries(Delivery.Status.FAILED),
            n_waiting=_deliveries(Delivery.Status.PENDING) + _deliveries(Delivery.Status.SENDING),
            n_due=Coalesce(Subquery(still_due), 0),
        )
        .only("title", "slug", "issue_date", "sent_at", "newsletter_id")
        .order_by("-sent_at", "-pk")[:sent_rows]
    )
    return NewsletterDashboard(
        drafts=list(
            drafts.annotate(summary_count=Count("summaries"))
            .only("title", "slug", "issue_date", "updated_at")
            .order_by("-updated_at", "-pk")[:rows]
        ),
        draft_count=drafts.count(),
        sending=list(sending),
    )
