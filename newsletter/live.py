"""What readers see of the newsletter changed: the archive (sent editions)
and its research summaries, shown on the edition pages, on the home page
(the latest research), on the pages of the articles they relate to, in
the sitemap and in search.

Editions and summaries are written from many places (the admin and its
inlines, ``newsletter.services``, the demo, an import), so the writes are
caught where they all meet, the models' save and delete, and sent as the
library's one live-change event (``conditions.publishing.events``) with a
``ResearchChange``: once per row written, inside its transaction. Drafts
are on no page readers see: changing them sends nothing.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from conditions.publishing import events
from newsletter.models import Edition, ResearchSummary

Related = ResearchSummary.related_articles.through
SENT = Edition.Status.SENT


def _emit(summaries=(), articles=(), editions=()):
    research = events.ResearchChange(
        summaries=frozenset(summaries), articles=frozenset(articles), editions=frozenset(editions)
    )
    events.emit(__name__, events.LiveChange(research=research))


def _related(summary_ids):
    rows = Related.objects.filter(researchsummary__in=summary_ids)
    return set(rows.values_list("condition_id", flat=True))


def _shown(summary):
    """Whether readers see ``summary`` as the database holds it."""
    return ResearchSummary.objects.filter(pk=summary.pk, edition__status=SENT).exists()


def _summary_saving(sender, instance, **kwargs):
    # Moved out of a sent edition, it leaves readers' pages.
    instance._live_was_shown = instance.pk is not None and _shown(instance)


def _summary_saved(sender, instance, **kwargs):
    if getattr(instance, "_live_was_shown", False) or _shown(instance):
        _emit(summaries={instance.pk}, articles=_related([instance.pk]))


def _cascaded(instance, origin):
    """Deleted along with its edition (or its English edition), which says so."""
    return isinstance(origin, Edition) and origin != instance


def _summary_deleting(sender, instance, origin=None, **kwargs):
    shown = not _cascaded(instance, origin) and _shown(instance)
    instance._live_gone = (instance.pk, _related([instance.pk])) if shown else None


def _summary_deleted(sender, instance, **kwargs):
    gone = getattr(instance, "_live_gone", None)
    if gone is not None:
        pk, articles = gone
        _emit(summaries={pk}, articles=articles)


def _related_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        if not reverse and _shown(instance):
            instance._live_cleared = _related([instance.pk])
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # instance is an article's working copy; pk_set holds summaries
        shown = ResearchSummary.objects.filter(pk__in=pk_set or (), edition__status=SENT)
        if shown.exists():
            _emit(articles={instance.pk})
    elif action == "post_clear":
        cleared = getattr(instance, "_live_cleared", None)
        if cleared:
            _emit(articles=cleared)
    elif pk_set and _shown(instance):
        _emit(articles=pk_set)


def _archive(edition):
    """A sent edition, its sent versions in other languages (sent with it,
    see ``services.mark_sent``) and their summaries."""
    editions = set(
        Edition.objects.filter(
            Q(pk=edition.pk) | Q(translation_of=edition), status=SENT
        ).values_list("pk", flat=True)
    )
    summaries = set(
        ResearchSummary.objects.filter(edition__in=editions).values_list("pk", flat=True)
    )
    return editions, summaries, _related(summaries)


def _edition_saved(sender, instance, **kwargs):
    if instance.is_sent:
        editions, summaries, articles = _archive(instance)
        _emit(summaries=summaries, articles=articles, editions=editions)


def _edition_deleting(sender, instance, origin=None, **kwargs):
    shown = instance.is_sent and not _cascaded(instance, origin)
    instance._live_gone = _archive(instance) if shown else None


def _edition_deleted(sender, instance, **kwargs):
    gone = getattr(instance, "_live_gone", None)
    if gone is not None:
        editions, summaries, articles = gone
        _emit(summaries=summaries, articles=articles, editions=editions)


def connect():
    uid = "newsletter.live"
    pre_save.connect(_summary_saving, sender=ResearchSummary, dispatch_uid=f"{uid}.s.saving")
    post_save.connect(_summary_saved, sender=ResearchSummary, dispatch_uid=f"{uid}.s.saved")
    pre_delete.connect(_summary_deleting, sender=ResearchSummary, dispatch_uid=f"{uid}.s.deleting")
    post_delete.connect(_summary_deleted, sender=ResearchSummary, dispatch_uid=f"{uid}.s.deleted")
    m2m_changed.connect(_related_changed, sender=Related, dispatch_uid=f"{uid}.related")
    post_save.connect(_edition_saved, sender=Edition, dispatch_uid=f"{uid}.e.saved")
    pre_delete.connect(_edition_deleting, sender=Edition, dispatch_uid=f"{uid}.e.deleting")
    post_delete.connect(_edition_deleted, sender=Edition, dispatch_uid=f"{uid}.e.deleted")
