"""The parts an article is made of, each row belonging to one copy of one
``Condition``: its sections, drug groups (lists of shared ``Drug`` records),
references, organizations (links to shared ``Organization`` records),
figures and medical codes.

Publishing copies them from a revision's snapshot into the live copy
(``conditions.publishing.snapshots``), so the working and live copies each
have their own rows.
"""

import html
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.formats import date_format
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from conditions.models import codes as code_formats
from conditions.models.articles import Condition
from conditions.models.images import make_renditions, srcset, stored_name, validate_figure_image
from conditions.models.records import Drug, Organization
from healthlib.lib.markdown import render_markdown, validate_body_length


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

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, verbose_name=_("article"), related_name="sections"
    )
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
        verbose_name = _("section")
        verbose_name_plural = _("sections")
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


class DrugGroup(models.Model):
    """An ordered list of drugs in an article's treatment section.

    A group without a heading holds treatments listed on their own (the
    seed's 5-HTP and ACTH).
    """

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, verbose_name=_("article"), related_name="drug_groups"
    )
    heading = models.CharField(
        max_length=200, blank=True, help_text="For example “Anticonvulsants”; may be blank."
    )
    order = models.PositiveIntegerField(default=0)
    drugs = models.ManyToManyField(Drug, through="DrugGroupItem", related_name="groups")

    class Meta:
        verbose_name = _("drug group")
        verbose_name_plural = _("drug groups")
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["condition", "order"])]

    def __str__(self):
        return self.heading or "(no heading)"


class DrugGroupItem(models.Model):
    group = models.ForeignKey(DrugGroup, on_delete=models.CASCADE, related_name="items")
    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="group_items")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("drug in a group")
        verbose_name_plural = _("drugs in groups")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "drug"], name="drug_once_per_group"),
        ]

    def __str__(self):
        return f"{self.group}: {self.drug}"


class Reference(models.Model):
    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, verbose_name=_("article"), related_name="references"
    )
    order = models.PositiveIntegerField(default=0)
    authors = models.CharField(
        max_length=500, blank=True, help_text="As cited: “Dalmau J, Rosenfeld MR”."
    )
    title = models.CharField(max_length=500, blank=True)
    journal = models.CharField(
        max_length=300, blank=True, help_text="A journal article's journal, shown in italics."
    )
    publisher = models.CharField(
        max_length=300,
        blank=True,
        help_text="A book's publisher (“New York, NY: Springer”) or a website's name "
        "(“MedlinePlus”).",
    )
    edition = models.CharField(
        max_length=100,
        blank=True,
        help_text="A book's edition (“5th ed”) or a guideline's version (“2023 update”).",
    )
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
    accessed_on = models.DateField(
        "accessed on",
        null=True,
        blank=True,
        help_text="When a web page was read; its year is not the year it was published.",
    )
    citation_text = models.TextField(
        blank=True,
        help_text="The whole citation, when it could not be split into fields.",
    )

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
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

    @property
    def is_book(self):
        """A book: a publisher or an edition, no journal, not read online."""
        online = self.url or self.accessed_on
        return bool((self.publisher or self.edition) and not (self.journal or online))

    def ama(self):
        """The citation in AMA style, as safe HTML: a journal article's
        journal and a book's title in italics; a web page (a website, a
        guideline online) with its site, its date, the date it was read and
        its address. Every part ends with one full stop, none after a
        question or exclamation mark ("Is it lupus?")."""
        if not (self.title or self.journal or self.publisher):
            return format_html("{}", self.citation_text)
        book = self.is_book
        parts = []
        if self.authors:
            parts.append(_sentence(self.authors))
        if self.title:
            parts.append(_sentence(self.title, italic=book))
        if self.journal:
            parts.append(_sentence(self.journal, italic=True))
        if self.edition:
            parts.append(_sentence(self.edition))
        date = ""
        if self.year:
            date = str(self.year)
            if self.month and not self.volume:
                date = f"{self.month} {self.year}"
        if book:
            # "New York, NY: Springer; 2017:45-67."
            tail = "; ".join(p for p in (self.publisher.rstrip(". "), date) if p)
            if self.pages:
                tail += f":{self.pages}"
            if tail:
                parts.append(_sentence(tail))
        else:
            if self.publisher:
                parts.append(_sentence(self.publisher))
            if date == str(self.year) and date in self.edition:
                date = ""  # "2023 update" already says it
            tail = date
            if self.volume:
                tail += f";{self.volume}"
                if self.issue:
                    tail += f"({self.issue})"
            if self.pages:
                tail += f":{self.pages}"
            if tail:
                parts.append(_sentence(tail))
        if self.accessed_on:
            day = date_format(self.accessed_on, pgettext("reference accessed", "F j, Y"))
            parts.append(
                format_html(
                    "{}", pgettext("reference accessed", "Accessed %(date)s.") % {"date": day}
                )
            )
        if self.doi:
            parts.append(format_html("doi:{}", self.doi))
        elif self.pmid:
            parts.append(format_html("PMID: {}", self.pmid))
        elif self.url and not (self.journal or book):
            parts.append(format_html("{}", self.url))
        # Every part is already escaped by format_html.
        return mark_safe(" ".join(parts))  # noqa: S308


def _sentence(text, *, italic=False):
    """``text`` as one part of a citation: closed by a full stop, unless it
    ends in a question or exclamation mark."""
    text = text.strip().rstrip(".").rstrip()
    end = "" if text.endswith(("?", "!")) else "."
    if italic:
        return format_html("<i>{}</i>{}", text, end)
    return format_html("{}{}", text, end)


class ArticleOrganization(models.Model):
    """An organization listed in an article's resources."""

    condition = models.ForeignKey(
        Condition,
        on_delete=models.CASCADE,
        verbose_name=_("article"),
        related_name="organization_links",
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="links")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("resource organization")
        verbose_name_plural = _("resource organizations")
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
    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, verbose_name=_("article"), related_name="figures"
    )
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
    # conditions.models.images and reused by every page and the API.
    renditions = models.JSONField(default=list, editable=False)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="figure_alt_text_required"),
        ]

    def __str__(self):
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        if not (self.image and self.renditions_source != self.image.name):
            return super().save(*args, **kwargs)
        with transaction.atomic():
            if self.pk is not None:
                # This copy may have been read before another server made
                # the renditions: the row lock makes a concurrent save wait
                # for that one to commit, then use what it made.
                made = (
                    Figure.objects.select_for_update()
                    .filter(pk=self.pk)
                    .values_list("renditions", flat=True)
                    .first()
                )
                if made and made[0].get("source") == self.image.name:
                    self.renditions = made
            super().save(*args, **kwargs)
            if self.renditions_source != self.image.name:
                self.renditions = make_renditions(self.image)
                Figure.objects.filter(pk=self.pk).update(renditions=self.renditions)

    @classmethod
    def store_image(cls, name, content, stored):
        """Save ``content`` as a figure image with its renditions, outside any
        Figure row (named and stored as an uploaded figure's image is);
        append every stored file name to ``stored`` (so a rolled-back
        transaction can delete them). Returns the snapshot fields of the image."""
        figure = cls()
        figure.image.save(name, content, save=False)
        stored.append(figure.image.name)
        figure.renditions = make_renditions(figure.image)
        stored.extend(r["name"] for r in figure.renditions)
        return {
            "image": figure.image.name,
            "width": figure.image.width,
            "height": figure.image.height,
            "renditions": figure.renditions,
        }

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

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, verbose_name=_("article"), related_name="codes"
    )
    system = models.CharField(max_length=10, choices=System.choices)
    code = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("medical code")
        verbose_name_plural = _("medical codes")
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
