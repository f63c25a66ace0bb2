"""Readers' feedback ("Was this page helpful?"), for editors: on an
article's page, and across the library on the dashboard."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from conditions.models import Feedback

FEEDBACK_ROWS = 5


def _feedback_counts():
    return {
        "yes": Count("pk", filter=Q(helpful=True)),
        "no": Count("pk", filter=Q(helpful=False)),
        "to_handle": Count("pk", filter=~Q(comment="") & Q(handled_at__isnull=True)),
    }


def article_feedback(condition, rows=FEEDBACK_ROWS):
    """Counts of ``condition``'s feedback (a working copy) and its newest
    comments not handled yet. Two queries."""
    feedback = Feedback.objects.filter(condition=condition)
    counts = feedback.aggregate(**_feedback_counts())
    comments = list(
        feedback.filter(handled_at__isnull=True)
        .exclude(comment="")
        .select_related("revision")
        .only("helpful", "comment", "created_at", "revision__created_at")[:rows]
    )
    return counts, comments


def feedback_dashboard(rows=10, days=30, now=None):
    """The articles readers answered about in the last ``days`` days, the
    most "not helpful" first, and the newest comments not handled yet
    (everywhere). Three queries."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    recent = Feedback.objects.filter(created_at__gte=since)
    articles = list(
        recent.values("condition_id", "condition__title")
        .annotate(**_feedback_counts())
        .order_by("-no", "-to_handle", "condition__title")[:rows]
    )
    comments = Feedback.objects.filter(handled_at__isnull=True).exclude(comment="")
    return {
        "days": days,
        "articles": articles,
        "comments": list(
            comments.select_related("condition").only(
                "helpful", "comment", "created_at", "condition__title"
            )[:rows]
        ),
        "comment_count": comments.count(),
    }
