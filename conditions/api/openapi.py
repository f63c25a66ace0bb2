"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

The schemas list every field the serializers write and forbid any other
(``additionalProperties: false``), and the tests validate real responses
against them, so this document cannot drift from the API unnoticed.
"""

from django.conf import settings

from conditions.api import (
    CODE_PATTERN,
    DEFAULT_PAGE_SIZE,
    INFOBUTTON_LANGUAGE,
    INFOBUTTON_LANGUAGE_ALIASES,
    INFOBUTTON_LANGUAGE_PATTERN,
    KNOWLEDGE_RESPONSE_TYPES,
    LANGUAGES,
    LETTER_PATTERN,
    MAX_PAGE_SIZE,
    TAG_PATTERN,
)
from conditions.models import codes


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties, description=None):
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _array(items):
    return {"type": "array", "items": items}


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
URI = {"type": "string", "format": "uri"}
NULLABLE_URI = {"type": ["string", "null"], "format": "uri"}
DATE = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
INTEGER = {"type": "integer"}
LANGUAGE = {
    "type": "string",
    "enum": list(LANGUAGES),
    "description": "A language the library publishes articles in (ISO 639-1).",
}

SCHEMAS = {
    "Tag": _obj({"name": STRING, "slug": STRING}),
    "LanguageVersion": _obj(
        {
            "language": LANGUAGE,
            "url": {**URI, "description": "The article's page in this language."},
            "api_url": {**URI, "description": "The article in this language, in this API."},
        },
        "The same article published in another language.",
    ),
    "TranslationSource": _obj(
        {
            "language": LANGUAGE,
            "slug": {**STRING, "description": "The English article's slug."},
            "url": {**NULLABLE_URI, "description": "Its page; null while it is not published."},
            "api_url": NULLABLE_URI,
            "translated_from": {
                **DATETIME,
                "description": "When the revision of the English article this translation "
                "was made from (or last brought up to date with) was saved.",
            },
            "source_updated": {
                "type": "boolean",
                "description": "True when the English article was published again after "
                "that revision and no reviewer has yet updated the translation or recorded "
                "that the change does not affect it.",
            },
            "source_updated_at": {
                **DATETIME,
                "description": "Since when the translation is behind; null when it is not.",
            },
        },
        "What a translation was translated from.",
    ),
    "ConditionSummary": _obj(
        {
            "slug": STRING,
            "language": LANGUAGE,
            "title": STRING,
            "alternate_names": _array(STRING),
            "summary": STRING,
            "audience": {"type": "string", "enum": ["patient", "caregiver", "clinician"]},
            "tags": _array(_ref("Tag")),
            "last_reviewed": DATE,
            "published_at": DATETIME,
            "updated_at": {"type": "string", "format": "date-time"},
            "url": {**URI, "description": "The article's page for readers."},
            "api_url": URI,
            "translations": {
                **_array(_ref("LanguageVersion")),
                "description": "The article in the other languages it is published in.",
            },
            "translation_of": {
                "anyOf": [{"type": "null"}, _ref("TranslationSource")],
                "description": "On a translation, its English source; null on an English article.",
            },
        },
        "A published article, as listed.",
    ),
    "ConditionList": _obj(
        {
            "language": {**LANGUAGE, "description": "The language of the listed articles."},
            "count": {**INTEGER, "minimum": 0},
            "page": {**INTEGER, "minimum": 1},
            "page_size": {**INTEGER, "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "num_pages": {**INTEGER, "minimum": 1},
            "next": NULLABLE_URI,
            "previous": NULLABLE_URI,
            "results": _array(_ref("ConditionSummary")),
        }
    ),
    "Review": _obj(
        {
            "last_reviewed": DATE,
            "reviewer_name": STRING,
            "reviewer_credentials": STRING,
            "next_review_due": DATE,
        }
    ),
    "UpdateNote": _obj({"date": DATE, "note": STRING, "reviewer": STRING}),
    "MedicalCode": _obj(
        {
            "system": {"type": "string", "enum": ["icd10cm", "snomedct"]},
            "code": STRING,
            "system_name": STRING,
            "system_oid": NULLABLE_STRING,
        }
    ),
    "Section": _obj(
        {
            "kind": STRING,
            "heading": STRING,
            "order": INTEGER,
            "anchor": {**STRING, "description": "The fragment id of the section on the page."},
            "markdown": STRING,
            "html": {**STRING, "description": "Rendered and sanitized."},
            "readability": _ref("Readability"),
        }
    ),
    "UrgentHelp": _obj(
        {
            "heading": STRING,
            "anchor": {**STRING, "description": "The fragment id of the callout on the page."},
            "markdown": STRING,
            "html": {**STRING, "description": "Rendered and sanitized."},
            "emergency_number": {
                **STRING,
                "description": "The number readers are told to call (EMERGENCY_NUMBER).",
            },
        },
        "“When to get urgent help”: shown first on the page, as a callout.",
    ),
    "Readability": {
        "oneOf": [_ref("ReadabilityEnglish"), _ref("ReadabilitySpanish")],
        "description": "How hard the text is to read, computed when the revision was saved: "
        "headings and list items count as sentences, links as their words. English text "
        "has grade levels; Spanish text has ease scores (and its language).",
    },
    "ReadabilityEnglish": _obj(
        {
            "flesch_kincaid_grade": {
                "type": "number",
                "description": "Flesch–Kincaid grade level (textstat) of the text readers see.",
            },
            "smog": {"type": "number", "description": "SMOG index (textstat)."},
            "words": {**INTEGER, "minimum": 0},
        },
        "The reading level of English text: lower is easier.",
    ),
    "ReadabilitySpanish": _obj(
        {
            "language": {"type": "string", "enum": ["es"]},
            "fernandez_huerta": {
                "type": ["number", "null"],
                "description": "Fernández-Huerta reading ease (textstat), 0–100.",
            },
            "szigriszt_pazos": {
                "type": ["number", "null"],
                "description": "Szigriszt-Pazos perspicuity (textstat), 0–100.",
            },
            "words": {**INTEGER, "minimum": 0},
        },
        "The reading level of Spanish text: higher is easier.",
    ),
    "Drug": _obj(
        {
            "name": STRING,
            "slug": STRING,
            "other_names": _array(STRING),
            "rxnorm_code": NULLABLE_STRING,
            "url": URI,
        }
    ),
    "DrugGroup": _obj(
        {
            "heading": {**STRING, "description": "Empty for drugs listed on their own."},
            "drugs": _array(_ref("Drug")),
        }
    ),
    "Reference": _obj(
        {
            "order": INTEGER,
            "authors": STRING,
            "title": STRING,
            "journal": STRING,
            "year": {"type": ["integer", "null"]},
            "month": STRING,
            "volume": STRING,
            "issue": STRING,
            "pages": STRING,
            "doi": NULLABLE_STRING,
            "pmid": NULLABLE_STRING,
            "url": NULLABLE_URI,
            "link": {**NULLABLE_URI, "description": "DOI, PubMed or URL link."},
            "citation": {**STRING, "description": "The citation in AMA style, plain text."},
        }
    ),
    "Organization": _obj(
        {
            "name": STRING,
            "url": NULLABLE_URI,
            "region": {"type": "string", "enum": ["US", "CA", "GB", "INT"]},
        }
    ),
    "Rendition": _obj({"width": INTEGER, "height": INTEGER, "url": URI}),
    "Figure": _obj(
        {
            "alt_text": STRING,
            "caption": STRING,
            "credit": STRING,
            "placement": {**NULLABLE_STRING, "description": "The section kind it follows."},
            "width": INTEGER,
            "height": INTEGER,
            "src": NULLABLE_URI,
            "renditions": _array(_ref("Rendition")),
        }
    ),
    "RelatedCondition": _obj({"slug": STRING, "title": STRING, "url": URI, "api_url": URI}),
    "LookupResult": _obj(
        {
            "query": _obj(
                {
                    "code": {
                        **NULLABLE_STRING,
                        "description": "The code asked for, normalized; null when none was.",
                    },
                    "system": {
                        "type": ["string", "null"],
                        "enum": ["icd10cm", "snomedct", None],
                        "description": "Null when neither a code nor a system was given.",
                    },
                    "system_oid": NULLABLE_STRING,
                    "language": {
                        **NULLABLE_STRING,
                        "description": "The language asked for with lang or "
                        f"{INFOBUTTON_LANGUAGE}, as given; null when neither was.",
                    },
                }
            ),
            "language": {
                **LANGUAGE,
                "description": "The language the answer is in where it can be: the one asked "
                "for when the library publishes in it, else English.",
            },
            "fallback": {
                "type": "boolean",
                "description": "True when some or all of the answer is not in the language "
                "asked for (each result says which).",
            },
            "matched_code": {
                **NULLABLE_STRING,
                "description": "The code the results carry: the one asked for, or for "
                "ICD-10-CM its nearest parent that has articles; null when nothing matched.",
            },
            "exact": {"type": "boolean"},
            "count": {**INTEGER, "minimum": 0},
            "results": _array(_ref("LookupEntry")),
        }
    ),
    "Error": _obj(
        {
            "error": {
                "type": "object",
                "properties": {
                    "status": INTEGER,
                    "code": STRING,
                    "message": STRING,
                    "parameter": {**STRING, "description": "The query parameter at fault."},
                    "translations": {
                        **_array(_ref("LanguageVersion")),
                        "description": "On a 404 for an article not published in the "
                        "language asked for: where it is published.",
                    },
                },
                "required": ["status", "code", "message"],
                "additionalProperties": False,
            }
        }
    ),
}

SCHEMAS["LookupEntry"] = _obj(
    {
        **SCHEMAS["ConditionSummary"]["properties"],
        "fallback": {
            "type": "boolean",
            "description": "True when this article is not published in the language asked "
            "for and is given in English instead.",
        },
    },
    "An article matching the code: its translation in the language asked for when it "
    "has one, else the English article.",
)

# The whole article: the summary's fields and its parts, nothing else.
SCHEMAS["Condition"] = _obj(
    {
        **SCHEMAS["ConditionSummary"]["properties"],
        "first_published_at": DATETIME,
        "review": _ref("Review"),
        "update_notes": _array(_ref("UpdateNote")),
        "codes": _array(_ref("MedicalCode")),
        "sections": _array(_ref("Section")),
        "urgent_help": _array(_ref("UrgentHelp")),
        "drug_groups": _array(_ref("DrugGroup")),
        "references": _array(_ref("Reference")),
        "organizations": _array(_ref("Organization")),
        "figures": _array(_ref("Figure")),
        "related": _array(_ref("RelatedCondition")),
        "readability": _ref("Readability"),
    },
    "A whole published article.",
)


def _error(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }


def _ok(description, schema, last_modified=False):
    headers = {
        "ETag": {"description": "Send back in If-None-Match.", "schema": STRING},
        "Content-Language": {
            "description": "The language of the answer (languages, comma separated, "
            "when a lookup falls back to English for some articles).",
            "schema": STRING,
        },
        "Vary": {"description": "Includes Accept-Language.", "schema": STRING},
    }
    if last_modified:
        headers["Last-Modified"] = {
            "description": "Send back in If-Modified-Since.",
            "schema": STRING,
        }
    return {
        "description": description,
        "headers": headers,
        "content": {"application/json": {"schema": schema}},
    }


FORMATS = ("date", "date-time")
CODE = {
    "type": "string",
    "pattern": CODE_PATTERN,
    "description": "ICD-10-CM, with or without its dot, or a SNOMED CT concept id.",
}
SYSTEM = {"type": "string", "enum": sorted([*codes.OID_OF, *codes.OIDS])}

NOT_MODIFIED = {"description": "Not modified since the ETag or date the client sent."}


def _param(name, description, schema, required=False):
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


LANG = _param(
    "lang",
    "The language of the articles: "
    + ", ".join(f"{code} ({name})" for code, name in settings.LANGUAGES)
    + ". Overrides Accept-Language; any other value is refused (400).",
    LANGUAGE,
)
ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "Used when lang is absent: the most preferred of the library's languages "
    "(q-values honoured, q=0 refused, * meaning English); English when none is listed.",
    "schema": {"type": "string"},
}


def document():
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "healthlib API",
            "version": "1.1.0",
            "description": "Read-only JSON access to the published health-library articles. "
            "Conditional requests (If-None-Match, If-Modified-Since) are answered 304.",
        },
        "servers": [{"url": settings.SITE_URL}],
        "paths": {
            "/api/conditions/": {
                "get": {
                    "operationId": "listConditions",
                    "summary": "Published articles, by title, a page at a time",
                    "parameters": [
                        _param(
                            "letter",
                            "Articles whose title starts with this letter; 0-9 for others.",
                            {"type": "string", "pattern": LETTER_PATTERN},
                        ),
                        _param(
                            "tag",
                            "A topic's slug; empty for any topic.",
                            {"type": "string", "pattern": TAG_PATTERN},
                        ),
                        _param(
                            "updated_since",
                            "ISO 8601 date or date-time (UTC when no offset is given).",
                            {"anyOf": [{"type": "string", "format": f} for f in FORMATS]},
                        ),
                        _param("page", "From 1.", {"type": "integer", "minimum": 1}),
                        _param(
                            "page_size",
                            f"Articles per page (default {DEFAULT_PAGE_SIZE}).",
                            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                        ),
                        LANG,
                        ACCEPT_LANGUAGE,
                    ],
                    "responses": {
                        "200": _ok(
                            "A page of the articles published in the language; articles "
                            "not translated into it are not listed.",
                            _ref("ConditionList"),
                        ),
                        "304": NOT_MODIFIED,
                        "400": _error("A parameter is malformed."),
                        "404": _error("The page is past the last one."),
                    },
                }
            },
            "/api/conditions/{slug}/": {
                "get": {
                    "operationId": "getCondition",
                    "summary": "One published article, whole",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "description": "The article's slug in the language asked for; "
                            "in another language, the English article's slug also finds "
                            "its translation.",
                            "schema": {"type": "string"},
                        },
                        LANG,
                        ACCEPT_LANGUAGE,
                    ],
                    "responses": {
                        "200": _ok("The article.", _ref("Condition"), last_modified=True),
                        "304": NOT_MODIFIED,
                        "400": _error("lang is not one of the library's languages."),
                        "404": _error(
                            "No published article has this slug in the language asked for. "
                            "When the slug is an article's in another language, the error lists "
                            'where it is published ("translations"): code "not_translated" when it '
                            "is not published in the language asked for (an English article not "
                            'translated yet), "not_found" when it is, under another slug.'
                        ),
                    },
                }
            },
            "/api/lookup/": {
                "get": {
                    "operationId": "lookupByCode",
                    "summary": "Articles for a medical code (HL7 infobutton style), in the "
                    "reader's language with English as the fallback",
                    "description": "ICD-10-CM codes without an exact match fall back to "
                    "their parent codes (G25.31 → G25.3 → G25). As an infobutton knowledge "
                    "resource it answers every well-formed request with the content that "
                    "fits, maybe none: without a code, or with a code its system cannot "
                    "hold, the answer has no results. When both a name and its infobutton "
                    "name are given, the first is used and both must be well-formed.",
                    "parameters": [
                        _param("code", "The code, e.g. G25.3.", CODE),
                        _param(
                            "system",
                            "icd10cm or snomedct (or their OIDs); guessed from the code "
                            "when absent.",
                            SYSTEM,
                        ),
                        _param("mainSearchCriteria.v.c", "Infobutton name for code.", CODE),
                        _param(
                            "mainSearchCriteria.v.cs",
                            "Infobutton name for the system: 2.16.840.1.113883.6.90 "
                            "(ICD-10-CM) or 2.16.840.1.113883.6.96 (SNOMED CT).",
                            SYSTEM,
                        ),
                        _param(
                            INFOBUTTON_LANGUAGE,
                            "Infobutton: the language of the person reading, as MedlinePlus "
                            "Connect takes it (es for Spanish; "
                            + ", ".join(
                                f"{k} for {v}" for k, v in INFOBUTTON_LANGUAGE_ALIASES.items()
                            )
                            + " is accepted too). Each article is given in it when it is "
                            "translated, else in English, and the answer says so (fallback). "
                            "Any well-formed language tag is accepted.",
                            {"type": "string", "pattern": INFOBUTTON_LANGUAGE_PATTERN},
                        ),
                        {
                            **LANG,
                            "description": f"As {INFOBUTTON_LANGUAGE}, but only one of "
                            "the library's languages (else 400); used first when both are given.",
                        },
                        ACCEPT_LANGUAGE,
                        _param(
                            "knowledgeResponseType",
                            "Only application/json (json for short).",
                            {"type": "string", "enum": list(KNOWLEDGE_RESPONSE_TYPES)},
                        ),
                    ],
                    "responses": {
                        "200": _ok("The matching articles (maybe none).", _ref("LookupResult")),
                        "304": NOT_MODIFIED,
                        "400": _error(
                            "The code, the system, the language or the response type is malformed."
                        ),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
