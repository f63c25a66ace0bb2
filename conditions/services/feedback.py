"""Readers' feedback ("Was this page helpful?"): storing an answer, and
editors marking it handled."""

from django.db import transaction
from django.utils import timezone

from conditions.models import Feedback
from conditions.pages.privacy import MAX_COMMENT_CHARS, mask_personal_data
from conditions.services.errors import WorkflowError


@transaction.atomic
def record_feedback(*, live, helpful, comment=""):
    """Store a reader's answer about ``live`` (a live copy). Kept against the
    working copy and the revision the reader saw, with any email address or
    phone number in the comment masked."""
    if not live.is_live:
        raise WorkflowError("Feedback is about the published article.")
    comment = mask_personal_data(" ".join((comment or "").split())[:MAX_COMMENT_CHARS]).strip()
    return Feedback.objects.create(
        condition_id=live.source_id,
        revision_id=live.live_revision_id,
        helpful=bool(helpful),
        comment=comment,
    )


@transaction.atomic
def mark_feedback_handled(*, feedback, user, handled=True):
    """Mark feedback (one, or a queryset) handled by ``user``, or not handled."""
    if isinstance(feedback, Feedback):
        feedback = Feedback.objects.filter(pk=feedback.pk)
    if handled:
        return feedback.filter(handled_at__isnull=True).update(
            handled_at=timezone.now(), handled_by=user
        )
    return feedback.update(handled_at=None, handled_by=None)
