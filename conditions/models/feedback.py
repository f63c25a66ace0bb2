"""Readers' feedback: answers to "Was this page helpful?"."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conditions.models.articles import Condition
from conditions.models.history import Revision


class Feedback(models.Model):
    """A reader's answer to "Was this page helpful?" on an article.

    Anonymous: no address, no account, no IP. The comment is stored with
    any email address or phone number in it masked (``services``)."""

    condition = models.ForeignKey(
        Condition,
        on_delete=models.CASCADE,
        verbose_name=_("article"),
        related_name="feedback",
        limit_choices_to={"is_live": False},
        help_text="The working copy, so feedback outlives unpublishing.",
    )
    # The revision the reader was shown: feedback on an older version reads
    # differently once the article has changed.
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("readers' feedback")
        indexes = [models.Index(fields=["condition", "-created_at"])]

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.condition}"

    @property
    def is_handled(self):
        return self.handled_at is not None
