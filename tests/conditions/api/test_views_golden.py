"""The API's answers, byte for byte: every endpoint on the demo library
(the seed's Myoclonus and its Spanish translation, plus two small articles
so that lists page and filter), with the parameter combinations clients
send and the errors they get, compared with the recorded answers in
``api_golden/``: the status, the body's exact bytes and the headers the
API sets.

The answers are a contract (DESIGN.md), so a difference here is a change
clients see. When one is meant (new content in the demo, a new field),
record the answers again and read the diff before committing::

    HEALTHLIB_RECORD_API_GOLDEN=1 .venv/bin/python -m pytest -n0 \
        tests/conditions/api/test_views_golden.py
"""

import os

import pytest
from django.test import Client
from freezegun import freeze_time

# The API's schemas are built before a clock is frozen (pydantic refuses
# freezegun's datetime class).
import conditions.api.urls  # noqa: F401, E402
from tests import factories, paths
from tests.conditions.api import golden_infobutton

pytestmark = pytest.mark.django_db

GOLDEN = paths.API_GOLDEN
RECORD = bool(os.environ.get("HEALTHLIB_RECORD_API_GOLDEN"))

# The headers the API decides (the site-wide security headers are tested
# elsewhere): their values are compared exactly, and their presence too.
HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Cache-Control",
    "ETag",
    "Last-Modified",
    "Access-Control-Allow-Origin",
    "Allow",
)

ES_MX = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.8"}
# Microseconds too: dates are written with them.
NOW = "2025-03-14T09:30:00.123456Z"

# name: (method, path, query, request headers). A query is a list of pairs
# (a name may repeat) or a raw string sent as it is.
CASES = {
    # The list.
    "list": ("GET", "/api/conditions/", [], {}),
    "list-head": ("HEAD", "/api/conditions/", [], {}),
    "list-es": ("GET", "/api/conditions/", [("lang", "es")], {}),
    "list-lang-en-over-accept-es": ("GET", "/api/conditions/", [("lang", "en")], ES_MX),
    "list-accept-es": ("GET", "/api/conditions/", [], ES_MX),
    "list-accept-star": ("GET", "/api/conditions/", [], {"Accept-Language": "de, *;q=0.5"}),
    "list-accept-es-q0": ("GET", "/api/conditions/", [], {"Accept-Language": "es;q=0, fr"}),
    "list-page-size-1": ("GET", "/api/conditions/", [("page_size", "1")], {}),
    "list-page-2": ("GET", "/api/conditions/", [("page_size", "1"), ("page", "2")], {}),
    "list-page-3": ("GET", "/api/conditions/", "page=3&page_size=1&letter=", {}),
    "list-page-leading-zeros": ("GET", "/api/conditions/", "page=0002&page_size=01", {}),
    "list-page-repeated": ("GET", "/api/conditions/", "page=9&page=1&page_size=2", {}),
    "list-page-size-100": ("GET", "/api/conditions/", [("page_size", "100")], {}),
    "list-other-parameters": ("GET", "/api/conditions/", "foo=bar&format=xml", {}),
    "list-letter-m": ("GET", "/api/conditions/", [("letter", "m")], {}),
    "list-letter-M": ("GET", "/api/conditions/", [("letter", "M")], {}),
    "list-letter-0-9": ("GET", "/api/conditions/", [("letter", "0-9")], {}),
    "list-letter-m-es": ("GET", "/api/conditions/", [("letter", "m"), ("lang", "es")], {}),
    "list-tag": ("GET", "/api/conditions/", [("tag", "nervous-system")], {}),
    "list-tag-es": ("GET", "/api/conditions/", [("tag", "nervous-system"), ("lang", "es")], {}),
    "list-tag-empty": ("GET", "/api/conditions/", [("tag", "")], {}),
    "list-tag-unknown": ("GET", "/api/conditions/", [("tag", "no-such-topic")], {}),
    "list-tag-and-letter": ("GET", "/api/conditions/", [("tag", "lungs"), ("letter", "a")], {}),
    "list-since-date": ("GET", "/api/conditions/", [("updated_since", "2025-03-14")], {}),
    "list-since-later": ("GET", "/api/conditions/", [("updated_since", "2025-03-15")], {}),
    "list-since-z": ("GET", "/api/conditions/", [("updated_since", "2025-03-14T09:30:00Z")], {}),
    "list-since-offset": (
        "GET",
        "/api/conditions/",
        [("updated_since", "2025-03-14T10:30:01+01:00")],
        {},
    ),
    # "+00:00" sent without URL-encoding arrives as " 00:00".
    "list-since-lost-plus": (
        "GET",
        "/api/conditions/",
        "updated_since=2025-03-14T09:00:00+00:00",
        {},
    ),
    "list-since-naive": ("GET", "/api/conditions/", [("updated_since", "2025-03-14T09:29")], {}),
    "list-since-spaces": ("GET", "/api/conditions/", [("updated_since", " 2025-03-14 ")], {}),
    "list-since-year-1": (
        "GET",
        "/api/conditions/",
        [("updated_since", "0001-01-01T00:00:00+05:00")],
        {},
    ),
    "list-since-year-9999": (
        "GET",
        "/api/conditions/",
        [("updated_since", "9999-12-31T23:59:59-05:00")],
        {},
    ),
    "list-since-with-page": (
        "GET",
        "/api/conditions/",
        [("updated_since", "2025-01-01"), ("page_size", "1"), ("page", "2"), ("lang", "en")],
        {},
    ),
    # The list's refusals.
    "list-page-0": ("GET", "/api/conditions/", [("page", "0")], {}),
    "list-page-two": ("GET", "/api/conditions/", [("page", "two")], {}),
    "list-page-empty": ("GET", "/api/conditions/", [("page", "")], {}),
    "list-page-plus": ("GET", "/api/conditions/", "page=%2B1", {}),
    "list-page-space": ("GET", "/api/conditions/", "page=%201", {}),
    "list-page-superscript": ("GET", "/api/conditions/", [("page", "²")], {}),
    "list-page-arabic": ("GET", "/api/conditions/", [("page", "١")], {}),
    "list-page-float": ("GET", "/api/conditions/", [("page", "1.0")], {}),
    "list-page-huge": ("GET", "/api/conditions/", [("page", "9" * 5000)], {}),
    "list-page-past-the-end": ("GET", "/api/conditions/", [("page", "4")], {}),
    "list-page-past-the-end-es": ("GET", "/api/conditions/", [("page", "2"), ("lang", "es")], {}),
    "list-page-very-far": ("GET", "/api/conditions/", [("page", "9" * 40)], {}),
    "list-page-size-0": ("GET", "/api/conditions/", [("page_size", "0")], {}),
    "list-page-size-101": ("GET", "/api/conditions/", [("page_size", "101")], {}),
    "list-page-size-negative": ("GET", "/api/conditions/", [("page_size", "-1")], {}),
    "list-page-size-superscript": ("GET", "/api/conditions/", [("page_size", "³")], {}),
    "list-letter-mm": ("GET", "/api/conditions/", [("letter", "mm")], {}),
    "list-letter-lt": ("GET", "/api/conditions/", [("letter", "<")], {}),
    "list-letter-empty": ("GET", "/api/conditions/", [("letter", "")], {}),
    "list-letter-newline": ("GET", "/api/conditions/", [("letter", "m\n")], {}),
    "list-letter-accented": ("GET", "/api/conditions/", [("letter", "é")], {}),
    "list-tag-spaces": ("GET", "/api/conditions/", [("tag", "no spaces!")], {}),
    "list-tag-unicode": ("GET", "/api/conditions/", [("tag", "sistema-nervioso-ñ")], {}),
    "list-since-word": ("GET", "/api/conditions/", [("updated_since", "yesterday")], {}),
    "list-since-bad-date": ("GET", "/api/conditions/", [("updated_since", "2025-13-45")], {}),
    "list-since-empty": ("GET", "/api/conditions/", [("updated_since", "")], {}),
    "list-lang-fr": ("GET", "/api/conditions/", [("lang", "fr")], {}),
    "list-lang-ES": ("GET", "/api/conditions/", [("lang", "ES")], {}),
    "list-lang-es-MX": ("GET", "/api/conditions/", [("lang", "es-MX")], {}),
    "list-lang-empty": ("GET", "/api/conditions/", [("lang", "")], {}),
    "list-lang-espanol": ("GET", "/api/conditions/", [("lang", "español")], {}),
    # Several faults: the first in the order the API checks them is named.
    "list-faults-lang-page": ("GET", "/api/conditions/", [("page", "0"), ("lang", "fr")], {}),
    "list-faults-letter-tag": (
        "GET",
        "/api/conditions/",
        [("tag", "a b"), ("letter", "mm"), ("updated_since", "x")],
        {},
    ),
    "list-faults-tag-since": (
        "GET",
        "/api/conditions/",
        [("updated_since", "x"), ("tag", "a b")],
        {},
    ),
    "list-faults-since-page": (
        "GET",
        "/api/conditions/",
        [("page", "0"), ("updated_since", "x")],
        {},
    ),
    "list-faults-page-size": ("GET", "/api/conditions/", [("page", "0"), ("page_size", "0")], {}),
    "list-faults-past-end-and-size": (
        "GET",
        "/api/conditions/",
        [("page", "99"), ("page_size", "0")],
        {},
    ),
    # One article.
    "detail": ("GET", "/api/conditions/myoclonus/", [], {}),
    "detail-head": ("HEAD", "/api/conditions/myoclonus/", [], {}),
    "detail-lang-en": ("GET", "/api/conditions/myoclonus/", [("lang", "en")], {}),
    "detail-es": ("GET", "/api/conditions/mioclonia/", [("lang", "es")], {}),
    "detail-es-by-english-slug": ("GET", "/api/conditions/myoclonus/", [("lang", "es")], {}),
    "detail-es-by-accept-language": ("GET", "/api/conditions/mioclonia/", [], ES_MX),
    "detail-english-only": ("GET", "/api/conditions/asthma/", [], {}),
    "detail-extra-parameters": ("GET", "/api/conditions/myoclonus/", "page=0&letter=mm", {}),
    # Its refusals.
    "detail-spanish-slug-in-english": ("GET", "/api/conditions/mioclonia/", [], {}),
    "detail-not-translated": ("GET", "/api/conditions/asthma/", [("lang", "es")], {}),
    "detail-not-translated-accept": ("GET", "/api/conditions/asthma/", [], ES_MX),
    "detail-unknown": ("GET", "/api/conditions/nothing-here/", [], {}),
    "detail-unknown-es": ("GET", "/api/conditions/nothing-here/", [("lang", "es")], {}),
    "detail-lang-fr": ("GET", "/api/conditions/myoclonus/", [("lang", "fr")], {}),
    "detail-lang-fr-unknown": ("GET", "/api/conditions/nothing/", [("lang", "fr")], {}),
    "detail-lang-empty": ("GET", "/api/conditions/myoclonus/", [("lang", "")], {}),
    "detail-unicode-slug": ("GET", "/api/conditions/mioclon%C3%ADa/", [], {}),
    "detail-uppercase-slug": ("GET", "/api/conditions/Myoclonus/", [], {}),
    # Look-ups.
    "lookup-icd10cm": ("GET", "/api/lookup/", [("code", "G25.3"), ("system", "icd10cm")], {}),
    "lookup-head": ("HEAD", "/api/lookup/", [("code", "G25.3")], {}),
    "lookup-guessed-system": ("GET", "/api/lookup/", [("code", "g253")], {}),
    "lookup-parent": ("GET", "/api/lookup/", [("code", "G25.31"), ("system", "icd10cm")], {}),
    "lookup-oid": (
        "GET",
        "/api/lookup/",
        [("code", "G25.3"), ("system", "2.16.840.1.113883.6.90")],
        {},
    ),
    "lookup-snomed": ("GET", "/api/lookup/", [("code", "195967001")], {}),
    "lookup-snomed-system": (
        "GET",
        "/api/lookup/",
        [("code", "195967001"), ("system", "snomedct")],
        {},
    ),
    "lookup-snomed-unknown": ("GET", "/api/lookup/", [("code", "174500061")], {}),
    "lookup-infobutton": (
        "GET",
        "/api/lookup/",
        [
            ("mainSearchCriteria.v.c", "G25.31"),
            ("mainSearchCriteria.v.cs", "2.16.840.1.113883.6.90"),
            ("mainSearchCriteria.v.dn", "Myoclonus, unspecified"),
            ("informationRecipient", "PAT"),
            ("knowledgeResponseType", "application/json"),
        ],
        {},
    ),
    "lookup-infobutton-json": (
        "GET",
        "/api/lookup/",
        [("mainSearchCriteria.v.c", "G25.3"), ("knowledgeResponseType", "json")],
        {},
    ),
    "lookup-infobutton-es": (
        "GET",
        "/api/lookup/",
        [("mainSearchCriteria.v.c", "G25.3"), ("informationRecipient.languageCode.c", "es")],
        {},
    ),
    "lookup-infobutton-sp": (
        "GET",
        "/api/lookup/",
        [("code", "G25.3"), ("informationRecipient.languageCode.c", "sp")],
        {},
    ),
    "lookup-infobutton-es-MX": (
        "GET",
        "/api/lookup/",
        [("code", "G25.3"), ("informationRecipient.languageCode.c", "es_MX")],
        {},
    ),
    "lookup-infobutton-fr": (
        "GET",
        "/api/lookup/",
        [("code", "G25.3"), ("informationRecipient.languageCode.c", "fr")],
        {},
    ),
    "lookup-infobutton-fr-no-code": (
        "GET",
        "/api/lookup/",
        [("informationRecipient.languageCode.c", "fr")],
        {},
    ),
    "lookup-lang-es": ("GET", "/api/lookup/", [("code", "G25.3"), ("lang", "es")], {}),
    "lookup-lang-es-fallback": (
        "GET",
        "/api/lookup/",
        [("code", "J45"), ("system", "icd10cm"), ("lang", "es")],
        {},
    ),
    "lookup-lang-over-infobutton": (
        "GET",
        "/api/lookup/",
        [("code", "G25.3"), ("lang", "en"), ("informationRecipient.languageCode.c", "es")],
        {},
    ),
    "lookup-accept-es": ("GET", "/api/lookup/", [("code", "G25.3")], ES_MX),
    "lookup-both-codes": (
        "GET",
        "/api/lookup/",
        [("code", ""), ("mainSearchCriteria.v.c", "G25.3"), ("system", "icd10cm")],
        {},
    ),
    "lookup-both-systems": (
        "GET",
        "/api/lookup/",
        [("code", "G25.3"), ("system", "icd10cm"), ("mainSearchCriteria.v.cs", "snomedct")],
        {},
    ),
    "lookup-nothing": ("GET", "/api/lookup/", [], {}),
    "lookup-empty-code": ("GET", "/api/lookup/", [("code", "")], {}),
    "lookup-system-only": ("GET", "/api/lookup/", [("system", "icd10cm")], {}),
    "lookup-code-system-cannot-hold": (
        "GET",
        "/api/lookup/",
        [("code", "G25.3"), ("system", "snomedct")],
        {},
    ),
    "lookup-no-match": ("GET", "/api/lookup/", [("code", "Z99.89")], {}),
    # Its refusals.
    "lookup-system-loinc": ("GET", "/api/lookup/", [("code", "G25.3"), ("system", "loinc")], {}),
    "lookup-snomed-too-short": (
        "GET",
        "/api/lookup/",
        [("code", "12"), ("system", "snomedct")],
        {},
    ),
    "lookup-code-too-long": ("GET", "/api/lookup/", [("code", "G25.3.1")], {}),
    "lookup-code-space": ("GET", "/api/lookup/", [("code", " G25.3")], {}),
    "lookup-code-markup": ("GET", "/api/lookup/", [("code", "<script>")], {}),
    "lookup-infobutton-code-markup": (
        "GET",
        "/api/lookup/",
        [("code", "G25.3"), ("mainSearchCriteria.v.c", "<b>")],
        {},
    ),
    "lookup-infobutton-system-bad": (
        "GET",
        "/api/lookup/",
        [("system", "icd10cm"), ("mainSearchCriteria.v.cs", "1.2.3")],
        {},
    ),
    "lookup-response-type-xml": (
        "GET",
        "/api/lookup/",
        [("code", "G25.3"), ("knowledgeResponseType", "text/xml")],
        {},
    ),
    "lookup-response-type-empty": ("GET", "/api/lookup/", [("knowledgeResponseType", "")], {}),
    "lookup-language-bad": (
        "GET",
        "/api/lookup/",
        [("code", "G25.3"), ("informationRecipient.languageCode.c", "1")],
        {},
    ),
    "lookup-lang-fr": ("GET", "/api/lookup/", [("code", "G25.3"), ("lang", "fr")], {}),
    "lookup-faults-order": (
        "GET",
        "/api/lookup/",
        [
            ("informationRecipient.languageCode.c", "1"),
            ("lang", "fr"),
            ("mainSearchCriteria.v.cs", "x"),
            ("system", "y"),
            ("mainSearchCriteria.v.c", "<"),
            ("code", "<"),
            ("knowledgeResponseType", "text/xml"),
        ],
        {},
    ),
    "lookup-faults-code-system": (
        "GET",
        "/api/lookup/",
        [("system", "y"), ("mainSearchCriteria.v.c", "<"), ("lang", "fr")],
        {},
    ),
    "lookup-faults-system-language": (
        "GET",
        "/api/lookup/",
        [("informationRecipient.languageCode.c", "1"), ("mainSearchCriteria.v.cs", "x")],
        {},
    ),
    "lookup-faults-lang-infobutton": (
        "GET",
        "/api/lookup/",
        [("informationRecipient.languageCode.c", "1"), ("lang", "fr")],
        {},
    ),
    # Addresses the API does not have, and methods it does not take.
    "unknown": ("GET", "/api/nothing/", [], {}),
    "unknown-root": ("GET", "/api/", [], {}),
    "unknown-no-slash": ("GET", "/api/conditions", [], {}),
    "unknown-detail-no-slash": ("GET", "/api/conditions/myoclonus", [], {}),
    "unknown-lookup-no-slash": ("GET", "/api/lookup", [("code", "G25.3")], {}),
    "unknown-deeper": ("GET", "/api/conditions/myoclonus/sections/", [], {}),
    "unknown-newline": ("GET", "/api/conditions/a%0A/", [], {}),
    "unknown-newline-root": ("GET", "/api/%0A/x", [], {}),
    "unknown-nul": ("GET", "/api/conditions/%00/", [], {}),
    "unknown-head": ("HEAD", "/api/nothing/", [], {}),
    "post-list": ("POST", "/api/conditions/", [], {}),
    "put-list": ("PUT", "/api/conditions/", [], {}),
    "patch-detail": ("PATCH", "/api/conditions/myoclonus/", [], {}),
    "delete-detail": ("DELETE", "/api/conditions/myoclonus/", [], {}),
    "post-lookup": ("POST", "/api/lookup/", [("code", "G25.3")], {}),
    "options-list": (
        "OPTIONS",
        "/api/conditions/",
        [],
        {"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    ),
    "options-detail": ("OPTIONS", "/api/conditions/myoclonus/", [], {}),
    "trace-lookup": ("TRACE", "/api/lookup/", [], {}),
    "propfind-list": ("PROPFIND", "/api/conditions/", [], {}),
    "unregistered-method-detail": ("BREW", "/api/conditions/myoclonus/", [], {}),
    "post-unknown": ("POST", "/api/nothing/", [], {}),
    "post-openapi": ("POST", "/api/openapi.json", [], {}),
    "delete-bad-parameters": ("DELETE", "/api/conditions/", [("page", "0")], {}),
}

CASES |= golden_infobutton.CASES
# Conditional requests: the validators of the first answer sent back.
CONDITIONAL = {
    "list-if-none-match": ("/api/conditions/", [("lang", "es")], ("ETag", "If-None-Match")),
    "detail-if-none-match": ("/api/conditions/myoclonus/", [], ("ETag", "If-None-Match")),
    "detail-if-modified-since": (
        "/api/conditions/mioclonia/",
        [("lang", "es")],
        ("Last-Modified", "If-Modified-Since"),
    ),
    "lookup-if-none-match": ("/api/lookup/", [("code", "G25.3")], ("ETag", "If-None-Match")),
}
CONDITIONAL |= golden_infobutton.CONDITIONAL


@pytest.fixture
def library(settings, load_demo):
    """The demo library, loaded at a fixed time so that every date in the
    answers is the same on every run; and two articles more."""
    settings.DEBUG = False
    with freeze_time(NOW):
        load_demo(frozen_at=NOW)
        factories.article(
            "Asthma",
            tags=("Lungs",),
            sections=2,
            references=1,
            organizations=1,
            codes=[("icd10cm", "J45"), ("snomedct", "195967001")],
        )
        factories.article("5-HTP deficiency", tags=("Nervous system",), sections=1, groups=0)


def _request(client, method, path, query, headers):
    if isinstance(query, str):
        qs = query
    else:
        from urllib.parse import urlencode

        qs = urlencode(query)
    url = f"{path}?{qs}" if qs else path
    return client.generic(method, url, headers=headers)


def _record(response):
    lines = [f"{response.status_code}"]
    for name in HEADERS:
        if response.has_header(name):
            lines.append(f"{name}: {response[name]}")
    return ("\n".join(lines) + "\n\n").encode() + response.content


def _differs(name, recorded):
    """None when ``recorded`` is the recorded answer ``name``, else what differs."""
    path = GOLDEN / f"{name}.http"
    if RECORD:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(recorded)
        return None
    if not path.exists():
        return f"{name}: nothing recorded (HEALTHLIB_RECORD_API_GOLDEN=1 records it)"
    expected = path.read_bytes()
    if recorded == expected:
        return None
    head, _, body = expected.partition(b"\n\n")
    got_head, _, got_body = recorded.partition(b"\n\n")
    if got_head != head:
        return f"{name}: status or headers\n  recorded: {head!r}\n  now:      {got_head!r}"
    at = next(
        (i for i, (a, b) in enumerate(zip(body, got_body, strict=False)) if a != b),
        min(len(body), len(got_body)),
    )
    around = slice(max(at - 60, 0), at + 60)
    return (
        f"{name}: body differs at byte {at}\n  recorded: {body[around]!r}\n"
        f"  now:      {got_body[around]!r}"
    )


def test_every_answer_is_byte_for_byte_the_recorded_one(library):
    client = Client(raise_request_exception=False)
    differences = []
    with freeze_time(NOW):
        for name, (method, path, query, headers) in CASES.items():
            response = _request(client, method, path, query, headers)
            differences.append(_differs(name, _record(response)))
        for name, (path, query, (validator, header)) in CONDITIONAL.items():
            first = _request(client, "GET", path, query, {})
            assert first.status_code == 200, name
            again = _request(client, "GET", path, query, {header: first[validator]})
            differences.append(_differs(name, _record(again)))
    differences = [d for d in differences if d]
    assert not differences, f"{len(differences)} answers changed:\n" + "\n".join(differences)


def test_the_recorded_answers_are_all_in_use():
    """No recorded answer is left over from a case since removed."""
    names = set(CASES) | set(CONDITIONAL)
    assert {p.stem for p in GOLDEN.glob("*.http")} == names


def test_the_openapi_document_is_json_with_the_apis_headers(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, no-cache"
    assert response["Vary"] == "Accept-Encoding, Accept-Language"
    assert response["ETag"].startswith('"')
    again = client.get("/api/openapi.json", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
