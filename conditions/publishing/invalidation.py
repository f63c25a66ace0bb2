"""Which cached pages a change makes stale (see ``healthlib.lib.pagecache``).

Page tags:
  ``home``             the home page (recent articles, letters)
  ``az``               every page of the A–Z index
  ``drugs``            the drug index
  ``topics``           the topic index (with counts)
  ``drug:<slug>``      one drug's page
  ``topic:<slug>``     one topic's page
  ``article:<slug>``   one article's page
  ``sitemap``          /sitemap.xml (every live change, drug or topic
                       rename, and a sent edition)
"""

from dataclasses import dataclass, field

from taggit.models import TaggedItem

from conditions.models import Condition, DrugGroupItem
from healthlib.lib.pagecache import bump

HOME, AZ, DRUGS, TOPICS, SITEMAP = "home", "az", "drugs", "topics", "sitemap"


def article_tag(slug):
    return f"article:{slug}"


def drug_tag(slug):
    return f"drug:{slug}"


def topic_tag(slug):
    return f"topic:{slug}"


@dataclass
class LiveFacts:
    """What other pages show of one live article."""

    source_id: int
    slug: str
    title: str
    summary: str
    alternate_names: str
    drugs: set = field(default_factory=set)
    topics: set = field(default_factory=set)

    @property
    def listing(self):
        return (self.slug, self.title, self.summary)


def facts(live):
    if live is None or live.pk is None:
        return None
    return LiveFacts(
        source_id=live.source_id,
        slug=live.slug,
        title=live.title,
        summary=live.summary,
        alternate_names=live.alternate_names,
        drugs=set(
            DrugGroupItem.objects.filter(group__condition=live).values_list("drug__slug", flat=True)
        ),
        topics={tag.slug for tag in live.tags.all()},
    )


def live_changed(before, after):
    """An article's live copy went from ``before`` to ``after`` (either may
    be None: first publish, or taken down)."""
    either = after or before
    # The sitemap lists every live article with its last change.
    tags = {HOME, SITEMAP, article_tag(either.slug)}
    if before is not None:
        tags.add(article_tag(before.slug))
    listing_changed = before is None or after is None or before.listing != after.listing
    if listing_changed or before.alternate_names != after.alternate_names:
        tags.add(AZ)
    old_drugs = before.drugs if before else set()
    new_drugs = after.drugs if after else set()
    old_topics = before.topics if before else set()
    new_topics = after.topics if after else set()
    drugs = (old_drugs | new_drugs) if listing_changed else (old_drugs ^ new_drugs)
    topics = (old_topics | new_topics) if listing_changed else (old_topics ^ new_topics)
    tags.update(drug_tag(s) for s in drugs)
    tags.update(topic_tag(s) for s in topics)
    if old_drugs != new_drugs or listing_changed and (old_drugs or new_drugs):
        tags.add(DRUGS)
    if old_topics != new_topics:
        # The topic index counts articles per topic.
        tags.add(TOPICS)
    if listing_changed:
        # Articles that list this one as related show its title.
        tags.update(
            article_tag(slug)
            for slug in Condition.objects.live()
            .filter(related=either.source_id)
            .values_list("slug", flat=True)
        )
    bump(*tags)


def bump_articles(lives):
    """The pages of these live copies (their own language's page)."""
    bump(*(article_tag(live.slug) for live in lives))


def article_pages_listing(**filters):
    return {
        article_tag(slug)
        for slug in Condition.objects.live()
        .filter(**filters)
        .distinct()
        .values_list("slug", flat=True)
    }


def drug_changed(drug, old_slug=None):
    bump(
        DRUGS,
        SITEMAP,
        drug_tag(drug.slug),
        drug_tag(old_slug) if old_slug else None,
        *article_pages_listing(drug_groups__items__drug=drug),
    )


def organization_changed(organization):
    bump(*article_pages_listing(organization_links__organization=organization))


def topic_changed(tag, old_slug=None):
    bump(
        TOPICS,
        SITEMAP,
        topic_tag(tag.slug),
        topic_tag(old_slug) if old_slug else None,
        *article_pages_listing(tags=tag),
    )


def topic_deleted(tag, live_ids):
    """``tag`` was deleted; ``live_ids`` are the live copies that had it."""
    slugs = Condition.objects.filter(pk__in=live_ids).values_list("slug", flat=True)
    bump(topic_tag(tag.slug), *(article_tag(slug) for slug in slugs))


def loaded(lives):
    """Live copies written in bulk: the pages of each, of the drugs and
    topics they show, and every listing, in three queries."""
    ids = [live.pk for live in lives]
    drug_slugs = DrugGroupItem.objects.filter(group__condition__in=ids).values_list(
        "drug__slug", flat=True
    )
    topic_slugs = TaggedItem.objects.filter(
        content_type__app_label="conditions",
        content_type__model="condition",
        object_id__in=ids,
    ).values_list("tag__slug", flat=True)
    bump(
        HOME,
        AZ,
        DRUGS,
        TOPICS,
        SITEMAP,
        *(article_tag(live.slug) for live in lives),
        *(drug_tag(slug) for slug in set(drug_slugs)),
        *(topic_tag(slug) for slug in set(topic_slugs)),
    )
