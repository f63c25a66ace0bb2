"""Changes to shared records under medical review.

Drugs, organizations and topics are shared between articles: renaming a
drug changes every published article that lists it. A change by someone
who may not publish, to a record that published articles show, is kept as
a ``PendingChange`` and reaches readers only when a medical reviewer
approves it. Records no published article shows yet (a drug an editor just
created for a draft) change at once: publishing the draft is reviewed.

Except what no article's review reads: a record's ``REVIEWED_FIELDS``, the
text of a drug's own page (what it is used for, side effects, links…).
Those always wait for a reviewer when someone who may not publish writes
them, on a new record too, so the record itself only ever holds text a
medical reviewer approved, and every public place that reads it (the drug's
page, the API, search, exports) shows nothing else.
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
    TopicName,
    validate_names,
)

# A topic's names in other languages are rows of their own (TopicName); a
# change to them waits as the topic's "names", {language: name}, as a drug's
# or an organization's names do.
TOPIC_NAMES = "names"


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


def topic_names(tag):
    return dict(TopicName.objects.filter(tag=tag).values_list("language", "name"))


def current_value(record, field):
    """What readers see now of ``field`` of ``record``."""
    if isinstance(record, Tag) and field == TOPIC_NAMES:
        return topic_names(record)
    return getattr(record, field, "")


def _set_topic_names(tag, names):
    validate_names(names)
    TopicName.objects.filter(tag=tag).exclude(language__in=list(names)).delete()
    for language, name in sorted(names.items()):
        TopicName.objects.update_or_create(tag=tag, language=language, defaults={"name": name})


def needs_approval(user, record):
    return record.pk is not None and not user.has_perm(PUBLISH_PERMISSION) and is_shown_live(record)


def reviewed_fields(record):
    return tuple(getattr(record, "REVIEWED_FIELDS", ()))


def held_fields(user, record, fields):
    """Those of ``fields`` (names of fields ``user`` changed on ``record``)
    whose change waits for a medical reviewer (``user`` None: the system,
    as for the services)."""
    if not fields or user is None or user.has_perm(PUBLISH_PERMISSION):
        return []
    if needs_approval(user, record):
        return list(fields)
    always = reviewed_fields(record)
    return [name for name in fields if name in always]


@transaction.atomic
def save(*, record, changed, user):
    """Save ``record`` (new or not) with the values set on it, ``changed``
    naming the fields that changed: what ``user`` may change at once is
    saved, the rest is proposed (``propose``) while the record keeps its
    current values (a new record: empty). Returns the ``PendingChange``, or
    None when nothing waits."""
    held = held_fields(user, record, changed)
    if not held:
        record.save()
        return None
    proposed = {name: getattr(record, name) for name in held}
    current = type(record).objects.filter(pk=record.pk).first() if record.pk else None
    for name in held:
        field = record._meta.get_field(name)
        setattr(record, name, getattr(current, name) if current else field.get_default())
    if current is None or len(held) < len(changed):
        record.save()
    return propose(record=record, changes=proposed, user=user)


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
    if user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only medical reviewers can approve changes to shared records.")
    pending = PendingChange.objects.select_for_update().get(pk=pending.pk)
    record = pending.record
    if record is not None:
        names = None
        for field, value in pending.changes.items():
            if isinstance(record, Tag) and field == TOPIC_NAMES:
                names = value
            else:
                setattr(record, field, value)
        record.full_clean()
        record.save()
        if names is not None:
            _set_topic_names(record, names)
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
