"""Reads for the newsletter's pages, each in a fixed number of queries."""

from django.db.models import F

from conditions.models import Condition

from .models import Edition, ResearchSummary


def archive():
    """Sent editions, newest first (the "previous editions")."""
    return Edition.objects.archive().only("title", "slug", "issue_date", "status")


def edition_summaries(edition):
    """The edition's summaries, each with ``live_articles`` (published
    articles it relates to) and its tags: three queries whatever the size."""
    summaries = list(edition.summaries.prefetch_related("tags"))
    by_id = {s.pk: s for s in summaries}
    for summary in summaries:
        summary.live_articles = []
    if by_id:
        live = (
            Condition.objects.live()
            .annotate(summary_id=F("source__research_summaries"))
            .filter(summary_id__in=list(by_id))
            .only("title", "slug")
            .order_by("title")
        )
        for article in live:
            by_id[article.summary_id].live_articles.append(article)
    return summaries


def summaries_for_article(condition, limit=5):
    """Summaries in sent editions that relate to ``condition`` (a live copy
    or, in a preview, a working copy), newest first. One query."""
    working_id = condition.source_id if condition.is_live else condition.pk
    return list(
        ResearchSummary.objects.filter(related_articles=working_id, edition__status="sent")
        .select_related("edition")
        .only("headline", "edition__slug", "edition__title", "edition__issue_date")
        .order_by("-edition__issue_date", "-edition_id", "order")[:limit]
    )


def latest_summaries(limit=3):
    """The newest summaries of sent editions, for the home page. One query."""
    return list(
        ResearchSummary.objects.filter(edition__status="sent")
        .select_related("edition")
        .only("headline", "body_html", "edition__slug", "edition__title", "edition__issue_date")
        .order_by("-edition__issue_date", "-edition_id", "order")[:limit]
    )
