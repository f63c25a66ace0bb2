"""The one live-change event: what happens when the copy readers are served
changes.

Every write of an article's live copy goes through here: publishing (now
or scheduled), unpublishing, archiving, deleting, recording a review and
loading content. Each function captures the facts it needs before the
write, makes the write, and then, in the same transaction:

* renders the article's page and stores it on the live copy
  (``conditions.publishing.rendering``), and renders again the articles that list it
  as related when its title or address changed,
* updates the search index,
* bumps exactly the page-cache tags of the pages that show the change,
* re-checks the drafts that link to an address that appeared or went away,
* sends ``live_changed`` or ``live_removed``, which anything else (another
  app's cached blocks, later work) subscribes to.

Receivers run inside the transaction; work that must wait for the commit
uses ``transaction.on_commit``.
"""

from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from conditions import search
from conditions.models import Condition
from conditions.publishing import invalidation, rendering, snapshots
from conditions.review import content_checks as checks
from conditions.search.library import sync_for_articles

# sender=Condition; live=the live copy just written; old_slug=where it was
# served before (None on a first publication).
live_changed = Signal()
# sender=Condition; condition=the working copy; slug=where it was served.
live_removed = Signal()


def put(condition, revision, **fields):
    """Write ``revision`` into ``condition``'s live copy (creating it on a
    first publication) with ``fields`` (status, dates…). Returns the live copy."""
    live = Condition.objects.filter(source=condition).first()
    before = invalidation.facts(live)
    old_slug = live.slug if live is not None else None
    if live is None:
        live = Condition(is_live=True, source=condition)
    live.language = condition.language
    live.translation_of_id = condition.translation_of_id
    live.translated_from_id = condition.translated_from_id
    live.source_updated_at = condition.source_updated_at
    for name, value in fields.items():
        setattr(live, name, value)
    snapshots.materialize(revision.snapshot, live)
    _changed(live, before=before, old_slug=old_slug)
    if not condition.translation_of_id:
        _source_went_live(condition, revision)
    return live


def update(condition, **fields):
    """Change fields of the live copy that do not come from a revision (a
    recorded review's dates and note). Returns the live copy."""
    live = Condition.objects.filter(source=condition).first()
    before = invalidation.facts(live)
    for name, value in fields.items():
        setattr(live, name, value)
    live.save()
    _changed(live, before=before, old_slug=live.slug)
    return live


def remove(condition):
    """Take the live copy of ``condition`` down, if it has one."""
    live = Condition.objects.filter(source=condition).first()
    if live is None:
        return
    slug = live.slug
    before = invalidation.facts(live)
    live.delete()
    _language_versions(_family_id(condition))
    search.remove(condition)
    _rerender_related(before, None)
    sync_for_articles(before.drugs, before.topics)
    invalidation.live_changed(before, None)
    checks.recheck_linking_to(slug)
    live_removed.send(Condition, condition=condition, slug=slug)


def loaded(lives):
    """Live copies written in bulk (``import_content``): index them, bump
    their pages and every listing, store their drafts' checks."""
    # Where each article is live in each language (the switcher, hreflang,
    # the API's translations), once every language's copy is in place.
    families = sorted({_family_id(live) for live in lives})
    versions = {source_id: _language_versions(source_id) for source_id in families}
    for live in lives:
        live.language_versions = versions[_family_id(live)]
    for live in lives:
        rendering.store(live)
        search.index(live)
        live_changed.send(Condition, live=live, old_slug=None)
    search.sync(search.SearchDocument.Kind.DRUG)
    search.sync(search.SearchDocument.Kind.TOPIC)
    invalidation.loaded(lives)


def _changed(live, *, before, old_slug):
    # In this transaction, after the write: readers never get a page
    # rendered from older rows than the ones they are served with.
    rendering.store(live)
    after = invalidation.facts(live)
    _rerender_related(before, after)
    search.index(live)
    live.language_versions = _language_versions(_family_id(live))
    # The drugs and topics it lists (or listed) are searchable while a
    # published article lists them; a topic's document names its articles.
    sync_for_articles(
        (before.drugs if before else set()) | after.drugs,
        (before.topics if before else set()) | after.topics,
    )
    invalidation.live_changed(before, after)
    if old_slug != live.slug:
        checks.recheck_linking_to(live.slug, old_slug)
    live_changed.send(Condition, live=live, old_slug=old_slug)


def _rerender_related(before, after):
    """Articles that list this one as related show its title and link (only
    while it is live)."""
    if before is not None and after is not None and before.listing == after.listing:
        return
    either = after or before
    rendering.rerender(Condition.objects.live().filter(related=either.source_id))


def _family_id(condition):
    """The English working copy's id for any copy of an article or of one
    of its translations."""
    if condition.is_live:
        return condition.translation_of_id or condition.source_id
    return condition.translation_of_id or condition.pk


def _family(source_id):
    """The live copies of an article and of its translations."""
    return Condition.objects.filter(
        Q(source_id=source_id) | Q(translation_of_id=source_id, is_live=True)
    )


def _language_versions(source_id):
    """Store on each live copy of the article's family where the family is
    live in each language; bump the pages whose switcher changed. Returns
    that ``{language: address}``."""
    family = list(_family(source_id).only("pk", "slug", "language", "language_versions"))
    versions = {live.language: live.get_absolute_url() for live in family}
    changed = [live for live in family if live.language_versions != versions]
    for live in changed:
        live.language_versions = versions
    Condition.objects.bulk_update(changed, ["language_versions"])
    invalidation.bump_articles(changed)
    return versions


def _source_went_live(source, revision):
    """A new revision of an English article went live: its translations
    made from another revision now lag behind it (unless already marked)."""
    lagging = Condition.objects.filter(
        translation_of=source, source_updated_at__isnull=True
    ).exclude(translated_from=revision)
    lives = list(lagging.filter(is_live=True).only("pk", "slug", "language"))
    lagging.update(source_updated_at=timezone.now())
    # The readers' notice ("The English version was updated…").
    invalidation.bump_articles(lives)
