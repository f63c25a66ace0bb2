"""The digest's schedule: when a draft digest edition assembles itself
(newsletter.digests)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from newsletter.models.editions import Newsletter


class DigestSchedule(models.Model):
    class Every(models.TextChoices):
        MONTH = "month", gettext_lazy("Every month")
        WEEK = "week", gettext_lazy("Every week")

    newsletter = models.OneToOneField(
        Newsletter, on_delete=models.CASCADE, related_name="digest_schedule"
    )
    enabled = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Draft a digest on schedule. Nothing is sent without an editor."),
    )
    every = models.CharField(max_length=10, choices=Every.choices, default=Every.MONTH)
    day = models.PositiveSmallIntegerField(
        default=1,
        help_text=gettext_lazy(
            "Every month: the day of the month (1–28). "
            "Every week: the weekday (1 Monday … 7 Sunday)."
        ),
    )
    # The period (2026-12, or 2026-W49) last drafted or found with nothing new.
    last_period = models.CharField(max_length=10, blank=True, editable=False)
    # The end of what the last digest covered: the next one starts there.
    covered_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("digest schedule")
        verbose_name_plural = gettext_lazy("digest schedules")

    def __str__(self):
        return f"{self.get_every_display()}, {self.day}"

    def clean(self):
        top = 28 if self.every == self.Every.MONTH else 7
        if not 1 <= (self.day or 0) <= top:
            raise ValidationError(
                {"day": gettext_lazy("Choose a day from 1 to %(top)s.") % {"top": top}}
            )
