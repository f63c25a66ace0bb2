"""The review workflow: draft → in review → published → archived.

Who may take which step (``allowed_actions``), and the steps: submit for
review, request changes, publish (now or at a time, see
``conditions.services.schedule``), unpublish, archive, record a review.
Readers only ever see the live copy, which only publishing writes, from a
saved revision.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from conditions.models import (
    CHANGES_REQUESTED,
    PUBLISH_PERMISSION,
    REVIEW_PERMISSION,
    Byline,
    Condition,
    SlugRedirect,
)
from conditions.publishing import live as live_copy
from conditions.review import content_checks as checks
from conditions.review import notifications
from conditions.services import signoffs
from conditions.services.articles import _locked, _require, _take_down, record_revision
from conditions.services.errors import GateClosed, StaleRevision, WorkflowError
from conditions.services.translations import _bring_up_to_date, missing_translations

Status = Condition.Status


def allowed_actions(user, condition):
    """The workflow steps ``user`` may take on ``condition`` now, by name:
    the one statement of who may do what, when, that the admin shows."""
    status = condition.status
    live = condition.live_revision_id is not None
    allowed = []
    if user.has_perm("conditions.change_condition") and status == Status.DRAFT:
        allowed.append("submit")
    if user.has_perm(PUBLISH_PERMISSION):
        if status in (Status.DRAFT, Status.IN_REVIEW) or (
            status == Status.PUBLISHED and condition.has_unpublished_changes
        ):
            allowed.append("publish")
        if status == Status.IN_REVIEW:
            allowed.append("request_changes")
        if live:
            allowed.append("unpublish")
        if status != Status.ARCHIVED:
            allowed.append("archive")
    if user.has_perm(REVIEW_PERMISSION) and live:
        allowed.append("review")
    if user.has_perm(REVIEW_PERMISSION) and condition.source_updated_at is not None:
        allowed.append("source_unaffecting")
    if user.has_perm("conditions.add_condition") and missing_translations(condition):
        allowed.append("translate")
    return allowed


@transaction.atomic
def submit_for_review(*, condition, user=None, comment=""):
    """Put a draft in front of the medical reviewers and email them. The
    returned revision's ``emailed`` lists the addresses the email goes to:
    empty when no reviewer has an email address."""
    condition = _locked(condition)
    if condition.status not in (Status.DRAFT, Status.PUBLISHED) or (
        condition.status == Status.PUBLISHED and not condition.has_unpublished_changes
    ):
        raise WorkflowError(
            f"An article that is {condition.get_status_display().lower()} "
            "cannot be submitted for review."
        )
    before = condition.status
    condition.status = Status.IN_REVIEW
    # Resubmitted: the reviewer's requested changes are answered.
    condition.changes_requested_in = None
    condition.save(update_fields=["status", "changes_requested_in", "updated_at"])
    revision = record_revision(
        condition=condition,
        user=user,
        comment=comment or "Submitted for review",
        status_before=before,
    )
    revision.emailed = notifications.submitted(condition, user=user, comment=comment)
    return revision


@transaction.atomic
def request_changes(*, condition, user=None, comment, revision=None):
    """Send an article under review back to its author with what to change.
    The article shows the comment until it is submitted again; the returned
    revision's ``emailed`` lists the addresses told (empty: the author has
    no email address, or is the reviewer)."""
    _require(user, PUBLISH_PERMISSION)
    condition = _locked(condition)
    if condition.status != Status.IN_REVIEW:
        raise WorkflowError("Only an article in review can be sent back for changes.")
    if not comment.strip():
        raise WorkflowError("Say what should change, so the author knows what to do.")
    _check_reviewed(condition, revision)
    condition.status = Status.DRAFT
    condition.save(update_fields=["status", "updated_at"])
    revision = record_revision(
        condition=condition,
        user=user,
        comment=f"{CHANGES_REQUESTED}{comment.strip()}",
        status_before=Status.IN_REVIEW,
    )
    Condition.objects.filter(pk=condition.pk).update(changes_requested_in=revision)
    condition.changes_requested_in = revision
    revision.emailed = notifications.changes_requested(
        condition, user=user, comment=comment.strip(), revision=revision
    )
    return revision


def save_byline(*, user, name, credentials=""):
    """Store ``user``'s public byline on their account (once; later calls
    change it), for the Publish form to prefill."""
    Byline.objects.update_or_create(
        user=user, defaults={"name": name.strip(), "credentials": credentials.strip()}
    )


def _check_reviewed(condition, revision, *, current=None):
    """Refuse when the revision the reviewer read is no longer the one that
    would be approved (``revision`` None: the caller is the system)."""
    if revision is None:
        return
    reviewed = getattr(revision, "pk", revision)
    current = condition.latest_revision_id if current is None else current
    if reviewed != current:
        raise StaleRevision(
            "The article was changed after you opened this page, so nothing was done: "
            "what you read is not what would go live. Compare the two versions, then "
            "review the current one.",
            reviewed_id=reviewed,
            current_id=current,
        )


def _gate(condition, acknowledged):
    """The content checks a person must pass to publish: no blocking
    problem, and every warning acknowledged. Returns the acknowledged
    warnings, to record with the publication."""
    found = checks.problems(condition.latest_revision.snapshot, language=condition.language)
    blocked = checks.blocking(found)
    if blocked:
        raise GateClosed(
            "Publishing is blocked: " + " ".join(p.message for p in blocked), problems=blocked
        )
    warned = checks.warnings(found)
    missing = [p for p in warned if p.key not in set(acknowledged or ())]
    if missing:
        raise GateClosed(
            "Acknowledge each warning before publishing: " + " ".join(p.message for p in missing),
            problems=missing,
        )
    return [{"key": p.key, "message": p.message} for p in warned]


def _reviewer_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@transaction.atomic
def publish(
    *,
    condition,
    user=None,
    update_note="",
    reviewer_name="",
    reviewer_credentials="",
    go_live_at=None,
    reviewed_on=None,
    revision=None,
    acknowledged=(),
):
    """Approve the working copy as reviewed, and put it live now or at
    ``go_live_at``. Records the review: date, reviewer, next review due.

    ``revision`` is the revision the reviewer read: if the article changed
    since, nothing happens. A person (``user``) must also pass the content
    checks, acknowledging each warning by its key; the acknowledgements are
    recorded in the publishing revision.
    """
    _require(user, PUBLISH_PERMISSION)
    condition = _locked(condition)
    if condition.status == Status.ARCHIVED:
        raise WorkflowError("Restore an archived article to a draft before publishing it.")
    _check_reviewed(condition, revision)
    _check_live_slug_free(condition)
    acknowledged_warnings = _gate(condition, acknowledged) if user is not None else []
    # Outside specialists' sign-offs of this very text (conditions.services.signoffs).
    approvals = signoffs.gate(condition) if user is not None else []
    before = condition.status
    today = reviewed_on or timezone.localdate()
    if reviewer_name and user is not None and user.is_authenticated:
        save_byline(user=user, name=reviewer_name, credentials=reviewer_credentials)
    # Approved: whatever was asked for before is settled.
    condition.changes_requested_in = None
    condition.last_reviewed = today
    condition.reviewer_name = reviewer_name or condition.reviewer_name or _reviewer_name(user)
    condition.reviewer_credentials = reviewer_credentials or condition.reviewer_credentials
    condition.next_review_due = today + datetime.timedelta(days=settings.REVIEW_INTERVAL_DAYS)
    if update_note:
        condition.update_notes = [
            {"date": today.isoformat(), "note": update_note, "reviewer": condition.reviewer_display}
        ] + list(condition.update_notes)

    scheduled = go_live_at is not None and go_live_at > timezone.now()
    if scheduled:
        # The approved text is frozen in this revision; later edits to the
        # working copy do not go live with it.
        condition.save()
        when = timezone.localtime(go_live_at)
        revision = record_revision(
            condition=condition,
            user=user,
            comment=f"Approved to go live {when:%Y-%m-%d %H:%M}",
            status_before=before,
            update_note=update_note,
            approved_go_live_at=go_live_at,
            approved_by=user if user is not None and user.is_authenticated else None,
            acknowledged_warnings=acknowledged_warnings,
        )
        signoffs.put_live(approvals, revision)
        # Only the newest approval counts.
        condition.revisions.exclude(pk=revision.pk).filter(
            approved_go_live_at__isnull=False
        ).update(approved_go_live_at=None)
        if user is not None:
            notifications.published(condition, user=user, revision=revision)
        return revision

    condition.status = Status.PUBLISHED
    condition.save()
    revision = record_revision(
        condition=condition,
        user=user,
        comment="Published",
        status_before=before,
        update_note=update_note,
        approved_by=user if user is not None and user.is_authenticated else None,
        acknowledged_warnings=acknowledged_warnings,
    )
    condition.revisions.filter(approved_go_live_at__isnull=False).update(approved_go_live_at=None)
    signoffs.put_live(approvals, revision)
    _go_live(condition, revision)
    if user is not None:
        notifications.published(condition, user=user, revision=revision)
    return revision


def _check_live_slug_free(condition):
    taken = (
        Condition.objects.live(condition.language)
        .filter(slug=condition.slug)
        .exclude(source=condition)
        .select_related("source")
        .first()
    )
    if taken is not None:
        raise WorkflowError(
            f"The address {condition.get_absolute_url()} is still used by the published "
            f"version of “{taken.source.title}”. Change the slug or unpublish that article."
        )


def _go_live(condition, revision):
    """Materialize ``revision`` into the live copy and mark it published."""
    now = timezone.now()
    previous = Condition.objects.filter(source=condition).values("slug", "first_published_at")
    previous = previous.first() or {}
    first_published_at = previous.get("first_published_at") or condition.first_published_at or now
    if condition.translation_of_id:
        # The reviewer who publishes a translation signs it off against the
        # English article as readers see it now.
        _bring_up_to_date(condition)
    live = live_copy.put(
        condition,
        revision,
        status=Status.PUBLISHED,
        live_revision=revision,
        latest_revision=revision,
        has_unpublished_changes=False,
        published_at=now,
        first_published_at=first_published_at,
    )
    Condition.objects.filter(pk=condition.pk).update(
        status=Status.PUBLISHED
        if condition.latest_revision_id == revision.pk
        else condition.status,
        live_revision=revision,
        published_at=now,
        first_published_at=first_published_at,
        has_unpublished_changes=condition.latest_revision_id != revision.pk,
        translated_from=condition.translated_from_id,
        source_updated_at=condition.source_updated_at,
    )
    condition.refresh_from_db()
    old_slug = previous.get("slug")
    if old_slug and old_slug != live.slug:
        # Links and bookmarks to the old address keep working.
        SlugRedirect.objects.update_or_create(
            language=condition.language, old_slug=old_slug, defaults={"condition": condition}
        )
    SlugRedirect.objects.filter(language=condition.language, old_slug=live.slug).delete()
    return live


@transaction.atomic
def unpublish(*, condition, user=None, comment="Unpublished"):
    _require(user, PUBLISH_PERMISSION)
    condition = _locked(condition)
    before = condition.status
    _take_down(condition)
    condition.status = Status.DRAFT
    condition.save()
    return record_revision(condition=condition, user=user, comment=comment, status_before=before)


@transaction.atomic
def archive(*, condition, user=None, replaced_by=None, comment=""):
    """Take an article down for good. Its address answers 410 Gone, or
    redirects to ``replaced_by``."""
    _require(user, PUBLISH_PERMISSION)
    condition = _locked(condition)
    if replaced_by is not None and replaced_by.pk == condition.pk:
        raise WorkflowError("An article cannot be replaced by itself.")
    before = condition.status
    _take_down(condition)
    condition.status = Status.ARCHIVED
    condition.replaced_by = replaced_by
    condition.save()
    return record_revision(
        condition=condition, user=user, comment=comment or "Archived", status_before=before
    )


@transaction.atomic
def record_review(*, condition, user=None, note="", reviewed_on=None, revision=None):
    """Record that a reviewer checked the published article and found it
    current, without changing its text: new review dates, live at once.
    ``revision`` is the live revision the reviewer read."""
    _require(user, REVIEW_PERMISSION)
    condition = _locked(condition)
    if condition.live_revision_id is None:
        raise WorkflowError("Only a published article can have a review recorded.")
    _check_reviewed(condition, revision, current=condition.live_revision_id)
    today = reviewed_on or timezone.localdate()
    fields = {
        "last_reviewed": today,
        "reviewer_name": _reviewer_name(user) or condition.reviewer_name,
        "next_review_due": today + datetime.timedelta(days=settings.REVIEW_INTERVAL_DAYS),
    }
    if note:
        reviewer = fields["reviewer_name"]
        if condition.reviewer_credentials:
            reviewer = f"{reviewer}, {condition.reviewer_credentials}"
        fields["update_notes"] = [
            {"date": today.isoformat(), "note": note, "reviewer": reviewer}
        ] + list(condition.update_notes)
    for name, value in fields.items():
        setattr(condition, name, value)
    condition.save()
    live_copy.update(condition, **fields)
    return record_revision(
        condition=condition,
        user=user,
        comment=f"Review recorded: {note}" if note else "Review recorded",
        update_note=note,
        same_text=True,
    )
