"""The newsletter, its editions and their research summaries."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
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
RESERVED_SLUGS = frozenset(
    {"feed", "confirm", "unsubscribe", "subscribe", "preview", "preferences", "click"}
)


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

    class Kind(models.TextChoices):
        # Sent to subscribers who want every edition.
        EDITION = "edition", gettext_lazy("Edition")
        # Sent to everyone, whichever frequency they chose.
        DIGEST = "digest", gettext_lazy("Monthly digest")

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
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.EDITION,
        help_text=gettext_lazy(
            "A monthly digest goes to every subscriber; an edition only to those who "
            "want every edition."
        ),
    )
    intro = models.TextField(
        blank=True,
        validators=[validate_body_length],
        help_text="A few words before the summaries (Markdown).",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True, editable=False
    )
    # What a digest reports on (newsletter.digests): articles published or
    # updated in its period; their topics are the edition's too.
    articles = models.ManyToManyField(
        "conditions.Condition",
        blank=True,
        related_name="newsletter_editions",
        limit_choices_to={"is_live": False},
        verbose_name=gettext_lazy("articles reported on"),
        help_text=gettext_lazy("Articles this edition reports as new or updated."),
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
