"""The admin's dashboard (/admin/): what needs doing, for each role, and
the lists behind it (reviews due, the hardest articles to read, broken links)."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from conditions.models import (
    Condition,
    LinkCheck,
    Organization,
    PendingChange,
    Reference,
    Revision,
    review_due_within_q,
    review_overdue_q,
)
from conditions.review import readability

DASHBOARD_ROWS = 10


@dataclass
class ArticleDashboard:
    """Each list holds at most ``DASHBOARD_ROWS`` rows; ``counts`` has the
    full number behind each list, so the page can say "10 of 42"."""

    counts: dict
    my_drafts: list = field(default_factory=list)
    in_review: list = field(default_factory=list)
    scheduled: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    recently_published: list = field(default_factory=list)
    failing_checks: list = field(default_factory=list)
    pending_changes: list = field(default_factory=list)
    hardest: list = field(default_factory=list)
    source_updated: list = field(default_factory=list)
    changes_requested: list = field(default_factory=list)


def _changes_requested_q():
    # Sent back by a reviewer and not submitted again (nor archived since).
    return Q(status=Condition.Status.DRAFT, changes_requested_in__isnull=False)


def _failing_checks_q():
    # An empty list means the working copy passed every check at its last save.
    return ~Q(check_problems=[])


def article_dashboard(user, *, reviews=False, today=None, rows=DASHBOARD_ROWS):
    """The articles that need ``user``'s attention, in eight queries without
    ``reviews`` and at most eleven with them, however large the library.

    ``reviews``: include the articles waiting for a medical review.
    """
    today = today or timezone.localdate()
    # Translations are worked on, reviewed and published like any article.
    working = Condition.objects.editable(language=None)
    published = working.filter(live_revision__isnull=False)
    # A reviewer's "request changes" is the latest revision of the article it
    # sends back, but the draft is its author's: "Changes requested" lists it.
    mine = Q(status=Condition.Status.DRAFT, latest_revision__author=user) & (
        Q(changes_requested_in__isnull=True) | ~Q(latest_revision=F("changes_requested_in"))
    )
    scheduled = Revision.objects.filter(condition__is_live=False, approved_go_live_at__isnull=False)
    counts = working.aggregate(
        my_drafts=Count("pk", filter=mine),
        in_review=Count("pk", filter=Q(status=Condition.Status.IN_REVIEW)),
        scheduled=Count("pk", filter=Exists(scheduled.filter(condition=OuterRef("pk")))),
        overdue=Count("pk", filter=Q(live_revision__isnull=False) & review_overdue_q(today)),
        due_soon=Count(
            "pk", filter=Q(live_revision__isnull=False) & review_due_within_q(30, today)
        ),
        failing_checks=Count("pk", filter=_failing_checks_q()),
        above_target=Count("pk", filter=Q(reading_grade__gt=readability.target())),
        source_updated=Count("pk", filter=Q(source_updated_at__isnull=False)),
        changes_requested=Count("pk", filter=_changes_requested_q()),
    )
    counts["recently_published"] = None  # a window, not a backlog: no total

    listed = ("title", "language", "status", "next_review_due", "published_at", "updated_at")
    dashboard = ArticleDashboard(counts=counts)
    dashboard.my_drafts = list(
        working.filter(mine)
        .select_related("latest_revision")
        .only(*listed, "latest_revision__created_at", "latest_revision__comment")
        .order_by("-latest_revision__created_at", "title")[:rows]
    )
    if reviews:
        # Oldest first: whoever has waited longest is reviewed first.
        dashboard.in_review = list(
            working.filter(status=Condition.Status.IN_REVIEW)
            .select_related("latest_revision__author")
            .only(
                *listed,
                "latest_revision__created_at",
                "latest_revision__comment",
                "latest_revision__author__username",
                "latest_revision__author__first_name",
                "latest_revision__author__last_name",
            )
            .order_by("latest_revision__created_at", "title")[:rows]
        )
    dashboard.scheduled = list(
        scheduled.select_related("condition", "approved_by")
        .defer("snapshot")
        .order_by("approved_go_live_at", "pk")[:rows]
    )
    dashboard.overdue = list(
        published.review_overdue(today).only(*listed).order_by("next_review_due", "title")[:rows]
    )
    dashboard.due_soon = list(
        published.review_due_within(30, today)
        .only(*listed)
        .order_by("next_review_due", "title")[:rows]
    )
    dashboard.recently_published = list(
        published.filter(published_at__isnull=False)
        .select_related("live_copy", "live_revision__approved_by")
        .only(
            *listed,
            "live_copy__slug",
            "live_revision__update_note",
            "live_revision__approved_by__username",
            "live_revision__approved_by__first_name",
            "live_revision__approved_by__last_name",
        )
        .order_by("-published_at", "title")[:rows]
    )
    dashboard.failing_checks = list(
        working.filter(_failing_checks_q())
        .only(*listed, "check_problems")
        .order_by("-updated_at", "title")[:rows]
    )
    dashboard.hardest = hardest_articles(rows=rows)
    if counts["source_updated"]:
        dashboard.source_updated = list(
            working.source_updated()
            .select_related("translation_of")
            .only(*listed, "source_updated_at", "translation_of__title")
            .order_by("source_updated_at", "title")[:rows]
        )
    if counts["changes_requested"]:
        # Longest waiting first, like the reviewers' own list.
        dashboard.changes_requested = list(
            working.filter(_changes_requested_q())
            .select_related("changes_requested_in__author")
            .only(
                *listed,
                "changes_requested_in__created_at",
                "changes_requested_in__comment",
                "changes_requested_in__author__username",
                "changes_requested_in__author__first_name",
                "changes_requested_in__author__last_name",
            )
            .order_by("changes_requested_in__created_at", "title")[:rows]
        )
    if reviews:
        # Changes to drugs, organizations and topics waiting for approval.
        pending = list(
            PendingChange.objects.select_related("content_type", "proposed_by").order_by(
                "proposed_at", "pk"
            )[: rows + 1]
        )
        dashboard.pending_changes = pending[:rows]
        counts["pending_changes"] = (
            len(pending) if len(pending) <= rows else PendingChange.objects.count()
        )
    return dashboard


def review_due(*, within_days=30, today=None):
    """Working copies that are published and overdue for review, or due soon."""
    today = today or timezone.localdate()
    qs = (
        Condition.objects.editable()
        .filter(live_revision__isnull=False, next_review_due__isnull=False)
        .order_by("next_review_due", "title")
    )
    overdue = list(qs.review_overdue(today))
    soon = list(qs.review_due_within(within_days, today))
    return overdue, soon


def hardest_articles(*, rows=DASHBOARD_ROWS):
    """Working copies with the highest reading grade first (one query)."""
    return list(
        Condition.objects.editable()
        .filter(reading_grade__isnull=False)
        .only("title", "language", "status", "reading_grade", "updated_at", "check_problems")
        .order_by("-reading_grade", "title")[:rows]
    )


@dataclass
class BrokenLinks:
    count: int
    rows: list


def broken_links(*, rows=DASHBOARD_ROWS):
    """The dashboard's broken links (conditions.review.linkcheck), each with the
    organizations or working-copy articles that use it; three queries."""
    broken = LinkCheck.objects.filter(ok=False)
    count = broken.count()
    shown = list(broken.order_by("failing_since", "url")[:rows]) if count else []
    if shown:
        urls = [link.url for link in shown]
        used_by = {}
        for name, url in Organization.objects.filter(url__in=urls).values_list("name", "url"):
            used_by.setdefault(url, []).append(name)
        references = Reference.objects.filter(condition__is_live=False).select_related("condition")
        # A reference's link is computed (DOI, PMID or URL): match by URL
        # and by the DOI/PMID addresses the checker built.
        for reference in references.only("doi", "pmid", "url", "condition__title"):
            if reference.link in urls:
                used_by.setdefault(reference.link, []).append(reference.condition.title)
        for link in shown:
            link.used_by = sorted(set(used_by.get(link.url, [])))
    return BrokenLinks(count=count, rows=shown)
