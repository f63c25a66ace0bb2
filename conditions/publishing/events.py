"""The one live-change event: what readers can see changed.

Like Wagtail's ``page_published``, one ``django.dispatch.Signal``,
``live_change``, is sent once for every change readers can see, by the code
that makes it, inside its transaction (``emit``):

* an article's live copy written or taken down: ``conditions.publishing.live``
  (publishing now or scheduled, unpublishing, archiving, deleting, a
  recorded review, ``import_content``);
* a shared record that published articles show, saved or deleted (a drug,
  an organization, a topic or a topic's name in another language):
  ``conditions.publishing.records``;
* a research summary or edition of the newsletter's archive:
  ``newsletter.live``.

Everything derived from what readers see is a receiver of it, each in its
own module, connected in its app config's ``ready()``:

=======================================  ==================================
``conditions.publishing.rendering``      the articles' stored HTML
``conditions.publishing.invalidation``   the page cache's tags
``conditions.search.indexing``           the search index (articles, drugs,
                                         topics)
``conditions.review.content_checks``     the drafts' checks of links to an
                                         address that came or went
``conditions.publishing.edge``           the edge cache (Varnish), purged
                                         by the same tags after the commit
``conditions.partners.feed``             the partners' change feed (and
                                         their webhooks, from it)
``conditions.publishing.handouts``       the stored PDF handouts (they
                                         also follow the page's tag)
``newsletter.cached_pages``              the cached pages' research blocks
``healthlib.search_sources``             the search index (research)
=======================================  ==================================

Receivers are independent: none reads what another one writes (each reads
the database, which the writer changed before sending), so they may run in
any order (``tests/conditions/publishing/test_events.py`` runs them
reversed). Receivers run inside the writer's transaction, so a failing one
undoes the change; work that must wait for the commit (a request to
another server) uses ``transaction.on_commit``.

A new derived store (a CDN's edge purge, partner webhooks) is one more
receiver and nothing else::

    # edgepurge.py
    def on_live_change(sender, change, **kwargs):
        urls = [c.live.get_absolute_url() for c in change.articles if c.live]
        transaction.on_commit(lambda: purge(urls))

    # its AppConfig.ready()
    events.live_change.connect(edgepurge.on_live_change, dispatch_uid="edgepurge")

The payload (``LiveChange``) says what changed, with the facts from before
the change that are gone after it (an old address, the drugs an article
listed, the articles a deleted topic was on).
"""

from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

from conditions.models import DrugGroupItem

# sender: the module that made the change (its __name__); change: LiveChange.
live_change = Signal()

DRUG, ORGANIZATION, TOPIC = "drug", "organization", "topic"


@dataclass(frozen=True)
class LiveFacts:
    """What other pages show of one live article."""

    source_id: int
    slug: str
    title: str
    summary: str
    alternate_names: str
    drugs: frozenset = frozenset()  # slugs
    topics: frozenset = frozenset()  # slugs

    @property
    def listing(self):
        """What listings show: the A–Z, topic and drug pages, related articles."""
        return (self.slug, self.title, self.summary)


def facts(live):
    """``live``'s ``LiveFacts`` as the database holds them now (None when
    there is no live copy)."""
    if live is None or live.pk is None:
        return None
    return LiveFacts(
        source_id=live.source_id,
        slug=live.slug,
        title=live.title,
        summary=live.summary,
        alternate_names=live.alternate_names,
        drugs=frozenset(
            DrugGroupItem.objects.filter(group__condition=live).values_list("drug__slug", flat=True)
        ),
        topics=frozenset(tag.slug for tag in live.tags.all()),
    )


@dataclass(frozen=True)
class ArticleChange:
    """One article's live copy written (``live``) or taken down (``live`` is
    None). ``before`` and ``after`` are its ``LiveFacts`` (``before`` is None
    on a first publication; both are None in a bulk load, see
    ``LiveChange.loaded``)."""

    source_id: int
    live: object = None  # the Condition live copy, as written
    before: LiveFacts | None = None
    after: LiveFacts | None = None

    @property
    def removed(self):
        return self.live is None

    @property
    def old_slug(self):
        return self.before.slug if self.before else None

    @property
    def listing_changed(self):
        before, after = self.before, self.after
        return before is None or after is None or before.listing != after.listing


@dataclass(frozen=True)
class RecordChange:
    """A shared record published articles show, changed or deleted."""

    kind: str  # DRUG, ORGANIZATION or TOPIC
    pk: int
    slug: str = ""  # drugs and topics have an address
    old_slug: str = ""
    deleted: bool = False
    # The live copies (every language) that show it, from before the change.
    lives: frozenset = frozenset()


@dataclass(frozen=True)
class ResearchChange:
    """Research summaries readers see (those of sent editions) changed."""

    summaries: frozenset = frozenset()  # their ids (gone ones included)
    # Working copies of the articles whose pages list them (related research).
    articles: frozenset = frozenset()
    # Editions that entered, changed in or left the archive (home, sitemap).
    editions: frozenset = frozenset()


@dataclass(frozen=True)
class LiveChange:
    articles: tuple = ()  # ArticleChange, one per live copy written
    records: tuple = ()  # RecordChange
    research: ResearchChange | None = None
    # Live copies whose page changed beside their content: the language
    # switcher (another language went live or away), the notice that the
    # English version was updated. Their pages only: not their stored HTML
    # nor their index entries.
    pages: tuple = ()
    # The articles were written in bulk (import_content), all first
    # publications: no facts were gathered; receivers act in bulk.
    loaded: bool = False

    @property
    def lives(self):
        """The live copies written."""
        return [a.live for a in self.articles if a.live is not None]


def emit(sender, change):
    """Send ``change`` to every receiver, in one transaction with the
    change when the caller has one (the receivers' writes go or stay with
    it). Returns the receivers' answers."""
    with transaction.atomic():
        return live_change.send(sender, change=change)


def connect(receiver, name):
    """Subscribe ``receiver(sender, change, **kwargs)`` once (``name``
    identifies it)."""
    live_change.connect(receiver, dispatch_uid=f"live_change:{name}", weak=False)
