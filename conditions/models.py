"""The health library's content model.

An article (``Condition``) exists as up to two rows:

* the *working copy* (``is_live=False``) that editors change in the admin,
  with its sections, drug groups, references, organizations and figures;
* the *live copy* (``is_live=True``) that readers are served. It is written
  only by publishing, which materializes a saved ``Revision`` snapshot into
  it (see ``conditions.services``), so readers never see an unreviewed edit.

Every save of the working copy stores a ``Revision``: one JSON snapshot of
the whole article.
"""

import datetime
import html
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from conditions import codes as code_formats
from conditions.images import make_renditions, srcset, stored_name, validate_figure_image
from conditions.pages.translations import display_name
from healthlib.lib.markdown import render_markdown, validate_body_length

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


def validate_names(value):
    """``names`` of a shared record: {language code: name} for the
    translation languages."""
    codes = {code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE}
    if not isinstance(value, dict):
        raise ValidationError('Write the names as {"es": "name in Spanish"}.')
    for code, name in value.items():
        if code not in codes:
            raise ValidationError(
                f"“{code}” is not a language of the library; use one of {', '.join(sorted(codes))}."
            )
        if not isinstance(name, str) or not name.strip() or len(name) > 300:
            raise ValidationError(f"The {code} name must be some text, at most 300 characters.")


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
    tags = TaggableManager(blank=True, help_text="Body systems and topics, comma separated.")
    related = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        limit_choices_to={"is_live": False},
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


class Section(models.Model):
    class Kind(models.TextChoices):
        # Shown first, whatever its order, as a callout readers cannot miss.
        URGENT_HELP = "urgent_help", _("When to get urgent help")
        DEFINITION = "definition", _("Definition")
        CAUSES = "causes", _("Causes")
        RISK_FACTORS = "risk_factors", _("Risk factors")
        SYMPTOMS = "symptoms", _("Symptoms")
        DIAGNOSIS = "diagnosis", _("Diagnosis")
        TREATMENT = "treatment", _("Treatment")
        PREVENTION = "prevention", _("Prevention")
        COMPLICATIONS = "complications", _("Complications")
        OUTLOOK = "outlook", _("Outlook")
        LIVING_WITH = "living_with", _("Living with")
        WHEN_TO_CALL = "when_to_call", _("When to contact a doctor")
        OTHER = "other", _("Other")

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    heading = models.CharField(
        max_length=200, blank=True, help_text="Leave blank to use the kind's name."
    )
    body = models.TextField(
        blank=True,
        validators=[validate_body_length],
        help_text="Markdown. Link to another article with [text](article:slug).",
    )
    body_html = models.TextField(blank=True, editable=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["condition", "order"])]

    def __str__(self):
        return str(self.display_heading)

    def save(self, *args, **kwargs):
        # Browsers send a textarea's line breaks as CRLF (HTML spec): stored
        # as LF, saving a form without editing it changes no text.
        self.body = (self.body or "").replace("\r\n", "\n")
        # Rendered once per change, never per request.
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    @property
    def display_heading(self):
        return self.heading or _KIND_LABELS.get(self.kind, self.kind)

    @property
    def anchor(self):
        return f"section-{self.order}-{self.kind.replace('_', '-')}"


_KIND_LABELS = dict(Section.Kind.choices)

rxnorm_validator = RegexValidator(r"^\d{1,10}$", "An RxNorm code (RxCUI) is 1 to 10 digits.")


class Drug(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    other_names = models.TextField(
        blank=True, help_text="Brand and other names, one per line; the importer matches them."
    )
    rxnorm_code = models.CharField(
        "RxNorm code", max_length=10, blank=True, validators=[rxnorm_validator]
    )
    # What readers see on the drug's page. Editors fill them from a source
    # they trust (the label, MedlinePlus); nothing is generated.
    description = models.TextField(
        blank=True, help_text="What the drug is, in one or two plain sentences."
    )
    usual_use = models.TextField(
        "How it is usually used",
        blank=True,
        help_text="For example “Taken by mouth, once or twice a day”. Plain sentences.",
    )
    side_effects = models.TextField(
        "Side effects to tell a doctor about",
        blank=True,
        help_text="Common side effects, one per line.",
    )
    names = models.JSONField(
        "Names in other languages",
        default=dict,
        blank=True,
        validators=[validate_names],
        help_text='The drug’s name where a language names it differently, as {"es": "…"}.',
    )
    label_url = models.URLField(
        "Official label",
        max_length=500,
        blank=True,
        help_text="The drug's official label, for example its DailyMed page.",
    )
    medlineplus_url = models.URLField(
        "MedlinePlus page",
        max_length=500,
        blank=True,
        help_text="The drug's page on medlineplus.gov.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("conditions:drug", args=[self.slug])

    @property
    def display_name(self):
        """The name in the language of the page being rendered."""
        return display_name(self)

    @property
    def other_name_list(self):
        return [n.strip() for n in self.other_names.splitlines() if n.strip()]

    @property
    def side_effect_list(self):
        return [n.strip(" -•*\t") for n in self.side_effects.splitlines() if n.strip(" -•*\t")]


class DrugGroup(models.Model):
    """An ordered list of drugs in an article's treatment section.

    A group without a heading holds treatments listed on their own (the
    seed's 5-HTP and ACTH).
    """

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="drug_groups")
    heading = models.CharField(
        max_length=200, blank=True, help_text="For example “Anticonvulsants”; may be blank."
    )
    order = models.PositiveIntegerField(default=0)
    drugs = models.ManyToManyField(Drug, through="DrugGroupItem", related_name="groups")

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["condition", "order"])]

    def __str__(self):
        return self.heading or "(no heading)"


class DrugGroupItem(models.Model):
    group = models.ForeignKey(DrugGroup, on_delete=models.CASCADE, related_name="items")
    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="group_items")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "drug"], name="drug_once_per_group"),
        ]

    def __str__(self):
        return f"{self.group}: {self.drug}"


class Reference(models.Model):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveIntegerField(default=0)
    authors = models.CharField(
        max_length=500, blank=True, help_text="As cited: “Dalmau J, Rosenfeld MR”."
    )
    title = models.CharField(max_length=500, blank=True)
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800)]
    )
    month = models.CharField(max_length=20, blank=True, help_text="Only when there is no volume.")
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=50, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    pmid = models.CharField(
        "PMID",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{1,12}$", "A PMID is digits only.")],
    )
    url = models.URLField("URL", max_length=500, blank=True)
    citation_text = models.TextField(
        blank=True,
        help_text="The whole citation, when it could not be split into fields.",
    )

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["condition", "order"])]

    def __str__(self):
        return self.title or self.citation_text[:80]

    @property
    def link(self):
        """A URI (never a bare IRI): DOIs may hold any printable character
        ("10.1002/(SICI)1097-4636<...>"), which the DOI handbook says to
        percent-encode in a URL; a stored URL may hold non-ASCII."""
        if self.doi:
            return "https://doi.org/" + quote(self.doi, safe="/")
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{quote(self.pmid, safe='')}/"
        return iri_to_uri(self.url)

    def ama_text(self):
        """The AMA citation as plain text (no markup, no entities)."""
        return html.unescape(strip_tags(self.ama()))

    def ama(self):
        """The citation in AMA style, as safe HTML (journal in italics)."""
        if not (self.title or self.journal):
            return format_html("{}", self.citation_text)
        parts = []
        if self.authors:
            parts.append(format_html("{}. ", self.authors.rstrip(".")))
        if self.title:
            parts.append(format_html("{}. ", self.title.rstrip(".")))
        if self.journal:
            parts.append(format_html("<i>{}</i>. ", self.journal.rstrip(".")))
        date = ""
        if self.year:
            date = str(self.year)
            if self.month and not self.volume:
                date = f"{self.month} {self.year}"
        tail = date
        if self.volume:
            tail += f";{self.volume}"
            if self.issue:
                tail += f"({self.issue})"
        if self.pages:
            tail += f":{self.pages}"
        if tail:
            parts.append(format_html("{}.", tail))
        if self.doi:
            parts.append(format_html(" doi:{}", self.doi))
        elif self.pmid:
            parts.append(format_html(" PMID: {}", self.pmid))
        # Every part is already escaped by format_html.
        return mark_safe("".join(parts).strip())  # noqa: S308


class Organization(models.Model):
    class Region(models.TextChoices):
        US = "US", _("United States")
        CA = "CA", _("Canada")
        UK = "GB", _("United Kingdom")
        INTERNATIONAL = "INT", _("International")

    name = models.CharField(max_length=300, unique=True)
    url = models.URLField("URL", max_length=500, blank=True)
    region = models.CharField(max_length=3, choices=Region.choices, default=Region.US)
    names = models.JSONField(
        "Names in other languages",
        default=dict,
        blank=True,
        validators=[validate_names],
        help_text='The organization’s name in another language, as {"es": "…"}, if it has one.',
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return display_name(self)


class ArticleOrganization(models.Model):
    """An organization listed in an article's resources."""

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="organization_links"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="links")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "organization"], name="organization_once_per_article"
            ),
        ]

    def __str__(self):
        return str(self.organization)


def figure_upload_to(instance, filename):
    # Named by what the file is, not by what the uploader called it.
    return f"figures/{timezone.now():%Y/%m}/{stored_name(instance.image, filename)}"


class Figure(models.Model):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="figures")
    image = models.ImageField(
        upload_to=figure_upload_to,
        width_field="width",
        height_field="height",
        validators=[validate_figure_image],
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        max_length=300, help_text="What the image shows, for people who cannot see it."
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(
        max_length=300, blank=True, help_text="For example: Copyright © Nucleus Medical Media, Inc."
    )
    placement = models.CharField(
        max_length=20,
        choices=Section.Kind.choices,
        blank=True,
        help_text="Shown after the first section of this kind; at the end when blank.",
    )
    order = models.PositiveIntegerField(default=0)
    # [{"width": 320, "height": 240, "name": "renditions/…"}], made once by
    # conditions.images and reused by every page and the API.
    renditions = models.JSONField(default=list, editable=False)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="figure_alt_text_required"),
        ]

    def __str__(self):
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.image and self.renditions_source != self.image.name:
            make_renditions(self)
            Figure.objects.filter(pk=self.pk).update(renditions=self.renditions)

    @property
    def renditions_source(self):
        return self.renditions[0].get("source") if self.renditions else None

    @property
    def srcset(self):
        return srcset(self.renditions)

    @property
    def src(self):
        """The rendition to use where only one fits (640 px or the largest)."""
        if not self.renditions:
            return self.image.url if self.image else ""
        fitting = [r for r in self.renditions if r["width"] <= 640] or self.renditions
        return default_storage.url(fitting[-1]["name"])


class MedicalCode(models.Model):
    class System(models.TextChoices):
        ICD10CM = "icd10cm", "ICD-10-CM"
        SNOMEDCT = "snomedct", "SNOMED CT"

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="codes")
    system = models.CharField(max_length=10, choices=System.choices)
    code = models.CharField(max_length=20)

    class Meta:
        ordering = ["system", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "system", "code"], name="code_once_per_article"
            ),
        ]
        indexes = [models.Index(fields=["system", "code"])]

    def __str__(self):
        return f"{self.get_system_display()} {self.code}"

    def clean(self):
        # Editors type codes by hand; a malformed one would never match a
        # lookup, so refuse it with the system's format.
        if self.system not in code_formats.FORMAT_HELP:
            systems = ", ".join(code_formats.FORMAT_HELP)
            raise ValidationError({"system": f"Choose one of the code systems: {systems}."})
        self.code = code_formats.normalize(self.system, self.code)
        if self.system and self.code and not code_formats.is_valid(self.system, self.code):
            raise ValidationError({"code": code_formats.FORMAT_HELP[self.system]})


# How a reviewer's "request changes" comment starts in the article's history.
CHANGES_REQUESTED = "Changes requested: "


class Revision(models.Model):
    """One save of an article: a JSON snapshot of it with all its parts."""

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.CharField(max_length=500, blank=True)
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20, blank=True)
    snapshot = models.JSONField()
    # Publishing: the public note, and when an approved revision goes live.
    update_note = models.CharField(max_length=500, blank=True)
    approved_go_live_at = models.DateTimeField(null=True, blank=True, db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The content-check warnings the reviewer acknowledged when publishing
    # this revision: [{"key": …, "message": …}].
    acknowledged_warnings = models.JSONField(default=list, blank=True)
    # Reading levels of this revision's text (conditions.review.readability.for_snapshot),
    # kept beside the snapshot rather than in it so the export format stays as it is.
    readability = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["condition", "-created_at"])]

    def __str__(self):
        return f"{self.condition} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def requested_changes(self):
        """A "request changes" step's comment, without the prefix the
        history shows it with."""
        return self.comment.removeprefix(CHANGES_REQUESTED)


class Byline(models.Model):
    """A medical reviewer's public byline, as readers see it under an
    article they signed off: stored once on their account, saved again from
    the Publish form and prefilled on it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="byline"
    )
    name = models.CharField(max_length=200, help_text="Your name as readers see it.")
    credentials = models.CharField(max_length=100, blank=True, help_text="For example: MD, MPH")

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class TopicName(models.Model):
    """A topic's (tag's) name in another language."""

    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="names")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag", "language"], name="topicname_unique_language")
        ]

    def __str__(self):
        return self.name


class GlossaryTerm(models.Model):
    """A hard word and the plain words readers know it by. Editors are
    shown where an article uses the term without its plain alternative
    nearby."""

    term = models.CharField(max_length=100, unique=True, help_text="For example: hypertension")
    plain = models.CharField(
        "plain alternative", max_length=200, help_text="For example: high blood pressure"
    )

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {self.plain}"


class SlugRedirect(models.Model):
    """An address a published article used to have: /conditions/<old_slug>/
    sends readers to where the article lives now."""

    # Addresses are per language: /es/conditions/x/ is not /conditions/x/.
    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    old_slug = models.SlugField(max_length=200)
    condition = models.ForeignKey(
        Condition,
        on_delete=models.CASCADE,
        related_name="slug_redirects",
        limit_choices_to={"is_live": False},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "old_slug"], name="slugredirect_unique_language_slug"
            )
        ]

    def __str__(self):
        with translation.override(self.language):
            return reverse("conditions:detail", args=[self.old_slug])


class PendingChange(models.Model):
    """A change to a shared record that readers see (a drug, an
    organization, a topic), made by someone who may not publish. The record
    keeps its published values until a medical reviewer approves the change
    (``conditions.review.shared_records``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # {field: new value}; the record itself holds the current values.
    changes = models.JSONField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_pending_change_per_record"
            ),
        ]
        verbose_name = "change to a shared record, waiting for approval"
        verbose_name_plural = "changes to shared records, waiting for approval"

    def __str__(self):
        return f"{self.content_type.name.capitalize()} “{self.record}”"


class SearchDocument(models.Model):
    """The search index's table: one row per live article, holding the text
    search looks at, already flattened (Markdown stripped, drug names joined).

    On PostgreSQL the rows also hold their weighted ``tsvector`` (GIN indexed).
    On SQLite two FTS5 tables (porter tokenizer) use this table as their
    external content and triggers keep them in step: ``conditions_search_fts``
    over every column, ``conditions_search_head_fts`` over all but the body.
    The vector columns stay empty there. Migrations 0002 and 0003 create them.

    Each row is in one language (``language``). English rows are indexed as
    above. Rows in the other languages of ``settings.SEARCH_LANGUAGES`` are
    searched through their ``index_*`` columns, the text with its accents
    folded (``conditions.search.languages``): on PostgreSQL with the
    language's configuration; on SQLite, where the columns hold each word's
    Snowball stem, by two more FTS5 tables without a stemmer,
    ``conditions_search_stemmed_fts`` and ``…_stemmed_head_fts`` (migration
    0017). The triggers put a row in the English tables or in the stemmed
    ones by its language.

    Careful on SQLite: altering this table with a migration rebuilds it and
    drops the triggers; such a migration must create them again (see 0017).
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "Articles"
        DRUG = "drug", "Drugs"
        TOPIC = "topic", "Topics"
        RESEARCH = "research", "Research summaries"

    # What the row is: a live article (``condition`` set), or a document
    # from a source registered with ``conditions.search.sources`` (a drug, a
    # topic, another app's research summary), named by kind and object_id.
    kind = models.CharField(max_length=20, default=Kind.ARTICLE, db_index=True)
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    url = models.CharField(max_length=500, blank=True)
    condition = models.OneToOneField(
        "conditions.Condition",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_document",
        limit_choices_to={"is_live": True},
    )
    slug = models.SlugField(max_length=200, blank=True)
    title = models.CharField(max_length=200)
    alternate_names = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    drugs = models.TextField(blank=True)
    # What the index reads for a language other than English: the columns
    # above with accents folded (PostgreSQL), or as folded Snowball stems,
    # one per word (SQLite). Empty for English.
    index_title = models.TextField(blank=True)
    index_alternate_names = models.TextField(blank=True)
    index_summary = models.TextField(blank=True)
    index_body = models.TextField(blank=True)
    index_drugs = models.TextField(blank=True)
    # PostgreSQL only: everything, weighted (A title and alternate names,
    # B summary, C drugs, D body), and the title and alternate names alone,
    # which decide the first tier of the ranking.
    vector = SearchVectorField(null=True, editable=False)
    title_vector = SearchVectorField(null=True, editable=False)
    # Everything but the body, weighted as above: small enough to rank every
    # match of a very common word without reading each article's body.
    head_vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "object_id"],
                condition=~Q(object_id=""),
                name="searchdocument_unique_source_object_language",
            )
        ]

    def __str__(self):
        return self.title


class Feedback(models.Model):
    """A reader's answer to "Was this page helpful?" on an article.

    Anonymous: no address, no account, no IP. The comment is stored with
    any email address or phone number in it masked (``services``)."""

    condition = models.ForeignKey(
        Condition,
        on_delete=models.CASCADE,
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
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["condition", "-created_at"])]

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.condition}"

    @property
    def is_handled(self):
        return self.handled_at is not None


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
        ordering = ["url"]

    def __str__(self):
        return self.url

    @property
    def problem(self):
        """What the dashboard and the publish gate show: a category
        ("broken (404)", "timeout"…), never the remote server's words."""
        from conditions.review.linkcheck import category

        return category(self.status_code, self.error)
