"""The article: ``Condition``, its two copies, and who may publish it.

An article exists as up to two rows:

* the *working copy* (``is_live=False``) that editors change in the admin,
  with its parts (``conditions.models.article_parts``);
* the *live copy* (``is_live=True``) that readers are served. It is written
  only by publishing, which materializes a saved ``Revision`` snapshot into
  it (see ``conditions.services``), so readers never see an unreviewed edit.

Every save of the working copy stores a ``Revision``
(``conditions.models.history``): one JSON snapshot of the whole article.

Both copies are rows of this one table, so every query of
``Condition.objects`` says which copy it means: ``editable()``, ``live()``,
a filter on ``is_live``, a lookup that can only find one copy (``pk=`` of
a row already in hand; ``source=``, which only live copies have), or, on
purpose, ``both()``. ``tests/test_copy_choice.py`` reads the
project's code and fails on a query that does not.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

PUBLISH_PERMISSION = "conditions.publish_condition"
REVIEW_PERMISSION = "conditions.review_condition"


def review_overdue_q(today=None):
    """The one definition of "overdue for review": due before today. The
    admin's filter, the review report and the dashboard all use it."""
    return Q(next_review_due__lt=today or timezone.localdate())


def review_due_within_q(days, today=None):
    """Due today or within ``days`` days: not overdue yet, but soon."""
    today = today or timezone.localdate()
    return Q(next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=days))


def _in_language(queryset, language):
    return queryset if language is None else queryset.filter(language=language)


class ConditionQuerySet(models.QuerySet):
    # Both default to the source language, so lists and lookups that do not
    # ask for a language never mix translations into English pages; pass
    # ``language="es"`` for one translation language, ``None`` for all.
    def editable(self, language=settings.LANGUAGE_CODE):
        return _in_language(self.filter(is_live=False), language)

    def live(self, language=settings.LANGUAGE_CODE):
        return _in_language(self.filter(is_live=True), language)

    def both(self):
        """Working and live copies together, on purpose: for the rare
        question about rows rather than articles (which revisions any copy
        still points at, which rows a change touches). Spelled out so that
        a reader, and the test that reads the code, can tell it from a
        query that forgot to choose."""
        return self.all()

    def translations(self):
        return self.exclude(language=settings.LANGUAGE_CODE)

    def source_updated(self):
        """Translations whose source went live again since they were made."""
        return self.filter(source_updated_at__isnull=False)

    def review_overdue(self, today=None):
        return self.filter(review_overdue_q(today))

    def review_due_within(self, days, today=None):
        return self.filter(review_due_within_q(days, today))


class Condition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Audience(models.TextChoices):
        PATIENT = "patient", "Patients and families"
        CAREGIVER = "caregiver", "Caregivers"
        CLINICIAN = "clinician", "Clinicians"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        help_text="The last part of the article’s address, as in /conditions/myoclonus/.",
    )
    alternate_names = models.TextField(
        blank=True,
        help_text="Other names readers search for, one per line (shown as “Also called”).",
    )
    summary = models.TextField(
        blank=True, help_text="One or two plain sentences, used in listings and search results."
    )
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.PATIENT)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    tags = TaggableManager(
        verbose_name=_("topics"),
        blank=True,
        help_text=_("Body systems and other topics, comma separated."),
    )
    related = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        limit_choices_to={"is_live": False},
        verbose_name=_("related articles"),
        help_text="Articles readers of this one may want next.",
    )

    last_reviewed = models.DateField(null=True, blank=True)
    reviewer_name = models.CharField(max_length=200, blank=True)
    reviewer_credentials = models.CharField(
        max_length=100, blank=True, help_text="For example: MD, MPH"
    )
    next_review_due = models.DateField(null=True, blank=True, db_index=True)

    # Languages. English articles are sources; a translation is its own
    # article (working copy, live copy, revisions, review) in another
    # language, pointing at its source's working copy.
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        editable=False,
        db_index=True,
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="translations",
        help_text="On a translation (both copies): the source article's working copy.",
    )
    # The source revision this translation was made from (or last brought
    # up to date with), and since when the source's live copy differs from
    # it: shown to editors ("source updated") and readers (a notice) until
    # a reviewer publishes an updated translation or records that the
    # change does not affect it.
    translated_from = models.ForeignKey(
        "Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # On a live copy: {language: address} of this article in each language
    # it is live in (itself included), kept by ``conditions.publishing.live`` for the
    # language switcher and hreflang without a query per page view.
    language_versions = models.JSONField(default=dict, blank=True, editable=False)

    # Workflow bookkeeping.
    is_live = models.BooleanField(default=False, editable=False)
    source = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="live_copy",
        help_text="On a live copy: the working copy it was published from.",
    )
    live_revision = models.ForeignKey(
        "Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latest_revision = models.ForeignKey(
        "Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    has_unpublished_changes = models.BooleanField(default=True, editable=False)
    # The revision in which a reviewer sent the article back to its author,
    # until it is submitted for review again (or published): the
    # dashboard's "Changes requested" list, and the reviewer's comment at
    # the top of the change page.
    changes_requested_in = models.ForeignKey(
        "Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_live": False},
        help_text="When archived: the article readers are sent to instead.",
    )
    # Public "Revision information": the reviewers' update notes, newest
    # first, copied here at publish time so the page needs no extra query.
    update_notes = models.JSONField(default=list, blank=True, editable=False)
    # The content checks of the latest revision (conditions.review.content_checks), stored
    # at every save so lists such as the dashboard need no re-check.
    check_problems = models.JSONField(default=list, blank=True, editable=False)
    # The whole article's Flesch–Kincaid grade in the latest revision
    # (conditions.review.readability), copied here so the article list can sort and
    # filter on it.
    reading_grade = models.FloatField(null=True, blank=True, editable=False, db_index=True)
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The live copy's page, rendered when it went live (conditions.publishing.rendering)
    # so that a read is one row and a thin template. Empty on working copies.
    rendered_head = models.TextField(blank=True, editable=False)
    rendered_body = models.TextField(blank=True, editable=False)
    # Which templates and settings made it; another value means "render again".
    rendered_version = models.CharField(max_length=64, blank=True, editable=False)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        # The class keeps its first name; editors and readers say "article".
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"],
                condition=Q(is_live=False),
                name="condition_unique_slug",
                violation_error_message="Another article already uses this slug.",
            ),
            models.UniqueConstraint(
                fields=["language", "slug"],
                condition=Q(is_live=True),
                name="condition_unique_live_slug",
            ),
            # One translation per language of each article (working copies).
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=Q(is_live=False),
                name="condition_one_translation_per_language",
            ),
            models.CheckConstraint(
                condition=Q(is_live=False, source__isnull=True)
                | Q(is_live=True, source__isnull=False),
                name="condition_live_copy_has_source",
            ),
        ]
        indexes = [models.Index(fields=["is_live", "title"])]
        permissions = [
            ("publish_condition", "Can publish, unpublish and archive articles"),
            ("review_condition", "Can record a medical review"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # In the article's language whatever the request's: /es/conditions/…
        # Listings load only a few fields; theirs is the page's language.
        with translation.override(self.__dict__.get("language") or translation.get_language()):
            return reverse("conditions:detail", args=[self.slug])

    def get_handout_url(self):
        """The printable handout (PDF) of the live article, in its language."""
        with translation.override(self.__dict__.get("language") or translation.get_language()):
            return reverse("conditions:handout", args=[self.slug])

    @property
    def is_translation(self):
        return self.language != settings.LANGUAGE_CODE

    @property
    def language_name(self):
        return dict(settings.LANGUAGES).get(self.language, self.language)

    def clean(self):
        # The partial unique constraint cannot be checked by the form, since
        # is_live is not a form field; check it here for a clear message.
        taken = Condition.objects.editable(self.language).filter(slug=self.slug).exclude(pk=self.pk)
        if not self.is_live and self.slug and taken.exists():
            raise ValidationError({"slug": "Another article already uses this slug."})

    @property
    def alternate_name_list(self):
        return [n.strip() for n in self.alternate_names.splitlines() if n.strip()]

    @property
    def is_review_overdue(self):
        return bool(self.next_review_due and self.next_review_due < timezone.localdate())

    @property
    def reviewer_display(self):
        if self.reviewer_credentials:
            return f"{self.reviewer_name}, {self.reviewer_credentials}"
        return self.reviewer_name
