"""Shared records: the rows many articles point at, edited once for all of
them. Drugs (listed in articles' drug groups) and organizations (in their
resources) have their own pages or links; a change readers see waits for a
medical reviewer (``PendingChange``, ``conditions.review.shared_records``).
Also here: topics' names in other languages, the glossary of hard words,
and each medical reviewer's public byline.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from conditions.models import codes
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


def validate_rxcui(value):
    if not codes.is_rxcui(value):
        raise ValidationError(codes.RXCUI_HELP, code="invalid_rxcui")


def _lines(text):
    """The items of a one-per-line field, without the bullets editors type."""
    return [line.strip(" -•*\t") for line in text.splitlines() if line.strip(" -•*\t")]


class Drug(models.Model):
    # What only the drug's own page shows: no article's review reads it, so
    # a change to it by someone who may not publish always waits for a
    # medical reviewer (``conditions.review.shared_records``), even while no
    # published article lists the drug; it is written by editors, reviewed
    # like an article. Its name and its names in other languages are read in
    # the articles that list it, reviewed with them.
    REVIEWED_FIELDS = (
        "other_names",
        "rxnorm_code",
        "description",
        "uses",
        "usual_use",
        "side_effects",
        "serious_side_effects",
        "label_url",
        "medlineplus_url",
    )
    # The page's text, written in the source language.
    TEXT_FIELDS = ("description", "uses", "usual_use", "side_effects", "serious_side_effects")

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    other_names = models.TextField(
        "Other names",
        blank=True,
        help_text="Brand names and other names, one per line, for example Klonopin. Readers see "
        "them as “Also called”; the importer recognizes the drug by them.",
    )
    rxnorm_code = models.CharField(
        "RxNorm code (RxCUI)",
        max_length=10,
        blank=True,
        validators=[validate_rxcui],
        help_text="The ingredient's RxCUI, digits only, for example 2598 for clonazepam (look it "
        "up on RxNav). With it, the page links to the drug's labels on DailyMed and its "
        "MedlinePlus page. Leave it empty when you are not sure.",
    )
    # What readers see on the drug's page. Editors fill them from a source
    # they trust (the label, MedlinePlus); nothing is generated.
    description = models.TextField(
        blank=True, help_text="What the drug is, in one or two plain sentences."
    )
    uses = models.TextField(
        "What it is used for",
        blank=True,
        help_text="The health conditions it treats or prevents, in plain sentences.",
    )
    usual_use = models.TextField(
        "How it is usually taken",
        blank=True,
        help_text="For example “Taken by mouth, once or twice a day”. Plain sentences; no doses "
        "for a particular person.",
    )
    side_effects = models.TextField(
        "Common side effects",
        blank=True,
        help_text="Side effects to tell a doctor about if they bother you, one per line.",
    )
    serious_side_effects = models.TextField(
        "Serious side effects",
        blank=True,
        help_text="Side effects that need medical help right away, one per line, for example "
        "“Trouble breathing”. Readers see them under “Get medical help right away”.",
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
        help_text="A page with the drug's official label. Empty: with an RxCUI, the page links "
        "to DailyMed's list of the drug's labels.",
    )
    medlineplus_url = models.URLField(
        "MedlinePlus page",
        max_length=500,
        blank=True,
        help_text="The drug's page on medlineplus.gov. Empty: with an RxCUI, the page links to "
        "MedlinePlus by it (MedlinePlus Connect), in Spanish on Spanish pages.",
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
        return _lines(self.side_effects)

    @property
    def serious_side_effect_list(self):
        return _lines(self.serious_side_effects)

    @property
    def label_link(self):
        """Where readers read the drug's official label: the page an editor
        chose, else DailyMed's labels of a drug RxNorm knows; or empty."""
        if self.label_url:
            return self.label_url
        if codes.is_rxcui(self.rxnorm_code):
            return codes.dailymed_search_url(self.name)
        return ""

    @property
    def label_link_language(self):
        """The language of ``label_link`` when it is known: DailyMed's,
        English; empty for an editor's page."""
        if self.label_url or not self.label_link:
            return ""
        return "en"

    def medlineplus_link(self, language=None):
        """The drug's MedlinePlus page: the one an editor chose, else
        MedlinePlus Connect by its RxCUI, in ``language`` (the active one)
        when MedlinePlus has it; or empty."""
        if self.medlineplus_url:
            return self.medlineplus_url
        if codes.is_rxcui(self.rxnorm_code):
            language = language or translation.get_language() or settings.LANGUAGE_CODE
            return codes.medlineplus_connect_url(
                self.rxnorm_code, name=self.name, language=language
            )
        return ""

    def medlineplus_link_language(self, language=None):
        """The language of ``medlineplus_link`` when it is known: MedlinePlus
        Connect's answer's; empty for an editor's page."""
        if self.medlineplus_url or not codes.is_rxcui(self.rxnorm_code):
            return ""
        return codes.medlineplus_language(
            language or translation.get_language() or settings.LANGUAGE_CODE
        )


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
