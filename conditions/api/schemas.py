"""The answers of the JSON API, as ninja schemas: each says what its
fields are (the OpenAPI document at /api/openapi.json is generated from
them) and where they come from (``resolve_*``), so nothing else describes
or builds an answer. Their parts are in ``parts``.

Fields are in the order the answers write them.
"""

from typing import Literal

from ninja import Field

from conditions import models
from conditions.api import MAX_PAGE_SIZE
from conditions.api.parts import (
    Answer,
    Attribution,
    Count,
    DrugGroup,
    Figure,
    IsoDate,
    IsoDateTime,
    Language,
    LanguageVersion,
    MedicalCode,
    Organization,
    Readability,
    Reference,
    Review,
    Section,
    Tag,
    TranslationSource,
    UpdateNote,
    UrgentHelp,
    Uri,
    api_url,
    language_versions,
)
from conditions.models import codes
from conditions.pages.seo import absolute

__all__ = ["api_url", "language_versions"]


def _omitted_when_none(value):
    return value is None


class _Article(Answer):
    """Where the fields every article answer has come from (a live copy)."""

    @staticmethod
    def resolve_alternate_names(condition):
        return condition.alternate_name_list

    @staticmethod
    def resolve_url(condition):
        return absolute(condition.get_absolute_url())

    @staticmethod
    def resolve_api_url(condition):
        return api_url(condition.slug, condition.language)

    @staticmethod
    def resolve_translations(condition):
        return language_versions(condition)

    @staticmethod
    def resolve_translation_of(condition):
        return TranslationSource.of(condition)

    @staticmethod
    def resolve_attribution(condition):
        return Attribution.of(condition)


Audience = Literal[tuple(models.Condition.Audience.values)]
TRANSLATIONS = Field(description="The article in the other languages it is published in.")
TRANSLATION_OF = Field(
    description="On a translation, its English source; null on an English article."
)


class ConditionSummary(_Article):
    """A published article, as listed."""

    slug: str
    language: Language
    title: str
    alternate_names: list[str]
    summary: str
    audience: Audience
    tags: list[Tag]
    last_reviewed: IsoDate | None
    published_at: IsoDateTime | None
    updated_at: IsoDateTime
    url: Uri = Field(description="The article's page for readers.")
    api_url: Uri
    translations: list[LanguageVersion] = TRANSLATIONS
    translation_of: TranslationSource | None = TRANSLATION_OF
    attribution: Attribution


class ConditionList(Answer):
    language: Language = Field(description="The language of the listed articles.")
    count: Count
    page: int = Field(ge=1)
    page_size: int = Field(ge=1, le=MAX_PAGE_SIZE)
    num_pages: int = Field(ge=1)
    next: Uri | None
    previous: Uri | None
    results: list[ConditionSummary]


class RelatedCondition(_Article):
    slug: str
    title: str
    url: Uri
    api_url: Uri


class ArticlePage:
    """A ``selectors.ArticlePage`` and its reading levels as ``Condition``
    reads them: the live copy's own fields, and its parts."""

    def __init__(self, page, levels):
        self.page, self.levels = page, levels

    def __getattr__(self, name):
        return getattr(self.page.condition, name)


class Condition(_Article):
    """A whole published article: the fields of ConditionSummary (the
    answer's language first, as in every answer) and its parts."""

    language: Language
    slug: str
    title: str
    alternate_names: list[str]
    summary: str
    audience: Audience
    tags: list[Tag]
    last_reviewed: IsoDate | None
    published_at: IsoDateTime | None
    updated_at: IsoDateTime
    url: Uri = Field(description="The article's page for readers.")
    api_url: Uri
    handout_url: Uri = Field(
        description="The article as a printable handout (PDF): the page's text with the "
        "publisher, version, dates and a QR code to the page."
    )
    translations: list[LanguageVersion] = TRANSLATIONS
    translation_of: TranslationSource | None = TRANSLATION_OF
    attribution: Attribution
    first_published_at: IsoDateTime | None
    review: Review
    update_notes: list[UpdateNote]
    codes: list[MedicalCode]
    sections: list[Section]
    urgent_help: list[UrgentHelp] = Field(
        description="The callout readers see first, with the number to call; the same "
        'sections are also in "sections" (kind "urgent_help").'
    )
    readability: Readability
    drug_groups: list[DrugGroup]
    references: list[Reference]
    organizations: list[Organization]
    figures: list[Figure]
    related: list[RelatedCondition]

    @staticmethod
    def resolve_handout_url(article):
        return absolute(article.get_handout_url())

    @classmethod
    def of(cls, page, levels):
        """From a ``selectors.ArticlePage`` and its reading levels
        (``selectors.reading_levels``), in the active language."""
        return cls.model_validate(ArticlePage(page, levels))

    @staticmethod
    def resolve_tags(article):
        return article.page.tags

    @staticmethod
    def resolve_review(article):
        return article

    @staticmethod
    def resolve_update_notes(article):
        return [
            {"date": n.get("date"), "note": n.get("note", ""), "reviewer": n.get("reviewer", "")}
            for n in article.update_notes
        ]

    @staticmethod
    def resolve_codes(article):
        return article.page.codes

    @staticmethod
    def resolve_sections(article):
        sections = article.page.sections
        for section, level in zip(sections, article.levels["sections"], strict=True):
            section.readability = level
        return sections

    @staticmethod
    def resolve_urgent_help(article):
        return article.page.urgent_help

    @staticmethod
    def resolve_readability(article):
        return article.levels["article"]

    @staticmethod
    def resolve_drug_groups(article):
        return article.page.drug_groups

    @staticmethod
    def resolve_references(article):
        return article.page.references

    @staticmethod
    def resolve_organizations(article):
        return [o for _, region in article.page.organizations_by_region for o in region]

    @staticmethod
    def resolve_figures(article):
        return article.page.figures

    @staticmethod
    def resolve_related(article):
        return article.page.related


# Look-ups.


class LookupQuery(Answer):
    code: str | None = Field(description="The code asked for, normalized; null when none was.")
    system: Literal[tuple(codes.LOOKUP_OID_OF)] | None = Field(
        description="Null when neither a code nor a system was given."
    )
    system_oid: str | None
    language: str | None = Field(
        description="The language asked for with lang or informationRecipient.languageCode.c, "
        "as given; null when neither was."
    )


class LookupEntry(ConditionSummary):
    """An article matching the code: its translation in the language asked
    for when it has one, else the English article."""

    # Given by the view.
    fallback: bool = Field(
        description="True when this article is not published in the language asked for and "
        "is given in English instead."
    )


class LookupResult(Answer):
    query: LookupQuery
    language: Language = Field(
        description="The language the answer is in where it can be: the one asked for when the "
        "library publishes in it, else English."
    )
    fallback: bool = Field(
        description="True when some or all of the answer is not in the language asked for "
        "(each result says which)."
    )
    matched_code: str | None = Field(
        description="The code the results carry: the one asked for, or for ICD-10-CM its "
        "nearest parent that has articles; null when nothing matched."
    )
    exact: bool
    count: Count
    results: list[LookupEntry]


# Look-ups as an HL7 infobutton answers them: the Atom feed MedlinePlus
# Connect answers with, in its JSON form (each element an object: "_value"
# its text, other strings its attributes; ``infobutton`` writes the XML
# from the same data).


class FeedText(Answer):
    value: str = Field(alias="_value")
    type: Literal["text", "html"]


class FeedValue(Answer):
    value: str = Field(alias="_value")


class FeedPerson(Answer):
    name: FeedValue
    uri: FeedValue


class FeedLink(Answer):
    href: Uri
    rel: Literal["alternate", "license"]
    type: str = Field(description="The media type of what it links to.")
    hreflang: str = Field(
        None, exclude_if=_omitted_when_none, description="The language of what it links to."
    )
    title: str


class FeedCategory(Answer):
    scheme: str = Field(description="The request parameter echoed.")
    term: str


class FeedEntry(Answer):
    """A matching article: its translation in the language asked for when
    it has one, else the English article (lang says which)."""

    lang: Language
    title: FeedText
    link: list[FeedLink] = Field(description="The article's page for readers.")
    id: FeedValue
    updated: FeedValue = Field(description="When the article last changed (RFC 3339).")
    summary: FeedText = Field(
        description="HTML: its other names (class NLMalsoCalled), its plain-language summary, "
        "and who publishes and reviewed it (class NLMattribution)."
    )


class Feed(Answer):
    xsi: Literal["http://www.w3.org/2001/XMLSchema-instance"]
    base: Uri
    lang: Language
    title: FeedText
    updated: FeedValue
    id: FeedValue
    author: FeedPerson = Field(description="The publisher.")
    subtitle: FeedText
    rights: FeedText = Field(description="The licence the articles may be reused under.")
    link: list[FeedLink] = Field(description="The licence's page (rel license).")
    category: list[FeedCategory] = Field(
        description="The request: mainSearchCriteria.v.c, .v.cs, .v.dn and informationRecipient."
    )
    entry: list[FeedEntry] = Field(description="The matching articles; none for no match.")


class InfobuttonFeed(Answer):
    """The infobutton's answer (knowledgeResponseType application/json),
    shaped as MedlinePlus Connect's."""

    feed: Feed


# Errors.


class ErrorDetail(Answer):
    status: int
    code: str
    message: str
    parameter: str = Field(
        None, exclude_if=_omitted_when_none, description="The query parameter at fault."
    )
    translations: list[LanguageVersion] = Field(
        None,
        exclude_if=_omitted_when_none,
        description="On a 404 for an article not published in the language asked for: "
        "where it is published.",
    )


class Error(Answer):
    """Every refusal and failure is answered with this JSON."""

    error: ErrorDetail
