"""Reads that need care: what the readers' pages show, in a fixed, small
number of queries whatever the article's size."""

import string
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import (
    ArticleOrganization,
    Condition,
    Drug,
    DrugGroupItem,
    Organization,
    Section,
)

LETTERS = list(string.ascii_lowercase) + ["0-9"]


def letter_of(name):
    first = name.strip()[:1].lower()
    if first in string.ascii_lowercase:
        return first
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
    queryset = queryset if queryset is not None else Condition.objects.live()
    entries = []
    for title, slug, alternates in queryset.values_list("title", "slug", "alternate_names"):
        entries.append(IndexEntry(title, slug, title))
        for name in alternates.splitlines():
            if name.strip():
                entries.append(IndexEntry(name.strip(), slug, title))
    entries.sort(key=lambda e: (e.name.casefold(), e.title.casefold()))
    return entries


def az_index(letter=None):
    """(letters that have entries, chosen letter, its entries)."""
    by_letter = defaultdict(list)
    for entry in az_entries():
        by_letter[letter_of(entry.name)].append(entry)
    available = [x for x in LETTERS if by_letter[x]]
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
    def treatment_section(self):
        for section in self.sections:
            if section.kind == Section.Kind.TREATMENT:
                return section
        return None

    def figures_after(self, section):
        return [f for f in self.figures if f.placement == section.kind]

    @property
    def unplaced_figures(self):
        placed = {s.kind for s in self.sections}
        return [f for f in self.figures if f.placement not in placed]


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
        related = Condition.objects.live().filter(source__in=condition.related.all())
    else:
        related = condition.related.all()

    return ArticlePage(
        condition=condition,
        # The page shows the rendered HTML; the Markdown source is for the API.
        sections=list(
            condition.sections.all() if with_markdown else condition.sections.defer("body")
        ),
        drug_groups=list(groups.values()),
        references=list(condition.references.all()),
        organizations_by_region=regions,
        figures=list(condition.figures.all()),
        tags=list(condition.tags.all()),
        related=list(related.only("title", "slug", "summary")),
        codes=list(condition.codes.all()),
    )


def live_drugs():
    """Drugs listed in at least one published article, with how many."""
    return (
        Drug.objects.filter(group_items__group__condition__is_live=True)
        .annotate(article_count=Count("group_items__group__condition", distinct=True))
        .order_by("name")
    )


def live_articles_listing(drug):
    return (
        Condition.objects.live()
        .filter(drug_groups__items__drug=drug)
        .distinct()
        .only("title", "slug", "summary")
        .order_by("title")
    )


def live_articles_tagged(tag):
    return (
        Condition.objects.live().filter(tags=tag).only("title", "slug", "summary").order_by("title")
    )


def recent_articles(limit=8):
    return (
        Condition.objects.live()
        .filter(~Q(published_at=None))
        .only("title", "slug", "summary", "published_at")
        .order_by("-published_at", "title")[:limit]
    )
