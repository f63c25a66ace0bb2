"""Shared records (drugs, organizations, topics) are shown on many pages;
when one changes, the cached pages that show it must go and the stored
renderings of the articles that show it are made again (in the transaction
that saves the record: editors' changes are saved when they are approved,
``conditions.review.shared_records``)."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag

from conditions import search
from conditions.models import Condition, Drug, Organization, SearchDocument
from conditions.publishing import invalidation, rendering


def _remember_slug(sender, instance, **kwargs):
    instance._old_slug = (
        sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if instance.pk
        else None
    )


def _drug_saved(sender, instance, created, **kwargs):
    if not created:
        rendering.rerender(Condition.objects.filter(drug_groups__items__drug=instance))
        invalidation.drug_changed(instance, old_slug=getattr(instance, "_old_slug", None))
        search.sync(SearchDocument.Kind.DRUG, [instance.pk])


def _organization_saved(sender, instance, created, **kwargs):
    if not created:
        rendering.rerender(Condition.objects.filter(organization_links__organization=instance))
        invalidation.organization_changed(instance)


def _tag_saved(sender, instance, created, **kwargs):
    if not created:
        rendering.rerender(Condition.objects.filter(tags=instance))
        invalidation.topic_changed(instance, old_slug=getattr(instance, "_old_slug", None))
        search.sync(SearchDocument.Kind.TOPIC, [instance.pk])


def _remember_tagged(sender, instance, **kwargs):
    # Deleting a topic deletes its links to articles: find them first.
    lives = Condition.objects.live().filter(tags=instance)
    instance._live_ids = list(lives.values_list("pk", flat=True))


def _tag_deleted(sender, instance, **kwargs):
    live_ids = getattr(instance, "_live_ids", ())
    rendering.rerender(Condition.objects.filter(pk__in=live_ids))
    invalidation.topic_deleted(instance, live_ids)
    search.sync(SearchDocument.Kind.TOPIC, [instance.pk])


def connect():
    pre_save.connect(_remember_slug, sender=Drug, dispatch_uid="conditions.drug_slug")
    pre_save.connect(_remember_slug, sender=Tag, dispatch_uid="conditions.tag_slug")
    post_save.connect(_drug_saved, sender=Drug, dispatch_uid="conditions.drug_saved")
    post_save.connect(_organization_saved, sender=Organization, dispatch_uid="conditions.org_saved")
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid="conditions.tag_saved")
    pre_delete.connect(_remember_tagged, sender=Tag, dispatch_uid="conditions.tag_deleting")
    post_delete.connect(_tag_deleted, sender=Tag, dispatch_uid="conditions.tag_deleted")
