"""The people who get the newsletter, with their consent and choices."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy

from newsletter.models.editions import Newsletter, new_secret


class Subscriber(models.Model):
    class Frequency(models.TextChoices):
        EVERY = "every", gettext_lazy("Every edition")
        MONTHLY = "monthly", gettext_lazy("A monthly digest only")

    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        # Suppressed: never sent to again (see suppressed_reason).
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained (marked as spam)"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(max_length=254)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # The language of their emails and of the pages their links open.
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of the emails they get.",
    )
    # Their choices (the preference page, newsletter.preferences). No topic
    # chosen: everything. See newsletter.audience for who gets an edition.
    topics = models.ManyToManyField(
        "taggit.Tag",
        blank=True,
        related_name="newsletter_subscribers",
        verbose_name=gettext_lazy("topics"),
        help_text=gettext_lazy("Editions about these topics only; none: every edition."),
    )
    frequency = models.CharField(
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.EVERY,
        verbose_name=gettext_lazy("how often"),
    )
    paused_until = models.DateField(
        null=True,
        blank=True,
        verbose_name=gettext_lazy("paused until"),
        help_text=gettext_lazy("Nothing is sent to them before this day."),
    )
    # Temporary refusals ("soft bounces") reported in a row; reset by a
    # delivery. NEWSLETTER_SOFT_BOUNCE_LIMIT of them suppress the address.
    soft_bounces = models.PositiveIntegerField(default=0, editable=False)
    # The provider's id of the message last counted, so that one message's
    # repeated "deferred" reports (the provider retrying) count once.
    soft_bounce_message_id = models.CharField(max_length=255, blank=True, editable=False)
    # Signs this subscriber's links; random, so a link cannot be derived
    # from the address, and never shown.
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    # The consent record: what they agreed to, when and from where.
    consent_text = models.TextField(editable=False)
    consent_at = models.DateTimeField(editable=False)
    consent_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Why sending stopped for a bounced or complaining address: the mail
    # server's answer or the provider's event, shown in the admin.
    suppressed_reason = models.TextField(blank=True, editable=False)
    suppressed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("subscriber")
        verbose_name_plural = gettext_lazy("subscribers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "newsletter", name="newsletter_subscriber_unique_email"
            )
        ]

    def __str__(self):
        return self.email
