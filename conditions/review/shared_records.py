"""Changes to shared records under medical review.

Drugs, organizations and topics are shared between articles: renaming a
drug changes every published article that lists it. A change by someone
who may not publish, to a record that published articles show, is kept as
a ``PendingChange`` and reaches readers only when a medical reviewer
approves it. Records no published article shows yet (a drug an editor just
created for a draft) change at once: publishing the draft is reviewed.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from conditions.models import (
    PUBLISH_PERMISSION,
    ArticleOrganization,
    Condition,
    Drug,
    DrugGroupItem,
    Organization,
    PendingChange,
)


def is_shown_live(record):
    """Whether a published article shows ``record`` to readers."""
    if isinstance(record, Drug):
        return DrugGroupItem.objects.filter(drug=record, group__condition__is_live=True).exists()
    if isinstance(record, Organization):
        return ArticleOrganization.objects.filter(
            organization=record, condition__is_live=True
        ).exists()
    if isinstance(record, Tag):
        return TaggedItem.objects.filter(
            tag=record,
            content_type=ContentType.objects.get_for_model(Condition),
            object_id__in=Condition.objects.live(language=None).values("pk"),
        ).exists()
    return False


def needs_approval(user, record):
    return record.pk is not None and not user.has_perm(PUBLISH_PERMISSION) and is_shown_live(record)


def pending_for(record):
    if record is None or record.pk is None:
        return None
    return PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).first()


@transaction.atomic
def propose(*, record, changes, user):
    """Keep ``changes`` ({field: new value}) to ``record`` for approval. A
    second proposal for the same record adds to the first."""
    content_type = ContentType.objects.get_for_model(record)
    pending, created = PendingChange.objects.select_for_update().get_or_create(
        content_type=content_type,
        object_id=record.pk,
        defaults={"changes": changes, "proposed_by": user},
    )
    if not created:
        pending.changes = {**pending.changes, **changes}
        pending.proposed_by = user
        pending.proposed_at = timezone.now()
        pending.save()
    return pending


@transaction.atomic
def approve(*, pending, user):
    """Apply the change to the record, so readers see it (the record's save
    refreshes the cached pages that show it)."""
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only medical reviewers can approve changes to shared records.")
    pending = PendingChange.objects.select_for_update().get(pk=pending.pk)
    record = pending.record
    if record is not None:
        for field, value in pending.changes.items():
            setattr(record, field, value)
        record.full_clean()
        record.save()
    pending.delete()
    return record


@transaction.atomic
def reject(*, pending, user):
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only medical reviewers can reject changes to shared records.")
    PendingChange.objects.filter(pk=pending.pk).delete()


@transaction.atomic
def merge_topics(*, topics, into, user):
    """File everything under ``topics`` under the topic named ``into``
    (an existing topic's name, or a new one), then delete the others.
    Returns the topic kept.

    Each merged topic is deleted while its links still stand, so the
    pages that showed it are refreshed (``conditions.publishing.records``);
    saving the kept topic then refreshes the pages that show it now."""
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only medical reviewers can merge topics.")
    target = Tag.objects.filter(name__iexact=into).first()
    if target is None:
        target = Tag.objects.create(name=into)
    for topic in topics:
        if topic.pk == target.pk:
            continue
        for content_type_id, object_id in TaggedItem.objects.filter(tag=topic).values_list(
            "content_type_id", "object_id"
        ):
            TaggedItem.objects.get_or_create(
                tag=target, content_type_id=content_type_id, object_id=object_id
            )
        Tag.objects.get(pk=topic.pk).delete()
    target.save()
    return target
