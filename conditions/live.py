"""The one live-change event: what happens when the copy readers are served
changes.

Every write of an article's live copy goes through here: publishing (now
or scheduled), unpublishing, archiving, deleting, recording a review and
loading content. Each function captures the facts it needs before the
write, makes the write, and then, in the same transaction:

* renders the article's page and stores it on the live copy
  (``conditions.rendering``), and renders again the articles that list it
  as related when its title or address changed,
* updates the search index,
* bumps exactly the page-cache tags of the pages that show the change,
* re-checks the drafts that link to an address that appeared or went away,
* sends ``live_changed`` or ``live_removed``, which anything else (another
  app's cached blocks, later work) subscribes to.

Receivers run inside the transaction; work that must wait for the commit
uses ``transaction.on_commit``.
"""

from django.dispatch import Signal

from . import checks, invalidation, rendering, search, snapshots
from .models import Condition

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
    for name, value in fields.items():
        setattr(live, name, value)
    snapshots.materialize(revision.snapshot, live)
    _changed(live, before=before, old_slug=old_slug)
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
    search.remove(condition)
    _rerender_related(before, None)
    invalidation.live_changed(before, None)
    checks.recheck_linking_to(slug)
    live_removed.send(Condition, condition=condition, slug=slug)


def loaded(lives):
    """Live copies written in bulk (``import_content``): index them, bump
    their pages and every listing, store their drafts' checks."""
    for live in lives:
        rendering.store(live)
        search.index(live)
        live_changed.send(Condition, live=live, old_slug=None)
    invalidation.loaded(lives)


def _changed(live, *, before, old_slug):
    # In this transaction, after the write: readers never get a page
    # rendered from older rows than the ones they are served with.
    rendering.store(live)
    after = invalidation.facts(live)
    _rerender_related(before, after)
    search.index(live)
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
