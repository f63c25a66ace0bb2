"""Partners: the sites and systems that reuse the library through the API.

* ``Partner``: who they are and whom to write to;
* ``ApiKey``: a partner's keys, stored as a hash (the key is shown once);
* ``PartnerUsage``: requests per partner per day, nothing about readers;
* ``ChangeEntry``: the change feed's log, one row per live change of an
  article or shared record (``conditions.partners.feed``);
* ``WebhookEndpoint`` and ``WebhookDelivery``: where a partner wants
  changes sent, and every delivery tried (``conditions.partners.webhooks``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The kinds of thing the change feed and webhooks speak of.
CONDITION, DRUG, ORGANIZATION, TOPIC = "condition", "drug", "organization", "topic"
KINDS = (CONDITION, DRUG, ORGANIZATION, TOPIC)
KIND_CHOICES = [
    (CONDITION, _("article")),
    (DRUG, _("drug")),
    (ORGANIZATION, _("organization")),
    (TOPIC, _("topic")),
]
# What happened to it.
CREATED, UPDATED, UNPUBLISHED, DELETED = "created", "updated", "unpublished", "deleted"
ACTION_CHOICES = [
    (CREATED, _("created")),
    (UPDATED, _("updated")),
    (UNPUBLISHED, _("unpublished")),
    (DELETED, _("deleted")),
]


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    contact_email = models.EmailField(
        _("contact email"), help_text=_("Told when a webhook is switched off after failures.")
    )
    requests_per_hour = models.PositiveIntegerField(
        _("requests per hour"),
        null=True,
        blank=True,
        help_text=_("Empty: the site's limit for partners (API_PARTNER_REQUESTS_PER_HOUR)."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApiKey(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="keys", verbose_name=_("partner")
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    # The key's first characters, to find its row and to recognise it.
    prefix = models.CharField(_("prefix"), max_length=20, unique=True, editable=False)
    hashed = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_on = models.DateField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}…"


class PartnerUsage(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "day"], name="partnerusage_one_per_day")
        ]

    def __str__(self):
        return f"{self.partner_id} {self.day}: {self.requests}"


class ChangeFeedLock(models.Model):
    """One row, locked by every writer of the change feed, so entries are
    numbered in the order their transactions commit (a reader never sees
    a later number before an earlier one)."""

    def __str__(self):
        return "change feed lock"


class ChangeEntry(models.Model):
    seq = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    # An article's working copy (stable across publications), or the record's id.
    object_id = models.BigIntegerField()
    language = models.CharField(max_length=10, blank=True)
    slug = models.CharField(max_length=200, blank=True)
    old_slug = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=ACTION_CHOICES)
    changed_at = models.DateTimeField(db_index=True)
    # A later entry speaks of the same thing: the feed shows only the latest.
    superseded = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["superseded", "seq"], name="changeentry_current"),
            models.Index(fields=["kind", "object_id"], name="changeentry_object"),
        ]

    def __str__(self):
        return f"{self.seq} {self.kind} {self.object_id} {self.action}"


class WebhookEndpoint(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("partner")
    )
    url = models.URLField(_("URL"), max_length=500)
    kinds = models.JSONField(
        _("kinds of change"), default=list, help_text=_("Articles, drugs, organizations, topics.")
    )
    # Standard Webhooks: "whsec_" and the base64 of the signing key.
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(
        _("failed deliveries in a row"), default=0, editable=False
    )
    disabled_at = models.DateTimeField(_("switched off"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
    STATUS_CHOICES = [
        (PENDING, _("pending")),
        (DELIVERED, _("delivered")),
        (FAILED, _("failed")),
    ]

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # Standard Webhooks' webhook-id: the same on every attempt.
    message_id = models.CharField(_("message id"), max_length=64, unique=True)
    event_type = models.CharField(_("type"), max_length=50)
    payload = models.TextField(_("payload"))
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.message_id
