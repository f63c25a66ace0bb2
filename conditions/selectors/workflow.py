"""Reads of the review workflow: who reviews, whose article a reviewer
answers, where a reviewer sent an article back. The review emails
(``conditions.review.notifications``) are addressed with these."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from conditions.models import PUBLISH_PERMISSION, Condition, Revision


def reviewers():
    """Active people who may publish articles and have an email address."""
    app_label, codename = PUBLISH_PERMISSION.split(".")
    perm = Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    ) | Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(perm | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )


def author_of(condition, *, before=None):
    """Who a reviewer's answer goes to: whoever submitted the article for
    review last, or else whoever saved it last (before the revision
    ``before``, the reviewer's own step)."""
    revisions = Revision.objects.filter(condition=condition, author__isnull=False).select_related(
        "author"
    )
    if before is not None:
        revisions = revisions.filter(pk__lt=before.pk)
    submitted = (
        revisions.filter(status_after="in_review").exclude(status_before="in_review").first()
    )
    revision = submitted or revisions.first()
    return revision.author if revision is not None else None


def reviewers_can_be_emailed():
    """Whether submitting an article for review emails anyone: False when
    no medical reviewer has an email address, which the dashboard says."""
    return reviewers().exists()


def changes_requested(condition):
    """The revision in which a reviewer sent ``condition`` back, with its
    author, while the article waits to be submitted again; else None."""
    if condition.changes_requested_in_id is None or condition.status != Condition.Status.DRAFT:
        return None
    return (
        Revision.objects.select_related("author")
        .defer("snapshot", "readability")
        .filter(pk=condition.changes_requested_in_id)
        .first()
    )
