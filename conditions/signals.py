"""Shared records (drugs, organizations, topics) are shown on many pages;
when one changes, the cached pages that show it must go."""

from django.db.models.signals import post_save, pre_save
from taggit.models import Tag

from . import invalidation, search
from .models import Drug, Organization, SearchDocument


def _remember_slug(sender, instance, **kwargs):
    instance._old_slug = (
        sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if instance.pk
        else None
    )


def _drug_saved(sender, instance, created, **kwargs):
    if not created:
        invalidation.drug_changed(instance, old_slug=getattr(instance, "_old_slug", None))
        search.sync(SearchDocument.Kind.DRUG, [instance.pk])


def _organization_saved(sender, instance, created, **kwargs):
    if not created:
        invalidation.organization_changed(instance)


def _tag_saved(sender, instance, created, **kwargs):
    if not created:
        invalidation.topic_changed(instance, old_slug=getattr(instance, "_old_slug", None))
        search.sync(SearchDocument.Kind.TOPIC, [instance.pk])


def connect():
    pre_save.connect(_remember_slug, sender=Drug, dispatch_uid="conditions.drug_slug")
    pre_save.connect(_remember_slug, sender=Tag, dispatch_uid="conditions.tag_slug")
    post_save.connect(_drug_saved, sender=Drug, dispatch_uid="conditions.drug_saved")
    post_save.connect(_organization_saved, sender=Organization, dispatch_uid="conditions.org_saved")
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid="conditions.tag_saved")
