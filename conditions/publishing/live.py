"""Writes of an article's live copy: the copy readers are served.

Every write of a live copy goes through here: publishing (now or
scheduled), unpublishing, archiving, deleting, recording a review and
loading content. Each function captures what readers saw before the write
(``events.facts``), makes the write (and keeps the family's language
switcher and the translations' "English version updated" notice in step),
then sends the one live-change event (``conditions.publishing.events``),
once, in the same transaction: the stored HTML, the page cache, the search
index and the drafts' link checks are its receivers.
"""

from django.db.models import Q
from django.utils import timezone

from conditions.models import Condition
from conditions.publishing import events, snapshots


def put(condition, revision, **fields):
    """Write ``revision`` into ``condition``'s live copy (creating it on a
    first publication) with ``fields`` (status, dates…). Returns the live copy."""
    live = Condition.objects.filter(source=condition).first()
    before = events.facts(live)
    if live is None:
        live = Condition(is_live=True, source=condition)
    live.language = condition.language
    live.translation_of_id = condition.translation_of_id
    live.translated_from_id = condition.translated_from_id
    live.source_updated_at = condition.source_updated_at
    for name, value in fields.items():
        setattr(live, name, value)
    snapshots.materialize(revision.snapshot, live)
    pages = _language_versions(_family_id(live), written=live)
    if not condition.translation_of_id:
        pages += _source_went_live(condition, revision)
    _emit(events.ArticleChange(condition.pk, live, before, events.facts(live)), pages)
    return live


def update(condition, **fields):
    """Change fields of the live copy that do not come from a revision (a
    recorded review's dates and note). Returns the live copy."""
    live = Condition.objects.filter(source=condition).first()
    before = events.facts(live)
    for name, value in fields.items():
        setattr(live, name, value)
    live.save()
    _emit(events.ArticleChange(condition.pk, live, before, events.facts(live)))
    return live


def remove(condition):
    """Take the live copy of ``condition`` down, if it has one."""
    live = Condition.objects.filter(source=condition).first()
    if live is None:
        return
    before = events.facts(live)
    live.delete()
    pages = _language_versions(_family_id(condition))
    _emit(events.ArticleChange(condition.pk, None, before, None), pages)


def loaded(lives):
    """Live copies written in bulk (``import_content``), all first
    publications."""
    # Where each article is live in each language (the switcher, hreflang,
    # the API's translations), once every language's copy is in place.
    versions, pages = {}, []
    for source_id in sorted({_family_id(live) for live in lives}):
        versions[source_id], changed = _versions(source_id)
        pages += changed
    for live in lives:
        live.language_versions = versions[_family_id(live)]
    written = {live.pk for live in lives}
    change = events.LiveChange(
        articles=tuple(events.ArticleChange(live.source_id, live) for live in lives),
        pages=tuple(live for live in pages if live.pk not in written),
        loaded=True,
    )
    events.emit(__name__, change)


def _emit(article, pages=()):
    events.emit(__name__, events.LiveChange(articles=(article,), pages=tuple(pages)))


def _family_id(condition):
    """The English working copy's id for any copy of an article or of one
    of its translations."""
    if condition.is_live:
        return condition.translation_of_id or condition.source_id
    return condition.translation_of_id or condition.pk


def _family(source_id):
    """The live copies of an article and of its translations."""
    return Condition.objects.live(language=None).filter(
        Q(source_id=source_id) | Q(translation_of_id=source_id)
    )


def _language_versions(source_id, written=None):
    """Store on each live copy of the article's family where the family is
    live in each language. Returns the other live copies whose switcher
    changed (``written``, the copy just written, is given the map too)."""
    versions, changed = _versions(source_id)
    if written is not None:
        written.language_versions = versions
    return [live for live in changed if written is None or live.pk != written.pk]


def _versions(source_id):
    family = list(_family(source_id).only("pk", "slug", "language", "language_versions"))
    versions = {live.language: live.get_absolute_url() for live in family}
    changed = [live for live in family if live.language_versions != versions]
    for live in changed:
        live.language_versions = versions
    Condition.objects.bulk_update(changed, ["language_versions"])
    return versions, changed


def _source_went_live(source, revision):
    """A new revision of an English article went live: its translations
    made from another revision now lag behind it (unless already marked).
    Returns their live copies (their pages show a notice)."""
    # Both copies: the working copy tells editors, the live copy readers.
    lagging = (
        Condition.objects.both()
        .filter(translation_of=source, source_updated_at__isnull=True)
        .exclude(translated_from=revision)
    )
    lives = list(lagging.filter(is_live=True).only("pk", "slug", "language"))
    lagging.update(source_updated_at=timezone.now())
    return lives
