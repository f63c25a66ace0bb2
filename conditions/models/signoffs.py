"""Outside specialists' sign-offs: a clinician without an account reads an
article by a signed link and approves it or asks for changes.

``SignoffInvitation`` is one specialist asked about one article (the link
they were emailed is signed, expires, and can be withdrawn); ``Signoff`` is
one decision, recorded against the exact revision the specialist read;
``SignoffAccess`` is the audit log of every use of a link, refused ones
included, as django-axes keeps one of sign-ins.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conditions.models.articles import Condition
from conditions.models.history import Revision


class SignoffInvitation(models.Model):
    """An outside specialist asked to sign off an article, by link."""

    condition = models.ForeignKey(
        Condition,
        on_delete=models.CASCADE,
        verbose_name=_("article"),
        related_name="signoff_invitations",
        limit_choices_to={"is_live": False},
    )
    name = models.CharField(_("name"), max_length=200)
    credentials = models.CharField(_("credentials"), max_length=100, blank=True)
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    # The revision the specialist was asked about (the latest when invited).
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    # SHA-256 of the random key in the link: the link itself is never stored.
    key_hash = models.CharField(max_length=64)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when a revision this specialist approved went live: the link's work is done.
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        verbose_name = _("sign-off invitation")
        verbose_name_plural = _("sign-off invitations")

    def __str__(self):
        return f"{self.signer} on {self.condition}"

    @property
    def signer(self):
        """ "Dr A. Neurologist, MD": the name with the credentials."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def is_open(self):
        return self.revoked_at is None and self.completed_at is None


class Signoff(models.Model):
    """One decision of an outside specialist, on one exact revision."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    invitation = models.ForeignKey(
        SignoffInvitation, on_delete=models.CASCADE, related_name="decisions"
    )
    # RESTRICT: purging old revisions keeps those with a decision; deleting
    # the whole article takes both.
    revision = models.ForeignKey(Revision, on_delete=models.RESTRICT, related_name="signoffs")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    # Who, as they were invited (an invitation's name never changes afterwards).
    name = models.CharField(max_length=200)
    credentials = models.CharField(max_length=100, blank=True)
    decided_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # The revision that put this approval live (the reviewer's publication).
    published_in = models.ForeignKey(
        Revision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_signoffs",
    )

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        constraints = [
            # Single use per decision: one decision per link and revision.
            models.UniqueConstraint(
                fields=["invitation", "revision"], name="one_signoff_per_invitation_revision"
            )
        ]

    def __str__(self):
        return f"{self.get_decision_display()} by {self.signer}"

    @property
    def signer(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def decided_on(self):
        """The day of the decision, in the site's time zone."""
        return timezone.localdate(self.decided_at)

    @property
    def approved(self):
        return self.decision == self.Decision.APPROVED


class SignoffAccess(models.Model):
    """The audit log of sign-off links: every opening, decision and refusal."""

    class Outcome(models.TextChoices):
        OPENED = "opened", _("opened")
        DECIDED = "decided", _("decision recorded")
        FORGED = "forged", _("refused: not a valid link")
        EXPIRED = "expired", _("refused: expired")
        REVOKED = "revoked", _("refused: withdrawn")
        COMPLETED = "completed", _("refused: review complete")
        REUSED = "reused", _("refused: already decided")
        STALE = "stale", _("refused: the article changed")
        THROTTLED = "throttled", _("refused: too many attempts")

    invitation = models.ForeignKey(
        SignoffInvitation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accesses",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("use of a sign-off link")
        verbose_name_plural = _("uses of sign-off links")

    def __str__(self):
        return f"{self.get_outcome_display()} at {self.at:%Y-%m-%d %H:%M}"
