"""The link checker's results: ``LinkCheck``, one row per address cited by
articles, and the categories a failed check is stored and shown as. The
checking itself is ``conditions.review.linkcheck``, which imports these.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The categories a failed check is stored and shown as (LinkCheck.error).
INTERNAL = "refused: internal address"
NOT_WEB = "refused: not a web address"
UNREACHABLE = "unreachable"
TIMEOUT = "timeout"
SERVER_ERROR = "server error"
TOO_MANY_REDIRECTS = "too many redirects"


def broken(status):
    return f"broken ({status})"


def category(status_code, error=""):
    """What a failed check is shown as: one of the categories above, from
    the status code when a server answered. Results stored before the
    categories held the server's own words; those are never shown."""
    if error in (INTERNAL, NOT_WEB, UNREACHABLE, TIMEOUT, SERVER_ERROR, TOO_MANY_REDIRECTS):
        return error
    if status_code is None:
        return UNREACHABLE
    if status_code >= 500:
        return SERVER_ERROR
    return broken(status_code)


class LinkCheck(models.Model):
    """The last check of one address cited by articles (conditions.review.linkcheck)."""

    url = models.CharField("URL", max_length=1000, unique=True)
    ok = models.BooleanField(null=True)  # None: never checked
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)  # consecutive failed checks

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["url"]

    def __str__(self):
        return self.url

    @property
    def problem(self):
        """What the dashboard and the publish gate show: a category
        ("broken (404)", "timeout"…), never the remote server's words."""
        return category(self.status_code, self.error)
