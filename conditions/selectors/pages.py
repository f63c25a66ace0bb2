"""What the readers' pages show, in a fixed, small number of queries
whatever the article's size: an article with its parts, the A–Z index,
drugs, topics, recent articles, an article's reading levels."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.db.models.functions import Lower
from taggit.models import Tag

from conditions.models import (
    ArticleOrganization,
    Condition,
    Drug,
    DrugGroup,
    DrugGroupItem,
    Organization,
    Revision,
    Section,
    Signoff,
    TopicName,
)
from conditions.pages.translations import current_language
from conditions.review import readability
from conditions.selectors.alphabet import letter_of, letters, strxfrm_key


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
    # Outside specialists' approvals of the live revision (conditions.services.signoffs).
    signoffs: list = field(default_factory=list)

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


def _drug_groups(condition):
    items = (
        DrugGroupItem.objects.filter(group__condition=condition)
        .select_related("group", "drug")
        .order_by("group__order", "group_id", "order", "id")
    )
    groups = {}
    for item in items:
        group = groups.setdefault(item.group_id, DrugGroupView(item.group.heading))
        group.drugs.append(item.drug)
    return list(groups.values())


def article_page(condition, *, with_markdown=False):
    """Load the parts of ``condition`` (live or a working copy, for preview)."""
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
        drug_groups=_drug_groups(condition),
        references=list(condition.references.all()),
        organizations_by_region=regions,
        figures=list(condition.figures.all()),
        tags=with_topic_names(list(condition.tags.all()), condition.language),
        related=list(related.only("title", "slug", "summary")),
        codes=list(condition.codes.all()),
        signoffs=live_signoffs(condition),
    )


def embed_page(live):
    """The parts of the live copy ``live`` its embed shows (the text, its
    drugs and figures, who signed it off), in four queries: references,
    resources, topics and related articles stay on the article's page."""
    return ArticlePage(
        condition=live,
        sections=_urgent_help_first(live.sections.defer("body")),
        drug_groups=_drug_groups(live),
        references=[],
        organizations_by_region=[],
        figures=list(live.figures.all()),
        tags=[],
        related=[],
        codes=[],
        signoffs=live_signoffs(live),
    )


def live_signoffs(condition):
    """The specialists who approved ``condition``'s live revision, in the
    order they did (none for a working copy: readers see only the live one)."""
    if not condition.is_live or not condition.live_revision_id:
        return []
    return list(
        Signoff.objects.filter(
            published_in_id=condition.live_revision_id, decision=Signoff.Decision.APPROVED
        ).order_by("decided_at", "id")
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
