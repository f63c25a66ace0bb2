"""The newsletter: editions of research summaries, their subscribers, and
one delivery row per edition and subscriber.

A ``Delivery`` is created before its message is handed to the SMTP server
and the pair (edition, subscriber) is unique, which is what lets
``services.send_edition`` be re-run after new sign-ups or a crash without
sending anybody the same edition twice (see the docstring there).
"""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.managers import TaggableManager

from healthlib.lib.markdown import (
    invalid_article_links,
    render_markdown,
    strip_html,
    validate_body_length,
)

# Up to the first full stop, question or exclamation mark followed by a space.
_FIRST_SENTENCE = re.compile(r".+?[.!?](?=\s|$)")

# Addresses under /newsletter/ that are not editions.
RESERVED_SLUGS = frozenset({"feed", "confirm", "unsubscribe", "subscribe", "preview"})


def validate_edition_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            "“%(slug)s” is used by another page under /newsletter/; choose another slug.",
            params={"slug": value},
            code="reserved",
        )


def new_secret():
    return secrets.token_urlsafe(16)


class NewsletterQuerySet(models.QuerySet):
    def current(self):
        """The newsletter readers sign up to on this site (the first one)."""
        return self.order_by("pk").first()


class Newsletter(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(
        blank=True, help_text="What subscribers get, shown above the sign-up form (Markdown)."
    )
    from_email = models.EmailField(
        blank=True, help_text="Sender address of editions. Leave blank for the site's default."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("newsletter")
        verbose_name_plural = gettext_lazy("newsletters")
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @property
    def description_html(self):
        return render_markdown(self.description)

    @property
    def sender(self):
        return self.from_email or settings.DEFAULT_FROM_EMAIL


class EditionQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=Edition.Status.SENT)

    def archive(self, language=settings.LANGUAGE_CODE):
        """Sent editions in ``language``, newest first."""
        return self.sent().filter(language=language).order_by("-issue_date", "-pk")

    def sources(self):
        """Editions in the source language: the ones that are sent to subscribers."""
        return self.filter(language=settings.LANGUAGE_CODE)


class Edition(models.Model):
    """An issue of the newsletter, in one language.

    An edition is written in English (the source language) and may have a
    version per other language in ``settings.LANGUAGES``: an ``Edition`` of
    its own (``language="es"``) with its own title, intro and research
    summaries, whose ``translation_of`` points at the English edition
    (``english.translations``). A version's summaries are its own rows: the
    headline and summary are translated; the source citation (journal, date,
    DOI, address) is copied from the English summary, not translated.

    Only the English edition is sent: each subscriber gets the version in
    their language when there is one, else the English one, and the one
    delivery row per (English edition, subscriber) stays the truth, whatever
    the version. A version is a draft until its English edition is sent
    (``editions.mark_sent`` puts both in the archive) or, for a version
    written afterwards, until an editor publishes it
    (``editions.publish_translation``); nobody is emailed for that.

    A slug is unique per language, so a version may keep the English one:
    /newsletter/march-2015/ and /es/newsletter/march-2015/.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="editions")
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        validators=[validate_edition_slug],
        help_text="The last part of the edition’s address, as in /newsletter/march-2015/. "
        "Unique per language.",
    )
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_index=True,
        editable=False,
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translations",
        editable=False,
        help_text="The English edition this is a version of.",
    )
    issue_date = models.DateField(default=timezone.localdate)
    intro = models.TextField(
        blank=True,
        validators=[validate_body_length],
        help_text="A few words before the summaries (Markdown).",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True, editable=False
    )
    sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When sending first started."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("edition")
        verbose_name_plural = gettext_lazy("editions")
        ordering = ["-issue_date", "-pk"]
        permissions = [("send_edition", "Can send editions to subscribers")]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "language"], name="newsletter_edition_unique_slug_language"
            ),
            # One version per language of an English edition.
            models.UniqueConstraint(
                fields=["translation_of", "language"], name="newsletter_edition_one_translation"
            ),
            models.CheckConstraint(
                condition=models.Q(translation_of__isnull=True, language=settings.LANGUAGE_CODE)
                | (
                    models.Q(translation_of__isnull=False)
                    & ~models.Q(language=settings.LANGUAGE_CODE)
                ),
                name="newsletter_edition_translation_language",
            ),
        ]

    def __str__(self):
        if self.language != settings.LANGUAGE_CODE:
            return f"{self.title} ({self.language})"
        return self.title

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse("newsletter:edition", args=[self.slug])

    def clean(self):
        _check_article_links(self, "intro")

    def validate_unique(self, exclude=None):
        # The slug's uniqueness is per language, a field the form does not
        # show: check it here so that the form says so, not the database.
        super().validate_unique(exclude)
        if exclude and "slug" in exclude:
            return
        clash = Edition.objects.filter(slug=self.slug, language=self.language).exclude(pk=self.pk)
        if self.slug and clash.exists():
            raise ValidationError(
                {"slug": "Another edition in this language already has this slug."}
            )

    @property
    def source(self):
        """The English edition: this one, or the one it is a version of."""
        return self.translation_of if self.translation_of_id else self

    @property
    def is_translation(self):
        return self.translation_of_id is not None

    @property
    def intro_html(self):
        return render_markdown(self.intro)

    @property
    def is_sent(self):
        return self.status == self.Status.SENT


class ResearchSummary(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="summaries")
    order = models.PositiveIntegerField(default=0)
    headline = models.CharField(max_length=300)
    body = models.TextField(
        blank=True,
        validators=[validate_body_length],
        help_text="Markdown. Link to an article with [text](article:slug).",
    )
    body_html = models.TextField(blank=True, editable=False)
    journal = models.CharField(max_length=200, blank=True)
    source_date = models.DateField(null=True, blank=True, help_text="When the study was published.")
    doi = models.CharField(max_length=200, blank=True, verbose_name="DOI", help_text="10.xxxx/…")
    url = models.URLField(blank=True, verbose_name="URL", help_text="The study or its abstract.")
    related_articles = models.ManyToManyField(
        "conditions.Condition",
        blank=True,
        related_name="research_summaries",
        limit_choices_to={"is_live": False},
        help_text="Articles this summary is about; shown once they are published.",
    )
    tags = TaggableManager(
        verbose_name=gettext_lazy("topics"),
        blank=True,
        help_text=gettext_lazy("Topics, comma separated."),
    )

    class Meta:
        verbose_name = gettext_lazy("research summary")
        verbose_name_plural = gettext_lazy("research summaries")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.edition.get_absolute_url()}#{self.anchor}"

    def clean(self):
        if self.doi.lower().startswith(("http://", "https://", "doi:")):
            raise ValidationError({"doi": "Enter the DOI itself, such as 10.1056/NEJMoa1414850."})
        _check_article_links(self, "body")

    @property
    def anchor(self):
        return f"summary-{self.pk}"

    @property
    def teaser(self):
        """One line for cards and search results: the first sentence of the
        summary, or where and when the study appeared."""
        # The tags are stripped before the text is unescaped: the "<" an
        # editor typed read as tags too (and fifty of them were Django's
        # SuspiciousOperation, a 500 on every page showing the summary).
        text = " ".join(strip_html(self.body_html).split())
        if text:
            match = _FIRST_SENTENCE.match(text)
            sentence = match.group(0) if match else text
            return Truncator(sentence).chars(240)
        source = ", ".join(
            part
            for part in (self.journal, self.source_date and date_format(self.source_date, "F Y"))
            if part
        )
        if source:
            return _("Published in %(source)s.") % {"source": source}
        return _("From the %(edition)s newsletter.") % {"edition": self.edition.title}

    @property
    def source_link(self):
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url


class Subscriber(models.Model):
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


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"  # created, not yet handed to the SMTP server
        SENDING = "sending", "Sending"  # handed to the server, answer not recorded yet
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"  # refused or not reached; retried by the next run

    # Sending writes each delivery three times (pending, sending, sent), so
    # its indexes are few: an edition's deliveries are found through the
    # unique (edition, subscriber) index, and status has none. Updates that
    # touch no indexed column stay in their page (PostgreSQL's HOT updates,
    # with room left by the table's fillfactor, migration 0006): a fraction
    # of the writes, and of the log each commit waits to flush.
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    # Kept (anonymous) when a subscriber is forgotten, so counts stay right.
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("email to a subscriber")
        verbose_name_plural = gettext_lazy("emails to subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="newsletter_delivery_unique"
            )
        ]

    def __str__(self):
        return f"{self.edition} → {self.subscriber or 'forgotten subscriber'}"


class Sending(models.Model):
    """One press of Send: the edition's subscribers split into batches,
    each a task. Progress is read from the deliveries (the truth); this row
    says when sending was asked for, started and finished, and why it
    could not start, if it could not."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sendings")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)  # subscribers due when it started
    batch_size = models.PositiveIntegerField(default=500)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = gettext_lazy("sending of an edition")
        verbose_name_plural = gettext_lazy("sendings of editions")
        ordering = ["-pk"]

    def __str__(self):
        return f"Sending of {self.edition} ({self.requested_at:%Y-%m-%d %H:%M})"

    @property
    def is_running(self):
        return self.finished_at is None and not self.error


class SendBatch(models.Model):
    """Subscribers ``first_subscriber_id``…``last_subscriber_id`` of a sending.

    A worker takes a batch by a compare-and-set on ``status`` and beats
    ``heartbeat_at`` as it goes; a batch whose heartbeat stopped (its
    worker was killed) is taken over by another. Deliveries are claimed one
    by one as before, so a takeover never sends anything twice. A batch
    that could not be sent in NEWSLETTER_BATCH_ATTEMPTS runs (the mail
    server unreachable or refusing everything) is *failed*, with ``error``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"  # gave up after its attempts; Send again resumes

    sending = models.ForeignKey(Sending, on_delete=models.CASCADE, related_name="batches")
    first_subscriber_id = models.BigIntegerField()
    last_subscriber_id = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)  # how many times a worker took it
    retry_failed = models.BooleanField(default=False)  # a later pass over temporary failures
    error = models.TextField(blank=True)  # why its last run could not send it

    class Meta:
        verbose_name = gettext_lazy("batch of emails")
        verbose_name_plural = gettext_lazy("batches of emails")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.sending}: {self.first_subscriber_id}–{self.last_subscriber_id}"


def _check_article_links(obj, field):
    """Refuse ``[text](article:…)`` links whose target is not a slug.

    Rendering copes with them anyway (the words without a link), since
    bodies saved before this check, or loaded from a file, may hold some.
    """
    invalid = invalid_article_links(getattr(obj, field))
    if invalid:
        links = ", ".join(invalid)
        raise ValidationError(
            {
                field: f"These article links are not valid addresses: {links}. Write"
                " [text](article:slug) with the slug from the article's address,"
                " such as article:essential-tremor."
            }
        )
