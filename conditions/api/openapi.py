"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

The schemas list every field the serializers write and forbid any other
(``additionalProperties: false``), and the tests validate real responses
against them, so this document cannot drift from the API unnoticed.
"""

from django.conf import settings

from .. import codes
from . import (
    CODE_PATTERN,
    DEFAULT_PAGE_SIZE,
    KNOWLEDGE_RESPONSE_TYPES,
    LETTER_PATTERN,
    MAX_PAGE_SIZE,
    TAG_PATTERN,
)


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

SCHEMAS = {
    "Tag": _obj({"name": STRING, "slug": STRING}),
    "ConditionSummary": _obj(
        {
            "slug": STRING,
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
        },
        "A published article, as listed.",
    ),
    "ConditionList": _obj(
        {
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
    "Readability": _obj(
        {
            "flesch_kincaid_grade": {
                "type": "number",
                "description": "Flesch–Kincaid grade level (textstat) of the text readers see.",
            },
            "smog": {"type": "number", "description": "SMOG index (textstat)."},
            "words": {**INTEGER, "minimum": 0},
        },
        "How hard the text is to read, computed when the revision was saved: "
        "headings and list items count as sentences, links as their words.",
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
                }
            ),
            "matched_code": {
                **NULLABLE_STRING,
                "description": "The code the results carry: the one asked for, or for "
                "ICD-10-CM its nearest parent that has articles; null when nothing matched.",
            },
            "exact": {"type": "boolean"},
            "count": {**INTEGER, "minimum": 0},
            "results": _array(_ref("ConditionSummary")),
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
                },
                "required": ["status", "code", "message"],
                "additionalProperties": False,
            }
        }
    ),
}

# The whole article: the summary's fields and its parts, nothing else.
SCHEMAS["Condition"] = _obj(
    {
        **SCHEMAS["ConditionSummary"]["properties"],
        "first_published_at": DATETIME,
        "review": _ref("Review"),
        "update_notes": _array(_ref("UpdateNote")),
        "codes": _array(_ref("MedicalCode")),
        "sections": _array(_ref("Section")),
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


def document():
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "healthlib API",
            "version": "1.0.0",
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
                    ],
                    "responses": {
                        "200": _ok("A page of articles.", _ref("ConditionList")),
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
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _ok("The article.", _ref("Condition"), last_modified=True),
                        "304": NOT_MODIFIED,
                        "404": _error("No published article has this slug."),
                    },
                }
            },
            "/api/lookup/": {
                "get": {
                    "operationId": "lookupByCode",
                    "summary": "Articles for a medical code (HL7 infobutton style)",
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
                            "knowledgeResponseType",
                            "Only application/json (json for short).",
                            {"type": "string", "enum": list(KNOWLEDGE_RESPONSE_TYPES)},
                        ),
                    ],
                    "responses": {
                        "200": _ok("The matching articles (maybe none).", _ref("LookupResult")),
                        "304": NOT_MODIFIED,
                        "400": _error("The code, the system or the response type is malformed."),
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
