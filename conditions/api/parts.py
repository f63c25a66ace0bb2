"""The parts of the API's answers (``schemas``), as ninja schemas: each
says what its fields are and where they come from (``resolve_*``).

Dates are written in ISO 8601 as Python writes them (``isoformat``).
Every schema is closed (``additionalProperties: false``): clients and the
contract tests can rely on an answer holding nothing but what is listed.
"""

import datetime
from typing import Annotated, Literal
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from ninja import Field, Schema
from pydantic import ConfigDict, PlainSerializer, RootModel, WithJsonSchema

from conditions import models
from conditions.api import LANGUAGES
from conditions.models import codes
from conditions.pages import attribution
from conditions.pages.seo import absolute
from conditions.pages.translations import SOURCE_LANGUAGE, display_name

# Types of fields.

Language = Annotated[
    Literal[LANGUAGES],
    Field(description="A language the library publishes articles in (ISO 639-1)."),
]
Uri = Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]
IsoDate = Annotated[
    datetime.date,
    PlainSerializer(datetime.date.isoformat),
    WithJsonSchema({"type": "string", "format": "date"}),
]
IsoDateTime = Annotated[
    datetime.datetime,
    PlainSerializer(datetime.datetime.isoformat),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
# A number as it was stored: 8 stays 8, 8.0 stays 8.0.
Number = Annotated[int | float, WithJsonSchema({"type": "number"})]
Count = Annotated[int, Field(ge=0)]


class Answer(Schema):
    model_config = ConfigDict(json_schema_extra={"additionalProperties": False})


# Addresses, shared with the views' errors.


def api_url(slug, language):
    """The API address of the article ``slug`` in ``language``: pinned with
    ``lang`` for a translation, so that following it gives that language
    whatever the client's Accept-Language."""
    url = reverse("api:condition", args=[slug])
    return absolute(url if language == SOURCE_LANGUAGE else f"{url}?lang={language}")


def _slug_of(page_url):
    # The article's page address ends with its slug (/es/conditions/gota/).
    return unquote(page_url.rstrip("/").rsplit("/", 1)[-1])


def language_versions(condition):
    """The article in the other languages it is published in, from the
    addresses its live copy keeps (``conditions.publishing.live``): no query."""
    return [
        {"language": code, "url": absolute(url), "api_url": api_url(_slug_of(url), code)}
        for code, url in sorted(condition.language_versions.items())
        if code != condition.language
    ]


# The parts of an answer.


class Tag(Answer):
    name: str
    slug: str

    @staticmethod
    def resolve_name(tag):
        # In the article's language where the view named it there
        # (``selectors.with_topic_names``).
        return getattr(tag, "display_name", tag.name)


class LanguageVersion(Answer):
    """The same article published in another language."""

    language: Language
    url: Uri = Field(description="The article's page in this language.")
    api_url: Uri = Field(description="The article in this language, in this API.")


class TranslationSource(Answer):
    """What a translation was translated from."""

    language: Language
    slug: str = Field(description="The English article's slug.")
    url: Uri | None = Field(description="Its page; null while it is not published.")
    api_url: Uri | None
    translated_from: IsoDateTime | None = Field(
        description="When the revision of the English article this translation was made from "
        "(or last brought up to date with) was saved."
    )
    source_updated: bool = Field(
        description="True when the English article was published again after that revision "
        "and no reviewer has yet updated the translation or recorded that the change does not "
        "affect it."
    )
    source_updated_at: IsoDateTime | None = Field(
        description="Since when the translation is behind; null when it is not."
    )

    @staticmethod
    def of(condition):
        """Where ``condition`` comes from, None on an English article. The
        views annotate ``source_slug`` and ``translated_from_at``
        (``views.with_source``)."""
        if not condition.translation_of_id:
            return None
        english = condition.language_versions.get(SOURCE_LANGUAGE)
        slug = _slug_of(english) if english else getattr(condition, "source_slug", None)
        return {
            "language": SOURCE_LANGUAGE,
            "slug": slug,
            "url": absolute(english) if english else None,
            "api_url": api_url(slug, SOURCE_LANGUAGE) if english else None,
            "translated_from": getattr(condition, "translated_from_at", None),
            "source_updated": condition.source_updated_at is not None,
            "source_updated_at": condition.source_updated_at,
        }


# The parts of a whole article.


class Signoff(Answer):
    """An outside specialist who approved the published text."""

    name: str
    credentials: str
    signed_off_on: IsoDate = Field(description="The day they approved it.")

    @staticmethod
    def resolve_signed_off_on(signoff):
        return signoff.decided_on


class Licence(Answer):
    name: str
    url: Uri | None
    text: str


class Attribution(Answer):
    """What a partner shows beside the article it reuses (the site's
    settings CONTENT_PUBLISHER and CONTENT_LICENCE_*)."""

    publisher: str = Field(description="Who publishes (and wrote) the article.")
    reviewed_by: str = Field(description="The medical reviewer and credentials; may be empty.")
    last_reviewed: IsoDate | None
    licence: Licence
    link: Uri = Field(description="Link back to the article's page.")

    @classmethod
    def of(cls, condition):
        # The embed shows the same (conditions.pages.attribution).
        return attribution.of(condition)


class Review(Answer):
    last_reviewed: IsoDate | None
    reviewer_name: str
    reviewer_credentials: str
    next_review_due: IsoDate | None
    signoffs: list[Signoff] = Field(
        description="Outside specialists who approved exactly this published text, "
        "in the order they did."
    )

    @staticmethod
    def resolve_signoffs(article):
        return article.page.signoffs


class UpdateNote(Answer):
    # As stored with the article (a date written by ``services``).
    date: Annotated[str | None, WithJsonSchema({"type": ["string", "null"], "format": "date"})]
    note: str
    reviewer: str


class MedicalCode(Answer):
    system: Literal[codes.ICD10CM, codes.SNOMEDCT]
    code: str
    system_name: str
    system_oid: str | None

    @staticmethod
    def resolve_system_name(code):
        return codes.CODING_SYSTEM_NAMES.get(code.system, code.system)

    @staticmethod
    def resolve_system_oid(code):
        return codes.OID_OF.get(code.system)


class ReadabilityEnglish(Answer):
    """The reading level of English text: lower is easier."""

    flesch_kincaid_grade: Number = Field(
        description="Flesch–Kincaid grade level (textstat) of the text readers see."
    )
    smog: Number = Field(description="SMOG index (textstat).")
    words: Count


class ReadabilitySpanish(Answer):
    """The reading level of Spanish text: higher is easier."""

    language: Literal["es"]
    fernandez_huerta: Number | None = Field(
        description="Fernández-Huerta reading ease (textstat), 0–100."
    )
    szigriszt_pazos: Number | None = Field(
        description="Szigriszt-Pazos perspicuity (textstat), 0–100."
    )
    words: Count


class Readability(RootModel[ReadabilityEnglish | ReadabilitySpanish]):
    """How hard the text is to read, computed when the revision was saved:
    headings and list items count as sentences, links as their words.
    English text has grade levels; Spanish text has ease scores (and its
    language)."""


class _SectionText(Answer):
    @staticmethod
    def resolve_heading(section):
        # The kind's label (lazy, in the answer's language) when it has none.
        return str(section.display_heading)

    @staticmethod
    def resolve_markdown(section):
        return section.body

    @staticmethod
    def resolve_html(section):
        return section.body_html


class Section(_SectionText):
    kind: str
    heading: str
    order: int
    anchor: str = Field(description="The fragment id of the section on the page.")
    markdown: str
    html: str = Field(description="Rendered and sanitized.")
    # Given by ``Condition.resolve_sections``.
    readability: Readability


class UrgentHelp(_SectionText):
    """“When to get urgent help”: shown first on the page, as a callout."""

    heading: str
    anchor: str = Field(description="The fragment id of the callout on the page.")
    markdown: str
    html: str = Field(description="Rendered and sanitized.")
    emergency_number: str = Field(
        description="The number readers are told to call (EMERGENCY_NUMBER)."
    )

    @staticmethod
    def resolve_emergency_number(section):
        return settings.EMERGENCY_NUMBER


class Drug(Answer):
    """A drug an article lists, with what its own page shows: the text
    editors wrote and a medical reviewer approved (in the source language,
    ``text_language``; empty when nobody wrote it) and where to read more."""

    name: str
    slug: str
    other_names: list[str] = Field(description="Brand and other names.")
    rxnorm_code: str | None = Field(description="The ingredient's RxNorm RxCUI.")
    url: Uri
    text_language: Language = Field(
        description="The language of description, uses, usual_use and the side effects."
    )
    description: str = Field(description="What the drug is.")
    uses: str = Field(description="What it is used for.")
    usual_use: str = Field(description="How it is usually taken.")
    side_effects: list[str] = Field(description="Common side effects, one per item.")
    serious_side_effects: list[str] = Field(
        description="Side effects that need medical help right away."
    )
    label_url: Uri | None = Field(
        description="Where to read its official label: an editor's page, or DailyMed's "
        "labels for a drug with an RxNorm code."
    )
    medlineplus_url: Uri | None = Field(
        description="Its MedlinePlus page: an editor's, or MedlinePlus Connect by its RxNorm "
        "code, in the answer's language when MedlinePlus has it."
    )

    @staticmethod
    def resolve_name(drug):
        # In the answer's language (the view builds it in that language).
        return display_name(drug)

    @staticmethod
    def resolve_other_names(drug):
        return drug.other_name_list

    @staticmethod
    def resolve_rxnorm_code(drug):
        return drug.rxnorm_code or None

    @staticmethod
    def resolve_url(drug):
        return absolute(drug.get_absolute_url())

    @staticmethod
    def resolve_text_language(drug):
        return SOURCE_LANGUAGE

    @staticmethod
    def resolve_side_effects(drug):
        return drug.side_effect_list

    @staticmethod
    def resolve_serious_side_effects(drug):
        return drug.serious_side_effect_list

    @staticmethod
    def resolve_label_url(drug):
        return iri_to_uri(drug.label_link) or None

    @staticmethod
    def resolve_medlineplus_url(drug):
        return iri_to_uri(drug.medlineplus_link()) or None


class DrugGroup(Answer):
    heading: str = Field(description="Empty for drugs listed on their own.")
    drugs: list[Drug]


class Reference(Answer):
    order: int
    authors: str
    title: str
    journal: str = Field(description="A journal article's journal.")
    publisher: str = Field(description="A book's publisher or a website's name.")
    edition: str = Field(description="A book's edition (\"5th ed\") or a guideline's version.")
    year: int | None = Field(description="The year it was published (or updated).")
    month: str
    volume: str
    issue: str
    pages: str
    doi: str | None
    pmid: str | None
    url: Uri | None
    accessed_on: IsoDate | None = Field(description="When a web page was read.")
    link: Uri | None = Field(description="DOI, PubMed or URL link.")
    citation: str = Field(description="The citation in AMA style, plain text.")

    @staticmethod
    def resolve_doi(ref):
        return ref.doi or None

    @staticmethod
    def resolve_pmid(ref):
        return ref.pmid or None

    @staticmethod
    def resolve_url(ref):
        # URIs, as documented: a stored URL may hold non-ASCII characters.
        return iri_to_uri(ref.url) or None

    @staticmethod
    def resolve_link(ref):
        return ref.link or None

    @staticmethod
    def resolve_citation(ref):
        return ref.ama_text()


class Organization(Answer):
    name: str
    url: Uri | None
    region: Literal[tuple(models.Organization.Region.values)]

    @staticmethod
    def resolve_name(organization):
        return display_name(organization)

    @staticmethod
    def resolve_url(organization):
        return iri_to_uri(organization.url) or None


class Rendition(Answer):
    width: int
    height: int
    url: Uri

    @staticmethod
    def resolve_url(rendition):
        return absolute(default_storage.url(rendition["name"]))


class Figure(Answer):
    alt_text: str
    caption: str
    credit: str
    placement: str | None = Field(description="The section kind it follows.")
    width: int
    height: int
    src: Uri | None
    renditions: list[Rendition]

    @staticmethod
    def resolve_placement(figure):
        return figure.placement or None

    @staticmethod
    def resolve_src(figure):
        return absolute(figure.src) if figure.src else None
