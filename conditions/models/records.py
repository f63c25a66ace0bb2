"""Shared records: the rows many articles point at, edited once for all of
them. Drugs (listed in articles' drug groups) and organizations (in their
resources) have their own pages or links; a change readers see waits for a
medical reviewer (``PendingChange``, ``conditions.review.shared_records``).
Also here: topics' names in other languages, the glossary of hard words,
and each medical reviewer's public byline.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from conditions.pages.translations import display_name


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
        verbose_name = _("drug")
        verbose_name_plural = _("drugs")
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
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return display_name(self)


class Topic(Tag):
    """A topic readers browse (/topics/…) and articles are filed under:
    taggit's tag, under the name editors and readers know it by. A proxy:
    the same table and rows as ``taggit.Tag``, which the rest of the code
    uses; the admin shows topics through this class."""

    class Meta:
        proxy = True
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]


class TopicName(models.Model):
    """A topic's (tag's) name in another language."""

    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.CASCADE, verbose_name=_("topic"), related_name="names"
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("topic name in another language")
        verbose_name_plural = _("topic names in other languages")
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
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {self.plain}"


class Byline(models.Model):
    """A medical reviewer's public byline, as readers see it under an
    article they signed off: stored once on their account, saved again from
    the Publish form and prefilled on it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="byline"
    )
    name = models.CharField(max_length=200, help_text="Your name as readers see it.")
    credentials = models.CharField(max_length=100, blank=True, help_text="For example: MD, MPH")

    class Meta:
        verbose_name = _("reviewer's byline")
        verbose_name_plural = _("reviewers' bylines")

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name
