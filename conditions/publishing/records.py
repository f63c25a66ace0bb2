"""Shared records (drugs, organizations, topics) are shown on many pages:
a change to one that a published article shows is a live change.

They are written from many places (the admin, a reviewer's approval in
``conditions.review.shared_records``, taggit's tag merging), so the
writes are caught where they all meet, the models' save and delete, and
sent as the one live-change event (``conditions.publishing.events``),
once per row written, inside the transaction that writes it. A record no
live article shows (a drug just created for a draft) changes nothing
readers see: no event.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag

from conditions.models import Condition, Drug, Organization, Topic, TopicName
from conditions.publishing import events

# What joins each kind of record to the live copies that show it.
_SHOWN_BY = {
    events.DRUG: "drug_groups__items__drug",
    events.ORGANIZATION: "organization_links__organization",
    events.TOPIC: "tags",
}
# Topic is Tag as the admin shows it (a proxy): Django sends a proxy's
# signals with the proxy as sender, so both are listened to.
_KINDS = {
    Drug: events.DRUG,
    Organization: events.ORGANIZATION,
    Tag: events.TOPIC,
    Topic: events.TOPIC,
}


def lives_showing(kind, pk):
    """The live copies (ids) that show the record ``pk`` of ``kind``."""
    lives = Condition.objects.live(language=None).filter(**{_SHOWN_BY[kind]: pk})
    return frozenset(lives.values_list("pk", flat=True).distinct())


def _emit(kind, pk, lives, **facts):
    if lives:
        change = events.RecordChange(kind=kind, pk=pk, lives=lives, **facts)
        events.emit(__name__, events.LiveChange(records=(change,)))


def _remember(sender, instance, **kwargs):
    """Before a save: the address it was shown at."""
    if "slug" in {f.name for f in sender._meta.fields} and instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        instance._live_old_slug = old or ""


def _saved(sender, instance, created, **kwargs):
    if created:
        return  # no article shows it yet
    kind = _KINDS[sender]
    _emit(
        kind,
        instance.pk,
        lives_showing(kind, instance.pk),
        slug=getattr(instance, "slug", ""),
        old_slug=getattr(instance, "_live_old_slug", ""),
    )


def _deleting(sender, instance, **kwargs):
    # Deleting a topic deletes its links to articles: find them first.
    instance._live_lives = lives_showing(events.TOPIC, instance.pk)


def _deleted(sender, instance, **kwargs):
    _emit(
        events.TOPIC,
        instance.pk,
        getattr(instance, "_live_lives", frozenset()),
        slug=instance.slug,
        old_slug=instance.slug,
        deleted=True,
    )


def _topic_name_changed(sender, instance, **kwargs):
    """A topic's name in another language: its pages in that language."""
    if isinstance(kwargs.get("origin"), Tag):
        return  # deleted with its topic, which says so
    slug = Tag.objects.filter(pk=instance.tag_id).values_list("slug", flat=True).first() or ""
    lives = lives_showing(events.TOPIC, instance.tag_id)
    _emit(events.TOPIC, instance.tag_id, lives, slug=slug, old_slug=slug)


def connect():
    for model in _KINDS:
        uid = f"conditions.publishing.live.{model._meta.model_name}"
        pre_save.connect(_remember, sender=model, dispatch_uid=f"{uid}.remember")
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}.saved")
    for model in (Tag, Topic):
        uid = f"conditions.publishing.live.{model._meta.model_name}"
        pre_delete.connect(_deleting, sender=model, dispatch_uid=f"{uid}.deleting")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}.deleted")
    post_save.connect(
        _topic_name_changed, sender=TopicName, dispatch_uid="conditions.publishing.live.tn"
    )
    post_delete.connect(
        _topic_name_changed, sender=TopicName, dispatch_uid="conditions.publishing.live.tn.d"
    )
