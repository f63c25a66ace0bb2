"""Counts about editions that name nobody (newsletter.stats): clicks per
link, and unsubscribes, bounces and complaints per edition."""

from django.db import models
from django.utils.translation import gettext_lazy

from newsletter.models.editions import Edition


class LinkClick(models.Model):
    """How many times a link in an edition's email was followed. No
    subscriber, address, IP or time of a single click is kept."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="link_clicks")
    url = models.URLField(max_length=2000)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("clicks on a link")
        verbose_name_plural = gettext_lazy("clicks on links")
        ordering = ["-clicks", "url"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "url"], name="newsletter_linkclick_unique")
        ]

    def __str__(self):
        return f"{self.url}: {self.clicks}"


class EditionCounts(models.Model):
    """An edition's unsubscribes, bounces and complaints: each counted
    against the last edition sent to the person when it happened."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="counts")
    unsubscribes = models.PositiveIntegerField(default=0)
    bounces = models.PositiveIntegerField(default=0)
    complaints = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("edition counts")
        verbose_name_plural = gettext_lazy("edition counts")

    def __str__(self):
        return str(self.edition)
