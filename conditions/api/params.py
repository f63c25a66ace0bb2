"""The query parameters, as types ninja validates them with and publishes
in the OpenAPI document: a value is accepted exactly when the document says
it is valid (schemathesis holds the two together).

A refused value is answered 400 with the API's JSON error naming the
parameter; each type says with which code and message (``refused``). The
fields of each set are declared in the order the API checks them: with
several faults, the first one is named.
"""

import datetime
import re
from typing import Annotated, Literal

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Field, Header, Schema
from pydantic import BeforeValidator, ValidationError, WithJsonSchema, WrapValidator
from pydantic_core import PydanticCustomError

from conditions.api import (
    CALLBACK_PATTERN,
    CODE_PATTERN,
    DEFAULT_CALLBACK,
    DEFAULT_PAGE_SIZE,
    DISPLAY_NAME_PATTERN,
    INFOBUTTON_CODE_PATTERN,
    INFOBUTTON_LANGUAGE,
    INFOBUTTON_LANGUAGE_ALIASES,
    INFOBUTTON_LANGUAGE_PATTERN,
    KNOWLEDGE_RESPONSE_TYPES,
    LANGUAGES,
    LETTER_PATTERN,
    MAX_PAGE_SIZE,
    RECIPIENTS,
    TAG_PATTERN,
)
from conditions.models import codes

INVALID = "invalid_parameter"


def refused(code, message):
    """Whatever is wrong with the value, the answer is ``code`` and ``message``."""

    def validate(value, handler):
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError(code, message) from None

    return WrapValidator(validate)


def _whole_number(value):
    # ASCII digits only: int() also takes " 1", "+1", "1_0" and "²"; and it
    # refuses over 4,300 digits. An empty value is not a number either.
    if not re.fullmatch(r"[0-9]{1,4000}", value, re.ASCII):
        raise ValueError(value)
    return int(value)


def whole_number(name, low, high=None):
    limits = f"from {low} to {high}" if high else f"from {low}"
    return Annotated[
        int,
        Field(ge=low, le=high),
        BeforeValidator(_whole_number),
        refused(INVALID, f"{name} must be a whole number {limits}."),
    ]


_OFFSET_LOST_PLUS = re.compile(r"(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$")


def _moment(raw):
    """An ISO 8601 date (midnight) or date-time, UTC when it names no offset."""
    raw = raw.strip()
    # An unencoded "+01:00" arrives as " 01:00".
    raw = _OFFSET_LOST_PLUS.sub(r"\1+\2", raw)
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            if day is not None:
                value = datetime.datetime.combine(day, datetime.time.min)
    except ValueError:
        value = None
    if value is None:
        raise ValueError(raw)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        # Year 1 with an offset east of UTC (or 9999 west of it) is valid
        # ISO 8601 but outside what Python (and SQLite's adapter) can hold
        # in UTC: it is before, or after, every article.
        edge = datetime.datetime.min if value.year == 1 else datetime.datetime.max
        return edge.replace(tzinfo=datetime.UTC)


def Moment(name):  # noqa: N802 - a type
    """An ISO 8601 date or date-time parameter (``_moment``)."""
    return Annotated[
        datetime.datetime,
        BeforeValidator(_moment),
        WithJsonSchema({"anyOf": [{"type": "string", "format": f} for f in ("date", "date-time")]}),
        refused(
            INVALID,
            f"{name} must be an ISO 8601 date or date-time, "
            "for example 2025-01-31 or 2025-01-31T08:00:00Z.",
        ),
    ]


def pattern(regex, message):
    return Annotated[str, Field(pattern=regex), refused(INVALID, message)]


Lang = Annotated[
    Literal[LANGUAGES],
    refused(
        "unsupported_language",
        f"lang must be one of the library's languages: {', '.join(LANGUAGES)}.",
    ),
]
LANG = Field(
    None,
    description="The language of the articles: "
    + ", ".join(f"{code} ({name})" for code, name in settings.LANGUAGES)
    + ". Overrides Accept-Language; any other value is refused (400).",
)


def accept_language_header():
    """The Accept-Language header, as a view's parameter (any value: what
    is not understood is passed over)."""
    return Header(
        None,
        alias="Accept-Language",
        description="Used when lang is absent: the most preferred of the library's languages "
        "(q-values honoured, q=0 refused, * meaning English); English when none is listed.",
    )


class ListParams(Schema):
    lang: Lang = LANG
    letter: pattern(LETTER_PATTERN, "letter must be one of a–z or 0-9.") = Field(
        None, description="Articles whose title starts with this letter; 0-9 for others."
    )
    tag: pattern(
        TAG_PATTERN,
        "tag must be a topic's slug: letters, digits, hyphens, for example nervous-system.",
    ) = Field(None, description="A topic's slug; empty for any topic.")
    updated_since: Moment("updated_since") = Field(
        None, description="ISO 8601 date or date-time (UTC when no offset is given)."
    )
    page_size: whole_number("page_size", 1, MAX_PAGE_SIZE) = Field(
        DEFAULT_PAGE_SIZE, description=f"Articles per page (default {DEFAULT_PAGE_SIZE})."
    )
    page: whole_number("page", 1) = Field(1, description="From 1.")


class DetailParams(Schema):
    lang: Lang = LANG


Code = pattern(
    CODE_PATTERN,
    "The code must be an ICD-10-CM code (for example G25.3) or a SNOMED CT concept id "
    "(for example 17450006).",
)
InfobuttonCode = pattern(
    INFOBUTTON_CODE_PATTERN,
    "The code must be an ICD-10-CM code (for example G25.3), a SNOMED CT concept id (for "
    "example 17450006), an RxCUI (for example 2598) or a LOINC code (for example 2345-7).",
)
System = Annotated[
    Literal[tuple(sorted([*codes.OID_OF, *codes.OIDS]))],
    refused(
        INVALID,
        "The code system must be icd10cm or snomedct, or the OID 2.16.840.1.113883.6.90 "
        "(ICD-10-CM) or 2.16.840.1.113883.6.96 (SNOMED CT).",
    ),
]
SYSTEM_OIDS = ", ".join(
    f"{oid} ({codes.CODING_SYSTEM_NAMES[system]})" for oid, system in codes.LOOKUP_OIDS.items()
)
InfobuttonSystem = Annotated[
    Literal[tuple(sorted([*codes.LOOKUP_OID_OF, *codes.LOOKUP_OIDS]))],
    refused(INVALID, f"The code system must be one of the OIDs {SYSTEM_OIDS}."),
]
CODE_DESCRIPTION = " ICD-10-CM, with or without its dot, or a SNOMED CT concept id."


class LookupParams(Schema):
    """An HL7 infobutton knowledge request, as MedlinePlus Connect takes it,
    or its short form (code, system). Which answer a request gets is
    ``conditions.api.infobutton.answer_format``'s."""

    response_type: Annotated[
        Literal[KNOWLEDGE_RESPONSE_TYPES],
        refused(
            "unsupported_response_type",
            "knowledgeResponseType must be text/xml, application/json or application/javascript.",
        ),
    ] = Field(
        None,
        alias="knowledgeResponseType",
        description="An infobutton answer, as MedlinePlus Connect gives it: text/xml (an Atom "
        "1.0 feed, the default), application/json (the same feed as JSON; "
        "json for short) or application/javascript (that JSON passed to callback: JSONP). "
        "With it, or with mainSearchCriteria.v.c, the answer is the feed; without either, "
        "the short form's JSON (LookupResult).",
    )
    callback: pattern(
        CALLBACK_PATTERN,
        "callback must be a JavaScript function's name or a dotted path of names, for "
        "example handleInfobutton or app.show.",
    ) = Field(
        None,
        description="With knowledgeResponseType=application/javascript: the function the "
        f"answer calls (default {DEFAULT_CALLBACK}). Names of ASCII letters, digits, _ and $, "
        "joined by dots.",
    )
    code: Code = Field(None, description="The code, e.g. G25.3." + CODE_DESCRIPTION)
    # The infobutton's system before its code: an unsupported system (ICD-9-CM)
    # is named rather than its code's format.
    infobutton_system: InfobuttonSystem = Field(
        None,
        alias="mainSearchCriteria.v.cs",
        description=f"Infobutton name for the system: {SYSTEM_OIDS}; guessed from the code "
        "when absent (digits: SNOMED CT, else ICD-10-CM).",
    )
    infobutton_code: InfobuttonCode = Field(
        None,
        alias="mainSearchCriteria.v.c",
        description="Infobutton name for code:" + CODE_DESCRIPTION.rstrip(".") + ", an RxCUI "
        "(the articles whose treatment lists the drug) or a LOINC code.",
    )
    system: System = Field(
        None,
        description="icd10cm or snomedct (or their OIDs); guessed from the code when absent.",
    )
    lang: Lang = Field(
        None,
        description=f"As {INFOBUTTON_LANGUAGE}, but only one of the library's languages "
        "(else 400); used first when both are given.",
    )
    infobutton_language: pattern(
        INFOBUTTON_LANGUAGE_PATTERN,
        f"{INFOBUTTON_LANGUAGE} must be a language code, for example es or en.",
    ) = Field(
        None,
        alias=INFOBUTTON_LANGUAGE,
        description="Infobutton: the language of the person reading, as MedlinePlus Connect "
        "takes it (es for Spanish; "
        + ", ".join(f"{k} for {v}" for k, v in INFOBUTTON_LANGUAGE_ALIASES.items())
        + " is accepted too). Each article is given in it when it is translated, else in "
        "English, and the answer says so (fallback). Any well-formed language tag is accepted.",
    )
    display_name: pattern(
        DISPLAY_NAME_PATTERN,
        "mainSearchCriteria.v.dn must be a name of up to 200 characters, without control "
        "characters.",
    ) = Field(
        None,
        alias="mainSearchCriteria.v.dn",
        description="Infobutton: the code's name as the record shows it. In the feed, when the "
        "code matches no article, an article whose title or other name is exactly this name "
        "(any case) is given.",
    )
    recipient: Annotated[
        Literal[RECIPIENTS],
        refused(INVALID, "informationRecipient must be PAT or PROV."),
    ] = Field(
        None,
        alias="informationRecipient",
        description="Infobutton: who reads, PAT (a patient, the default) or PROV (a provider). "
        "Echoed in the feed's categories; the articles are the same.",
    )
