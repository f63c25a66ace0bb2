"""The working copy of an article and its history: create, edit, restore
and delete an article, and the revision every save stores.

Every write goes through one of these functions (or the workflow's), each
one transaction, so an article and its revisions never disagree.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from conditions.models import Condition, Revision
from conditions.publishing import live as live_copy
from conditions.publishing import snapshots
from conditions.review import content_checks as checks
from conditions.review import readability
from conditions.services.errors import WorkflowError

Status = Condition.Status


def _require(user, permission):
    # user=None is the system itself: management commands and the scheduler.
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied("Only medical reviewers can do this.")


def _locked(condition):
    return Condition.objects.select_for_update().get(pk=condition.pk)


def record_revision(
    *, condition, user=None, comment="", status_before=None, same_text=False, **extra
):
    """Store a snapshot of the working copy as it is now.

    Called after every save, inside the saving transaction, so an article
    and its history can never disagree. ``same_text``: the revision records
    a step that changed no text (a review recorded), so it leaves the
    article's "unpublished changes" as they were.
    """
    revision = Revision.objects.create(
        condition=condition,
        author=user if user is not None and user.is_authenticated else None,
        comment=comment[:500],
        status_before=status_before if status_before is not None else condition.status,
        status_after=condition.status,
        snapshot=(snapshot := snapshots.take(condition)),
        readability=(levels := readability.for_snapshot(snapshot, condition.language)),
        **extra,
    )
    live = condition.live_revision_id
    unpublished = live is None or live != revision.pk
    if same_text:
        unpublished = bool(
            Condition.objects.filter(pk=condition.pk)
            .values_list("has_unpublished_changes", flat=True)
            .first()
        )
    found = checks.to_store(revision.snapshot)
    grade = readability.grade(readability.Score.from_dict(levels["article"]))
    Condition.objects.filter(pk=condition.pk).update(
        latest_revision=revision,
        has_unpublished_changes=unpublished,
        check_problems=found,
        reading_grade=grade,
    )
    condition.latest_revision = revision
    condition.check_problems = found
    condition.reading_grade = grade
    return revision


def unchanged_since_latest_revision(condition):
    """Whether the working copy is exactly what its latest revision holds
    (a form saved as it was opened): then there is no new revision to store."""
    if condition.latest_revision_id is None:
        return False
    stored = (
        Revision.objects.filter(pk=condition.latest_revision_id)
        .values_list("snapshot", flat=True)
        .first()
    )
    if stored is None:
        return False
    return snapshots.upgraded(stored) == snapshots.as_stored(snapshots.take(condition))


def newer_revision_than(condition, base_revision_id):
    """The id of the revision saved after ``base_revision_id`` (the one an
    editor's form was opened on), or None if there is none and their save
    may go ahead. Locks the article until the caller's transaction ends, so
    two saves of the same article cannot both pass."""
    current = (
        Condition.objects.select_for_update()
        .filter(pk=condition.pk)
        .values_list("latest_revision_id", flat=True)
        .first()
    )
    if current is not None and current != base_revision_id:
        return current
    return None


def status_after_edit(status):
    """The status an article takes when an editor changes its text."""
    return Status.DRAFT if status == Status.PUBLISHED else status


@transaction.atomic
def create_article(*, data, user=None, comment="Created", status=Status.DRAFT):
    """Create an article from a snapshot-shaped dict (commands, import)."""
    condition = Condition(status=status)
    snapshots.materialize(data, condition)
    record_revision(condition=condition, user=user, comment=comment, status_before="")
    return condition


@transaction.atomic
def update_article(*, condition, data, user=None, comment="Updated"):
    condition = _locked(condition)
    before = condition.status
    condition.status = status_after_edit(before)
    snapshots.materialize(data, condition, keep=snapshots.KEPT_ON_RESTORE)
    record_revision(condition=condition, user=user, comment=comment, status_before=before)
    return condition


@transaction.atomic
def restore_revision(*, condition, revision, user=None):
    """Bring back an old revision's content as a new draft. History is
    never rewritten: the restore is itself a new revision."""
    condition = _locked(condition)
    if revision.condition_id != condition.pk:
        raise WorkflowError("That revision belongs to another article.")
    before = condition.status
    data = dict(revision.snapshot)
    taken = Condition.objects.editable(condition.language).filter(slug=data["slug"])
    if taken.exclude(pk=condition.pk).exists():
        data["slug"] = condition.slug  # the old address now belongs to another article
    condition.status = Status.DRAFT
    snapshots.materialize(data, condition, keep=snapshots.KEPT_ON_RESTORE)
    when = timezone.localtime(revision.created_at)
    return record_revision(
        condition=condition,
        user=user,
        comment=f"Restored the revision of {when:%Y-%m-%d %H:%M}",
        status_before=before,
    )


@transaction.atomic
def purge_revisions(*, keep=10, older_than_days=365, now=None):
    """Delete old revisions, except the live one, scheduled ones, those an
    outside specialist decided on, each article's newest ``keep``, and any
    newer than ``older_than_days``.
    Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=older_than_days)
    # Whatever either copy points at.
    copies = Condition.objects.both()
    protected = set(copies.exclude(live_revision=None).values_list("live_revision_id", flat=True))
    protected |= set(
        copies.exclude(latest_revision=None).values_list("latest_revision_id", flat=True)
    )
    protected |= set(
        Revision.objects.exclude(approved_go_live_at=None).values_list("pk", flat=True)
    )
    # A specialist's decision is kept with the revision it was made on.
    protected |= set(Revision.objects.filter(signoffs__isnull=False).values_list("pk", flat=True))
    doomed = []
    newest_per_article = {}
    candidates = Revision.objects.order_by("condition_id", "-created_at", "-id").values_list(
        "pk", "condition_id", "created_at"
    )
    for pk, condition_id, created_at in candidates.iterator(chunk_size=2000):
        seen = newest_per_article.get(condition_id, 0)
        newest_per_article[condition_id] = seen + 1
        if seen < keep or pk in protected or created_at >= cutoff:
            continue
        doomed.append(pk)
    deleted = 0
    for start in range(0, len(doomed), 500):
        deleted += Revision.objects.filter(pk__in=doomed[start : start + 500]).delete()[0]
    return deleted


def _take_down(condition):
    live_copy.remove(condition)
    condition.live_revision = None
    condition.revisions.filter(approved_go_live_at__isnull=False).update(approved_go_live_at=None)


@transaction.atomic
def delete_article(*, condition, user=None):
    """Delete an article for good: its live copy first, so readers' pages,
    the search index and cached pages let go of it in the same commit."""
    _require(user, "conditions.delete_condition")
    condition = _locked(condition)
    # Its translations go with it (they point at it), through the same
    # live-change event, so their pages and search entries go too.
    for translation in condition.translations.filter(is_live=False):
        _take_down(translation)
    _take_down(condition)
    condition.delete()
