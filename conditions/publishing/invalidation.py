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

from django.db.models import Q
from taggit.models import TaggedItem

from conditions.models import Condition, DrugGroupItem
from conditions.publishing import events
from healthlib.lib.pagecache import bump

HOME, AZ, DRUGS, TOPICS, SITEMAP = "home", "az", "drugs", "topics", "sitemap"


def article_tag(slug):
    return f"article:{slug}"


def drug_tag(slug):
    return f"drug:{slug}"


def topic_tag(slug):
    return f"topic:{slug}"


def on_live_change(sender, change, **kwargs):
    """Receiver of the live-change event: bump the tags of every page that
    shows the change (at once and again at the commit, see ``bump``). The
    research blocks' tags are ``newsletter.cached_pages``'s."""
    bump(*library_tags(change))


def library_tags(change):
    """The tags of the pages showing what ``change`` changed in the library
    (articles, shared records)."""
    if change.loaded:
        tags = loaded(change.lives)
    else:
        tags = set()
        for article in change.articles:
            tags |= article_changed(article.before, article.after)
        for record in change.records:
            tags |= record_changed(record)
    tags.update(article_tag(live.slug) for live in change.pages)
    return tags


def tags_for(change):
    """Every tag ``change`` makes stale: the library's and the research
    blocks' (what the page cache's receivers bump, and the edge cache
    purges)."""
    return library_tags(change) | research_changed(change.research)


def research_changed(research):
    """Research readers see changed (``ResearchChange`` or None): the home
    page lists the latest, each article page the research related to it,
    the sitemap the archive."""
    if research is None:
        return set()
    tags = set()
    if research.articles:
        lives = Condition.objects.live(language=None).filter(
            Q(source_id__in=research.articles) | Q(translation_of_id__in=research.articles)
        )
        tags = {article_tag(slug) for slug in lives.values_list("slug", flat=True)}
    if research.summaries or research.editions:
        tags.add(HOME)
    if research.editions:
        tags.add(SITEMAP)
    return tags


def article_changed(before, after):
    """An article's live copy went from ``before`` to ``after`` (its
    ``LiveFacts``; either may be None: first publication, or taken down)."""
    either = after or before
    # The sitemap lists every live article with its last change.
    tags = {HOME, SITEMAP, article_tag(either.slug)}
    if before is not None:
        tags.add(article_tag(before.slug))
    listing_changed = before is None or after is None or before.listing != after.listing
    if listing_changed or before.alternate_names != after.alternate_names:
        tags.add(AZ)
    old_drugs = before.drugs if before else frozenset()
    new_drugs = after.drugs if after else frozenset()
    old_topics = before.topics if before else frozenset()
    new_topics = after.topics if after else frozenset()
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
            for slug in Condition.objects.live(language=None)
            .filter(related=either.source_id)
            .values_list("slug", flat=True)
        )
    return tags


def record_changed(record):
    """A shared record changed: the pages of the live copies that show it,
    and a drug's or topic's own page (at its old and new address), index
    and the sitemap."""
    slugs = (
        Condition.objects.live(language=None)
        .filter(pk__in=record.lives)
        .values_list("slug", flat=True)
    )
    tags = {article_tag(slug) for slug in slugs}
    if record.kind == events.DRUG:
        tags |= {DRUGS, SITEMAP, drug_tag(record.slug), drug_tag(record.old_slug)}
    elif record.kind == events.TOPIC:
        tags |= {TOPICS, SITEMAP, topic_tag(record.slug), topic_tag(record.old_slug)}
    return {tag for tag in tags if not tag.endswith(":")}


def loaded(lives):
    """Live copies written in bulk: the pages of each, of the drugs and
    topics they show, and every listing, in two queries."""
    ids = [live.pk for live in lives]
    drug_slugs = DrugGroupItem.objects.filter(group__condition__in=ids).values_list(
        "drug__slug", flat=True
    )
    topic_slugs = TaggedItem.objects.filter(
        content_type__app_label="conditions",
        content_type__model="condition",
        object_id__in=ids,
    ).values_list("tag__slug", flat=True)
    return {
        HOME,
        AZ,
        DRUGS,
        TOPICS,
        SITEMAP,
        *(article_tag(live.slug) for live in lives),
        *(drug_tag(slug) for slug in set(drug_slugs)),
        *(topic_tag(slug) for slug in set(topic_slugs)),
    }
