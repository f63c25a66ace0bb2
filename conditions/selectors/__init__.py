"""Reads that need care: what the readers' pages show, in a fixed, small
number of queries whatever the article's size."""

import datetime
import string
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from conditions.models import (
    ArticleOrganization,
    Condition,
    Drug,
    DrugGroup,
    DrugGroupItem,
    Feedback,
    GlossaryTerm,
    Organization,
    PendingChange,
    Revision,
    Section,
    TopicName,
    review_due_within_q,
    review_overdue_q,
)
from conditions.pages.translations import current_language
from conditions.review import notifications, readability

LETTERS = list(string.ascii_lowercase) + ["0-9"]
# Letters a language's alphabet has besides A–Z, each with the letter it
# follows: Spanish files "ñandú" under Ñ, after N. Other accented initials
# file under their base letter ("Úlcera" under U) in every language.
OWN_LETTERS = {"es": {"ñ": "n"}}


def strxfrm_key(name):
    """Sort key for names in any language: accents after the bare letter
    (Á with A), Ñ after N as Spanish dictionaries file it."""
    folded = name.casefold().replace("ñ", "n~")
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode(), folded


def base_language(language=None):
    """``language`` (the active language by default) without its region: "es" for "es-mx"."""
    return (language or current_language()).split("-")[0].lower()


def letters(language=None):
    """The A–Z of ``language`` (the active language by default), "0-9" last."""
    own = OWN_LETTERS.get(base_language(language), {})
    result = []
    for letter in LETTERS:
        result.append(letter)
        result.extend(x for x, after in own.items() if after == letter)
    return result


def letter_of(name, language=None):
    """The A–Z letter ``name`` is filed under in ``language``."""
    first = unicodedata.normalize("NFC", name.strip())[:1].lower()
    if first in OWN_LETTERS.get(base_language(language), {}):
        return first
    # Accents folded: "Á" is A, "Ñ" is N where it is not a letter of its own.
    base = unicodedata.normalize("NFD", first)[:1]
    if base in string.ascii_lowercase:
        return base
    return "0-9"


@dataclass
class IndexEntry:
    name: str
    slug: str
    title: str  # the article's title; differs from name for an alternate name

    @property
    def is_alternate(self):
        return self.name != self.title


def az_entries(queryset=None):
    """Every live title and alternate name, sorted, as index entries."""
    if queryset is None:
        queryset = Condition.objects.live(current_language())
    entries = []
    for title, slug, alternates in queryset.values_list("title", "slug", "alternate_names"):
        entries.append(IndexEntry(title, slug, title))
        for name in alternates.splitlines():
            if name.strip():
                entries.append(IndexEntry(name.strip(), slug, title))
    entries.sort(key=lambda e: (strxfrm_key(e.name), strxfrm_key(e.title)))
    return entries


def az_index(letter=None):
    """(letters that have entries, chosen letter, its entries), in the
    active language's alphabet."""
    by_letter = defaultdict(list)
    for entry in az_entries():
        by_letter[letter_of(entry.name)].append(entry)
    available = [x for x in letters() if by_letter[x]]
    if letter not in by_letter or not by_letter[letter]:
        letter = available[0] if available else None
    return available, letter, by_letter.get(letter, [])


@dataclass
class DrugGroupView:
    heading: str
    drugs: list = field(default_factory=list)


@dataclass
class ArticlePage:
    """An article with everything its page shows."""

    condition: Condition
    sections: list
    drug_groups: list
    references: list
    organizations_by_region: list  # [(region label, [Organization])]
    figures: list
    tags: list
    related: list
    codes: list

    @property
    def urgent_help(self):
        """The "When to get urgent help" sections (first in ``sections``)."""
        return [s for s in self.sections if s.kind == Section.Kind.URGENT_HELP]

    @property
    def treatment_section(self):
        for section in self.sections:
            if section.kind == Section.Kind.TREATMENT:
                return section
        return None

    @property
    def unplaced_figures(self):
        placed = {s.kind for s in self.sections}
        return [f for f in self.figures if f.placement not in placed]


def _urgent_help_first(sections):
    # "When to get urgent help" comes before everything, whatever its order
    # (the order of the rest is kept).
    return sorted(sections, key=lambda s: s.kind != Section.Kind.URGENT_HELP)


def article_page(condition, *, with_markdown=False):
    """Load the parts of ``condition`` (live or a working copy, for preview)."""
    items = (
        DrugGroupItem.objects.filter(group__condition=condition)
        .select_related("group", "drug")
        .order_by("group__order", "group_id", "order", "id")
    )
    groups = {}
    for item in items:
        group = groups.setdefault(item.group_id, DrugGroupView(item.group.heading))
        group.drugs.append(item.drug)

    by_region = defaultdict(list)
    links = ArticleOrganization.objects.filter(condition=condition).select_related("organization")
    for link in links:
        by_region[link.organization.region].append(link.organization)
    regions = [
        (label, by_region[code]) for code, label in Organization.Region.choices if by_region[code]
    ]

    if condition.is_live:
        related = Condition.objects.live(condition.language).filter(
            source__in=condition.related.all()
        )
    else:
        related = condition.related.all()

    return ArticlePage(
        condition=condition,
        # The page shows the rendered HTML; the Markdown source is for the API.
        sections=_urgent_help_first(
            condition.sections.all() if with_markdown else condition.sections.defer("body")
        ),
        drug_groups=list(groups.values()),
        references=list(condition.references.all()),
        organizations_by_region=regions,
        figures=list(condition.figures.all()),
        tags=with_topic_names(list(condition.tags.all()), condition.language),
        related=list(related.only("title", "slug", "summary")),
        codes=list(condition.codes.all()),
    )


def live_drugs():
    """Drugs listed in at least one published article, with how many."""
    return (
        Drug.objects.filter(
            group_items__group__condition__is_live=True,
            group_items__group__condition__language=current_language(),
        )
        .annotate(article_count=Count("group_items__group__condition", distinct=True))
        .order_by("name")
    )


def live_articles_listing(drug):
    return (
        Condition.objects.live(current_language())
        .filter(drug_groups__items__drug=drug)
        .distinct()
        .only("title", "slug", "summary")
        .order_by("title")
    )


def with_topic_names(tags, language):
    """Give each tag its ``display_name`` in ``language`` (one query, none
    in English)."""
    names = {}
    if language != settings.LANGUAGE_CODE and tags:
        names = dict(
            TopicName.objects.filter(tag__in=tags, language=language).values_list("tag_id", "name")
        )
    for tag in tags:
        tag.display_name = names.get(tag.pk, tag.name)
    return tags


def live_topics():
    """Topics of at least one published article, with how many, A–Z, named
    in the page's language. One query (two in another language)."""
    language = current_language()
    live = Condition.objects.live(language).values("pk")
    topics = with_topic_names(
        list(
            Tag.objects.filter(
                taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Condition),
                taggit_taggeditem_items__object_id__in=live,
            )
            .annotate(article_count=Count("taggit_taggeditem_items", distinct=True))
            .order_by(Lower("name"), "pk")
        ),
        language,
    )
    return sorted(topics, key=lambda tag: (strxfrm_key(tag.display_name), tag.pk))


def drug_classes(drug):
    """The headings of the groups ``drug`` is listed under in published
    articles ("Anticonvulsants"), A–Z without repeats. One query."""
    headings = (
        DrugGroup.objects.filter(
            items__drug=drug, condition__is_live=True, condition__language=current_language()
        )
        .exclude(heading="")
        .values_list("heading", flat=True)
        .distinct()
    )
    return sorted(set(headings), key=str.casefold)


def live_articles_tagged(tag):
    return (
        Condition.objects.live(current_language())
        .filter(tags=tag)
        .only("title", "slug", "summary")
        .order_by("title")
    )


def recent_articles(limit=8):
    return (
        Condition.objects.live(current_language())
        .filter(~Q(published_at=None))
        .only("title", "slug", "summary", "published_at")
        .order_by("-published_at", "title")[:limit]
    )


# Readers' feedback ("Was this page helpful?"), for editors.

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


# The admin's dashboard (/admin/): what needs doing, for each role.

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


def reviewers_can_be_emailed():
    """Whether submitting an article for review emails anyone: False when
    no medical reviewer has an email address, which the dashboard says."""
    return notifications.reviewers().exists()


def changes_requested(condition):
    """The revision in which a reviewer sent ``condition`` back, with its
    author, while the article waits to be submitted again; else None."""
    if condition.changes_requested_in_id is None or condition.status != Condition.Status.DRAFT:
        return None
    return (
        Revision.objects.select_related("author")
        .defer("snapshot", "readability")
        .filter(pk=condition.changes_requested_in_id)
        .first()
    )


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


LINK_CHOICES = 10


def link_choices(query, *, limit=LINK_CHOICES):
    """Articles an editor may link to, found by title or alternate name,
    titles starting with the query first. Each says whether readers can
    reach it yet (a link to a draft blocks publishing)."""
    query = (query or "").strip()
    if not query:
        return []
    found = (
        Condition.objects.editable()
        .filter(Q(title__icontains=query) | Q(alternate_names__icontains=query))
        .annotate(published=Exists(Condition.objects.live().filter(source=OuterRef("pk"))))
        .values("title", "slug", "alternate_names", "published", "status")[: limit * 3]
    )
    lowered = query.casefold()
    rows = sorted(
        found,
        key=lambda r: (not r["title"].casefold().startswith(lowered), r["title"].casefold()),
    )[:limit]
    return [
        {
            "title": r["title"],
            "slug": r["slug"],
            "published": r["published"],
            "also_called": [
                n.strip()
                for n in r["alternate_names"].splitlines()
                if n.strip() and lowered in n.casefold()
            ],
        }
        for r in rows
    ]


def glossary():
    """[(term, plain alternative)] for the hard-word hints."""
    return list(GlossaryTerm.objects.values_list("term", "plain"))


def hardest_articles(*, rows=DASHBOARD_ROWS):
    """Working copies with the highest reading grade first (one query)."""
    return list(
        Condition.objects.editable()
        .filter(reading_grade__isnull=False)
        .only("title", "language", "status", "reading_grade", "updated_at", "check_problems")
        .order_by("-reading_grade", "title")[:rows]
    )


def reading_levels(condition, sections):
    """The reading levels of a live article, as stored with the revision
    that went live: {"article": score, "sections": [score per section]}.
    Measured again from ``sections`` when that revision predates stored
    levels. Scores are ``readability.Score.as_dict()``: {flesch_kincaid_grade,
    smog, words} in English."""
    stored = (
        Revision.objects.filter(pk=condition.live_revision_id)
        .values_list("readability", flat=True)
        .first()
    ) or {}
    # Levels are stored in the revision's order (order, id); the page puts
    # "When to get urgent help" first, so match them up by section.
    stored_order = sorted(sections, key=lambda s: (s.order, s.pk or 0))
    rows = stored.get("sections")
    if "article" not in stored or rows is None or len(rows) != len(sections):
        stored = readability.for_snapshot(
            {
                "sections": [
                    {"kind": s.kind, "heading": s.heading, "body": s.body} for s in stored_order
                ]
            },
            condition.language,
        )
        rows = stored["sections"]
    by_section = {id(s): row for s, row in zip(stored_order, rows, strict=True)}

    def scores(stored):
        return readability.Score.from_dict(stored).as_dict()

    return {
        "article": scores(stored["article"]),
        "sections": [scores(by_section[id(s)]) for s in sections],
    }


@dataclass
class BrokenLinks:
    count: int
    rows: list


def broken_links(*, rows=DASHBOARD_ROWS):
    """The dashboard's broken links (conditions.review.linkcheck), each with the
    organizations or working-copy articles that use it; three queries."""
    from conditions.models import LinkCheck, Organization, Reference

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


# Translations, for editors.


def source_changes_url(translation):
    """The admin's comparison of the English revision ``translation`` was
    made from with the English article as live now; None while the English
    article is not live."""
    source = translation.translation_of
    if source is None or source.live_revision_id is None:
        return None
    compare = reverse("admin:conditions_condition_compare", args=[source.pk])
    return f"{compare}?a={translation.translated_from_id or ''}&b={source.live_revision_id}"


def translation_panel(condition):
    """What the article form says about languages: on an English article,
    its translations and their state; on a translation, its source, the
    source revision it was made from and whether the source changed since."""
    if condition.is_translation:
        source = condition.translation_of
        made_from = condition.translated_from
        return {
            "source": source,
            "made_from": made_from,
            "source_updated_at": condition.source_updated_at,
            "source_changes_url": source_changes_url(condition),
        }
    return {
        "translations": list(
            condition.translations.filter(is_live=False)
            .only("pk", "title", "language", "status", "source_updated_at", "live_revision_id")
            .order_by("language")
        )
    }
