"""The change feed's log: what changed, in the order it changed.

``on_live_change``, a receiver of the one live-change event
(``conditions.publishing.events``), writes one ``ChangeEntry`` per article
or shared record whose API answer changed, in the writer's transaction:

* an article's live copy written (``created`` on its first publication,
  else ``updated``) or taken down (``unpublished``; ``deleted`` once its
  working copy is gone too);
* the articles whose answer shows it: those listing it as related (when its
  title, summary or address changed), those whose language switcher
  changed, those showing a changed drug, organization or topic;
* a shared record that published articles show, saved (``updated``) or
  deleted (``deleted``).

An article is known by its working copy's id (stable across publications,
slug changes and unpublishing); a record by its own. A new entry
supersedes the older ones about the same thing, so the feed lists each
thing once, at its latest change: reading it from any point and applying
each entry in order ends with the library as it is. Entries are numbered
under a lock (``ChangeFeedLock``), so numbers follow the commits and a
reader past number N never misses a later-committed N-1.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from taggit.models import Tag

from conditions.models import ChangeEntry, ChangeFeedLock, Condition, Drug, Organization, Topic
from conditions.models.partners import (
    CONDITION,
    CREATED,
    DELETED,
    DRUG,
    ORGANIZATION,
    TOPIC,
    UNPUBLISHED,
    UPDATED,
)
from conditions.partners import webhooks
from conditions.publishing import events, records

_RECORD_KINDS = {Drug: DRUG, Organization: ORGANIZATION, Tag: TOPIC, Topic: TOPIC}
# The strength of an action when one change names a thing twice.
_STRENGTH = {UPDATED: 0, CREATED: 1, UNPUBLISHED: 2, DELETED: 3}


def on_live_change(sender, change, **kwargs):
    """Receiver of the live-change event: the feed's entries for ``change``."""
    if change.research is not None and not (change.articles or change.records or change.pages):
        return []
    found = {}  # (kind, id) -> (action, slug, old_slug, language)

    def note(kind, object_id, action, slug="", old_slug="", language=""):
        key = (kind, object_id)
        if key in found and _STRENGTH[found[key][0]] >= _STRENGTH[action]:
            return
        found[key] = (action, slug, old_slug, language)

    shown_by = set()  # live copies whose answer shows a change
    for article in change.articles:
        if article.live is not None:
            live = article.live
            action = CREATED if article.before is None else UPDATED
            old = article.old_slug if article.old_slug != live.slug else ""
            note(CONDITION, article.source_id, action, live.slug, old or "", live.language)
        else:
            working = Condition.objects.filter(pk=article.source_id).only("language").first()
            slug = article.old_slug or ""
            language = working.language if working else ""
            action = UNPUBLISHED if working is not None else DELETED
            note(CONDITION, article.source_id, action, slug, "", language)
        if not change.loaded and article.listing_changed:
            shown_by.update(
                Condition.objects.live(language=None)
                .filter(related=article.source_id)
                .values_list("pk", flat=True)
            )
    for record in change.records:
        note(
            record.kind,
            record.pk,
            DELETED if record.deleted else UPDATED,
            record.slug,
            record.old_slug if record.old_slug != record.slug else "",
        )
        shown_by.update(record.lives)
    shown_by.update(live.pk for live in change.pages)
    for source_id, slug, language in (
        Condition.objects.live(language=None)
        .filter(pk__in=shown_by)
        .values_list("source_id", "slug", "language")
    ):
        note(CONDITION, source_id, UPDATED, slug, "", language)
    return write(found)


def write(found):
    """Append the entries ``found`` ({(kind, id): (action, slug, old_slug,
    language)}), superseding older entries about the same things."""
    if not found:
        return []
    # Hold the lock until the writer commits: entries are numbered in commit order.
    ChangeFeedLock.objects.select_for_update().get_or_create(pk=1)
    now = timezone.now()
    by_kind = {}
    for kind, object_id in found:
        by_kind.setdefault(kind, []).append(object_id)
    for kind, ids in by_kind.items():
        ChangeEntry.objects.filter(kind=kind, object_id__in=ids, superseded=False).update(
            superseded=True
        )
    entries = [
        ChangeEntry(
            kind=kind,
            object_id=object_id,
            action=action,
            slug=slug,
            old_slug=old_slug,
            language=language,
            changed_at=now,
        )
        for (kind, object_id), (action, slug, old_slug, language) in sorted(found.items())
    ]
    for entry in entries:  # one by one: every database returns the numbers
        entry.save()
    webhooks.enqueue(entries)
    return entries


def page(*, after=0, since=None, limit=100):
    """The current entries after number ``after`` (and changed at or after
    ``since``), oldest first, at most ``limit``; and whether more follow."""
    found = ChangeEntry.objects.filter(superseded=False, seq__gt=after)
    if since is not None:
        found = found.filter(changed_at__gte=since)
    rows = list(found.order_by("seq")[: limit + 1])
    return rows[:limit], len(rows) > limit


def _record_written(sender, instance, **kwargs):
    """A drug, organization or topic the feed once listed, saved or deleted
    while no live article shows it (the live-change event is silent then):
    the feed says so too, so a mirror lets go of it or renames it."""
    kind = _RECORD_KINDS[sender]
    key = (kind, instance.pk)
    deleted = "created" not in kwargs  # post_delete
    if deleted:
        # Only a topic's deletion is an event (found before the delete).
        shown = getattr(instance, "_live_lives", None) if kind == TOPIC else None
    else:
        shown = records.lives_showing(kind, instance.pk)
    if shown:
        return  # the live-change event spoke of it
    listed = (
        ChangeEntry.objects.filter(kind=kind, object_id=instance.pk, superseded=False)
        .exclude(action=DELETED)
        .exists()
    )
    if listed:
        action = DELETED if deleted else UPDATED
        write({key: (action, getattr(instance, "slug", ""), "", "")})


def connect():
    events.connect(on_live_change, "conditions.partners.feed")
    for model in _RECORD_KINDS:
        uid = f"conditions.partners.feed.{model._meta.model_name}"
        post_save.connect(_record_written, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(_record_written, sender=model, dispatch_uid=f"{uid}.deleted")
