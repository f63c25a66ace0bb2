"""Approved revisions going live at their time: the scheduler's run
(``publish_scheduled``, from the ``publish_scheduled`` command or task)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from conditions.models import Condition, Revision
from conditions.services.articles import _locked, record_revision
from conditions.services.errors import WorkflowError
from conditions.services.workflow import _check_live_slug_free, _go_live

Status = Condition.Status


@dataclass
class ScheduledRun:
    """What one run of the scheduler did."""

    published: list = field(default_factory=list)
    # (condition, reason) for each due article that could not go live.
    failed: list = field(default_factory=list)


def publish_scheduled(*, now=None):
    """Put live every approved revision whose time has come, each in its own
    transaction, so one that cannot go live (its address is taken) neither
    holds back nor undoes the others. Safe to run concurrently: each due
    revision is claimed under a row lock, and an approval is used once."""
    now = now or timezone.now()
    run = ScheduledRun()
    due = Revision.objects.filter(approved_go_live_at__lte=now).order_by("approved_go_live_at")
    for pk in list(due.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                revision = (
                    Revision.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, approved_go_live_at__lte=now)
                    .select_related("condition")
                    .first()
                )
                if revision is None:
                    continue  # another run took it, or it was withdrawn
                condition = _locked(revision.condition)
                Revision.objects.filter(pk=pk).update(approved_go_live_at=None)
                if condition.status == Status.ARCHIVED:
                    continue
                _check_live_slug_free(condition)
                _go_live(condition, revision)
                run.published.append(condition)
        except WorkflowError as exc:
            run.failed.append((_scheduled_failed(pk, str(exc)), str(exc)))
    return run


@transaction.atomic
def _scheduled_failed(revision_pk, reason):
    """Withdraw an approval that could not go live, and say why in the
    article's history; it needs a new review once the reason is fixed."""
    revision = Revision.objects.select_related("condition").get(pk=revision_pk)
    Revision.objects.filter(pk=revision_pk).update(approved_go_live_at=None)
    condition = _locked(revision.condition)
    record_revision(condition=condition, comment=f"Could not go live as scheduled: {reason}")
    return condition
