"""Domain operations on articles: every write the admin, the commands and the
tests make goes through these functions, each one transaction.

Workflow: draft → in review → published → archived. Readers only ever see
the live copy, which only ``publish`` (directly or through a schedule)
writes, from a saved revision.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from conditions.models import (
    CHANGES_REQUESTED,
    PUBLISH_PERMISSION,
    REVIEW_PERMISSION,
    Byline,
    Condition,
    Feedback,
    Revision,
    SlugRedirect,
)
from conditions.pages import translations
from conditions.pages.privacy import MAX_COMMENT_CHARS, mask_personal_data
from conditions.publishing import live as live_copy
from conditions.publishing import snapshots
from conditions.review import content_checks as checks
from conditions.review import notifications, readability

Status = Condition.Status


class WorkflowError(Exception):
    """An operation that the article's state does not allow; the message is
    meant for the person who asked."""


class StaleRevision(WorkflowError):
    """The article changed after the reviewer opened the page: what they
    read is not what would go live."""

    def __init__(self, message, *, reviewed_id, current_id):
        super().__init__(message)
        self.reviewed_id, self.current_id = reviewed_id, current_id


class GateClosed(WorkflowError):
    """Content checks stop the publication: a blocking problem, or a warning
    the reviewer has not acknowledged."""

    def __init__(self, message, *, problems):
        super().__init__(message)
        self.problems = problems


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


def missing_translations(condition):
    """The languages an English working copy has no translation in yet."""
    if condition.is_live or condition.is_translation or condition.status == Status.ARCHIVED:
        return []
    have = set(condition.translations.filter(is_live=False).values_list("language", flat=True))
    return [code for code in translations.translation_languages() if code not in have]


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
    return stored == snapshots.as_stored(snapshots.take(condition))


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


@transaction.atomic
def unpublish(*, condition, user=None, comment="Unpublished"):
    _require(user, PUBLISH_PERMISSION)
    condition = _locked(condition)
    before = condition.status
    _take_down(condition)
    condition.status = Status.DRAFT
    condition.save()
    return record_revision(condition=condition, user=user, comment=comment, status_before=before)


def _take_down(condition):
    live_copy.remove(condition)
    condition.live_revision = None
    condition.revisions.filter(approved_go_live_at__isnull=False).update(approved_go_live_at=None)


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


@transaction.atomic
def purge_revisions(*, keep=10, older_than_days=365, now=None):
    """Delete old revisions, except the live one, scheduled ones, each
    article's newest ``keep``, and any newer than ``older_than_days``.
    Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=older_than_days)
    protected = set(
        Condition.objects.exclude(live_revision=None).values_list("live_revision_id", flat=True)
    )
    protected |= set(
        Condition.objects.exclude(latest_revision=None).values_list("latest_revision_id", flat=True)
    )
    protected |= set(
        Revision.objects.exclude(approved_go_live_at=None).values_list("pk", flat=True)
    )
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


# Translations


def _bring_up_to_date(translation):
    source_live = (
        Condition.objects.filter(pk=translation.translation_of_id)
        .values_list("live_revision_id", flat=True)
        .first()
    )
    if source_live is not None:
        translation.translated_from_id = source_live
    translation.source_updated_at = None


@transaction.atomic
def create_translation(*, source, language, user=None, data=None, comment=""):
    """Start the ``language`` translation of the English article ``source``:
    a draft of its own, made from the source's published text (or its
    latest, if it was never published), or from ``data`` (an imported
    translation) when given. It records which source revision it was made
    from. The medical codes stay with the source (lookups find the
    translation through it); related articles are chosen per language."""
    source = _locked(source)
    if source.is_live or source.translation_of_id or source.is_translation:
        raise WorkflowError("Only an English article can be translated.")
    if language not in translations.translation_languages():
        raise WorkflowError(f"The library is not translated into “{language}”.")
    if source.translations.filter(language=language, is_live=False).exists():
        raise WorkflowError(
            f"“{source.title}” already has a {translations.language_name(language)} translation."
        )
    made_from = source.live_revision or source.latest_revision
    if made_from is None:
        raise WorkflowError("Save the English article before translating it.")
    content = dict(data if data is not None else made_from.snapshot)
    content.update(codes=[], related=[])
    for name in snapshots.KEPT_ON_RESTORE:
        content.pop(name, None)  # the translation's own review starts empty
    translation = Condition(
        language=language,
        translation_of=source,
        translated_from=made_from,
        audience=source.audience,
        status=Status.DRAFT,
    )
    if Condition.objects.editable(language).filter(slug=content.get("slug")).exists():
        content["slug"] = f"{content['slug']}-{source.pk}"
    snapshots.materialize(content, translation)
    record_revision(
        condition=translation,
        user=user,
        comment=comment
        or f"Translation started from the English article’s revision of "
        f"{timezone.localtime(made_from.created_at):%Y-%m-%d %H:%M}",
        status_before="",
    )
    return translation


@transaction.atomic
def record_source_change_unaffecting(*, translation, user=None, comment=""):
    """A reviewer read the English changes since the translation was made
    and found that they do not affect it: the translation is current with
    the English article as it is live now, and readers' notice goes."""
    _require(user, REVIEW_PERMISSION)
    translation = _locked(translation)
    if translation.source_updated_at is None:
        raise WorkflowError("The English article has not changed since this translation.")
    _bring_up_to_date(translation)
    translation.save(update_fields=["translated_from", "source_updated_at", "updated_at"])
    if translation.live_revision_id is not None:
        live_copy.update(
            translation,
            translated_from=translation.translated_from,
            source_updated_at=None,
        )
    note = "Recorded that the English article’s changes do not affect this translation"
    return record_revision(
        condition=translation,
        user=user,
        comment=f"{note}: {comment}" if comment else note,
        same_text=True,
    )


# Readers' feedback ("Was this page helpful?")


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
