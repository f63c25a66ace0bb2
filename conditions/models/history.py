"""What changed and what is waiting: every save of an article as a
``Revision`` (its history, and what publishing makes live), changes to
shared records waiting for a medical reviewer (``PendingChange``), and the
addresses a published article used to have (``SlugRedirect``).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from conditions.models.articles import Condition
from conditions.models.records import Topic

# How a reviewer's "request changes" comment starts in the article's history.
CHANGES_REQUESTED = "Changes requested: "


class Revision(models.Model):
    """One save of an article: a JSON snapshot of it with all its parts."""

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, verbose_name=_("article"), related_name="revisions"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.CharField(max_length=500, blank=True)
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20, blank=True)
    snapshot = models.JSONField()
    # Publishing: the public note, and when an approved revision goes live.
    update_note = models.CharField(max_length=500, blank=True)
    approved_go_live_at = models.DateTimeField(null=True, blank=True, db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The content-check warnings the reviewer acknowledged when publishing
    # this revision: [{"key": …, "message": …}].
    acknowledged_warnings = models.JSONField(default=list, blank=True)
    # Reading levels of this revision's text (conditions.review.readability.for_snapshot),
    # kept beside the snapshot rather than in it so the export format stays as it is.
    readability = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["condition", "-created_at"])]

    def __str__(self):
        return f"{self.condition} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def requested_changes(self):
        """A "request changes" step's comment, without the prefix the
        history shows it with."""
        return self.comment.removeprefix(CHANGES_REQUESTED)


class PendingChange(models.Model):
    """A change to a shared record that readers see (a drug, an
    organization, a topic), made by someone who may not publish. The record
    keeps its published values until a medical reviewer approves the change
    (``conditions.review.shared_records``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # {field: new value}; the record itself holds the current values.
    changes = models.JSONField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_pending_change_per_record"
            ),
        ]
        verbose_name = _("change to a shared record, waiting for approval")
        verbose_name_plural = _("changes to shared records, waiting for approval")

    def __str__(self):
        return f"{capfirst(record_kind(self.content_type))} “{self.record}”"


def record_kind(content_type):
    """What editors call a shared record's kind: "drug", "organization",
    "topic" (taggit's tag, whose own name editors never see)."""
    if (content_type.app_label, content_type.model) == ("taggit", "tag"):
        return Topic._meta.verbose_name
    return content_type.name


class SlugRedirect(models.Model):
    """An address a published article used to have: /conditions/<old_slug>/
    sends readers to where the article lives now."""

    # Addresses are per language: /es/conditions/x/ is not /conditions/x/.
    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    old_slug = models.SlugField(max_length=200)
    condition = models.ForeignKey(
        Condition,
        on_delete=models.CASCADE,
        verbose_name=_("article"),
        related_name="slug_redirects",
        limit_choices_to={"is_live": False},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "old_slug"], name="slugredirect_unique_language_slug"
            )
        ]

    def __str__(self):
        with translation.override(self.language):
            return reverse("conditions:detail", args=[self.old_slug])
