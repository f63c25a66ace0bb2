"""JSON API views: plain Django views returning ``JsonResponse``.

Every answer is JSON, errors included (``{"error": {...}}``). Successful
answers carry an ``ETag`` (a hash of the body) and, for single articles,
``Last-Modified``; a matching ``If-None-Match`` or ``If-Modified-Since``
gets 304 Not Modified.
"""

import datetime
import functools
import json
import re
from calendar import timegm

from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt

from conditions import selectors
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
    openapi,
    serializers,
)
from conditions.models import Condition, MedicalCode, codes
from conditions.pages.seo import absolute
from conditions.pages.translations import SOURCE_LANGUAGE, language_name
from healthlib.lib.errors import json_error
from healthlib.lib.http import body_etag, conditional

_OFFSET_LOST_PLUS = re.compile(r"(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$")


class ApiError(Exception):
    def __init__(self, status, code, message, parameter=None):
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter


error_response = json_error


def _matches(pattern, value):
    # ASCII: JSON Schema's (ECMA) \d and \w; fullmatch: no "$" before a newline.
    return re.fullmatch(pattern, value, re.ASCII) is not None


def api_view(view):
    """GET/HEAD only; ApiError → JSON error; conditional GET on the body.

    CSRF-exempt: the API reads nothing and changes nothing, and without the
    exemption the CSRF middleware answers any POST with an HTML 403 before
    the JSON 405 below can."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error_response(
                405, "method_not_allowed", f"{request.method} is not allowed here; use GET."
            )
            response["Allow"] = "GET, HEAD"
            return response
        try:
            response = view(request, *args, **kwargs)
        except ApiError as e:
            return error_response(e.status, e.code, e.message, e.parameter)
        response["Access-Control-Allow-Origin"] = "*"
        # Without ?lang= the answer's language comes from Accept-Language.
        patch_vary_headers(response, ["Accept-Encoding", "Accept-Language"])
        language = getattr(response, "language", None)
        if language:
            response["Content-Language"] = language
        # Clients may keep answers but must ask again; the ETag makes that cheap.
        patch_cache_control(response, public=True, no_cache=True)
        if response.status_code != 200:
            return response
        last_modified = getattr(response, "last_modified", None)
        return conditional(
            request,
            response,
            etag=body_etag(response.content),
            last_modified=timegm(last_modified.utctimetuple()) if last_modified else None,
        )

    return wrapper


def accepted_language(header):
    """The library's language the client prefers most in ``header`` (an
    Accept-Language value), q-values honoured; English when none fits.
    ``*`` stands for any language, so English at its q-value."""
    for code, quality in parse_accept_lang_header(header or ""):
        if quality <= 0:  # q=0: "not this one"
            continue
        if code == "*":
            return SOURCE_LANGUAGE
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return SOURCE_LANGUAGE


def _language(request):
    """The language asked for: ``lang`` (refused with 400 unless it is one
    of the library's), else Accept-Language."""
    raw = request.GET.get("lang")
    if raw is None:
        return accepted_language(request.headers.get("Accept-Language"))
    if raw not in LANGUAGES:
        raise ApiError(
            400,
            "unsupported_language",
            f"lang must be one of the library's languages: {', '.join(LANGUAGES)}.",
            "lang",
        )
    return raw


def with_source(queryset):
    """What the API says about a translation's source, in the same query."""
    return queryset.annotate(
        source_slug=F("translation_of__slug"), translated_from_at=F("translated_from__created_at")
    )


def _json(body, language, **kwargs):
    body = {"language": language, **body}
    response = JsonResponse(body, **kwargs)
    response.language = language
    return response


def _int(request, name, default, low, high=None):
    raw = request.GET.get(name)
    if raw is None:
        return default
    # An empty value is not a number either: the document says integer.
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses;
    # and int() refuses over 4,300 digits.
    if not _matches(r"[0-9]{1,4000}", raw) or int(raw) < low or high and int(raw) > high:
        limits = f"from {low} to {high}" if high else f"from {low}"
        raise ApiError(400, "invalid_parameter", f"{name} must be a whole number {limits}.", name)
    return int(raw)


def _updated_since(raw):
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
        raise ApiError(
            400,
            "invalid_parameter",
            "updated_since must be an ISO 8601 date or date-time, "
            "for example 2025-01-31 or 2025-01-31T08:00:00Z.",
            "updated_since",
        )
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


def _name_topics(conditions):
    """Name the (prefetched) topics of ``conditions`` in each one's language:
    one query per language other than English."""
    by_language = {}
    for condition in conditions:
        by_language.setdefault(condition.language, []).extend(condition.tags.all())
    for language, tags in by_language.items():
        selectors.with_topic_names(tags, language)


def _list_filters(request, language):
    qs = Condition.objects.live(language)
    letter = request.GET.get("letter")
    if letter is not None:
        if not _matches(LETTER_PATTERN, letter):
            raise ApiError(400, "invalid_parameter", "letter must be one of a–z or 0-9.", "letter")
        letter = letter.lower()
        if letter == "0-9":
            qs = qs.exclude(title__regex=r"^[A-Za-z]")
        else:
            qs = qs.filter(title__istartswith=letter)
    tag = request.GET.get("tag")
    if tag:
        if not _matches(TAG_PATTERN, tag):
            raise ApiError(
                400,
                "invalid_parameter",
                "tag must be a topic's slug: letters, digits, hyphens, for example nervous-system.",
                "tag",
            )
        qs = qs.filter(tags__slug=tag)
    since = request.GET.get("updated_since")
    if since is not None:
        qs = qs.filter(updated_at__gte=_updated_since(since))
    return qs


def _page_url(request, number):
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@api_view
def condition_list(request):
    language = _language(request)
    # Page through ids only (an index scan), then load that page's rows: a
    # deep OFFSET then skips index entries instead of whole rows. Articles
    # not published in the language are not listed.
    ids = _list_filters(request, language).order_by("title", "pk").values_list("pk", flat=True)
    size = _int(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    number = _int(request, "page", 1, 1)
    paginator = Paginator(ids, size)
    if number > paginator.num_pages:
        raise ApiError(
            404, "page_not_found", f"There are only {paginator.num_pages} page(s).", "page"
        )
    page = paginator.page(number)
    page_ids = list(page.object_list)
    rows = with_source(Condition.objects.filter(pk__in=page_ids)).prefetch_related("tags")
    rows = rows.in_bulk()
    _name_topics(rows.values())
    return _json(
        {
            "count": paginator.count,
            "page": number,
            "page_size": size,
            "num_pages": paginator.num_pages,
            "next": _page_url(request, number + 1) if page.has_next() else None,
            "previous": _page_url(request, number - 1) if page.has_previous() else None,
            "results": [serializers.condition_summary(rows[pk]) for pk in page_ids],
        },
        language,
    )


def _not_in_language(slug, language):
    """The 404 for ``slug`` in ``language``: naming the article in the
    languages it is published in when the slug is one of its addresses
    (an English-only article asked for in Spanish)."""
    other = (
        Condition.objects.live(language=None)
        .filter(slug=slug)
        .only("title", "slug", "language", "language_versions")
        .order_by("language")
        .first()
    )
    if other is None:
        return error_response(404, "not_found", f"No published article at /conditions/{slug}/.")
    # Never in ``language`` (it would have been found): itself, then its others.
    versions = [
        {
            "language": other.language,
            "url": absolute(other.get_absolute_url()),
            "api_url": serializers.api_url(other.slug, other.language),
        },
        *serializers.language_versions(other),
    ]
    asked = next((v for v in versions if v["language"] == language), None)
    if asked is not None:
        # Published in the language asked for, under its own slug there.
        response = error_response(
            404,
            "not_found",
            f"/conditions/{slug}/ is the {language_name(other.language)} article "
            f"“{other.title}”; in {language_name(language)} it is at {asked['api_url']}.",
        )
    else:
        where = ", ".join(f"in {language_name(v['language'])} at {v['api_url']}" for v in versions)
        response = error_response(
            404,
            "not_translated",
            f"“{other.title}” is not published in {language_name(language)}; read it {where}.",
        )
    body = json.loads(response.content)
    body["error"]["translations"] = versions
    return JsonResponse(body, status=404)


@api_view
def condition_detail(request, slug):
    language = _language(request)
    found = with_source(Condition.objects.live(language))
    # The article's address in its own language, or (a client that knows
    # the English article) its source's address.
    condition = found.filter(slug=slug).first()
    if condition is None and language != SOURCE_LANGUAGE:
        condition = found.filter(translation_of__live_copy__slug=slug).first()
    if condition is None:
        return _not_in_language(slug, language)
    with translation.override(language):
        page = selectors.article_page(condition, with_markdown=True)
        levels = selectors.reading_levels(condition, page.sections)
        response = _json(serializers.condition_detail(page, levels), language)
    # Drug and organization records are shared: renaming one changes this too.
    response.last_modified = max(
        [
            condition.updated_at,
            *(d.updated_at for g in page.drug_groups for d in g.drugs),
            *(o.updated_at for _, orgs in page.organizations_by_region for o in orgs),
        ]
    )
    return response


SYSTEM_NAMES = ("system", "mainSearchCriteria.v.cs")
CODE_NAMES = ("code", "mainSearchCriteria.v.c")


def _lookup_system(request):
    """The first system given, each given one checked; None when absent."""
    found = None
    for name in SYSTEM_NAMES:
        raw = request.GET.get(name)
        if raw is None:
            continue
        system = codes.OIDS.get(raw) or (raw if raw in codes.OID_OF else None)
        if system is None:
            raise ApiError(
                400,
                "invalid_parameter",
                "The code system must be icd10cm or snomedct, or the OID "
                "2.16.840.1.113883.6.90 (ICD-10-CM) or 2.16.840.1.113883.6.96 (SNOMED CT).",
                name,
            )
        found = found or system
    return found


def _lookup_code(request):
    """The first non-empty code given, each given one checked; "" when none."""
    found = ""
    for name in CODE_NAMES:
        raw = request.GET.get(name)
        if raw is None:
            continue
        if not _matches(CODE_PATTERN, raw):
            raise ApiError(
                400,
                "invalid_parameter",
                "The code must be an ICD-10-CM code (for example G25.3) or a SNOMED CT "
                "concept id (for example 17450006).",
                name,
            )
        found = found or raw
    return found


def _lookup_language(request):
    """(language answered in, the language wanted, the tag asked for or
    None); the wanted one is not the library's when the tag names another. ``lang`` is one of
    the library's languages or refused; the infobutton's language code is
    any well-formed tag, and one the library is not published in is
    answered in English, as MedlinePlus Connect does. Without either,
    Accept-Language."""
    found = None
    lang = request.GET.get("lang")
    if lang is not None:
        found = (_language(request), lang, lang)
    raw = request.GET.get(INFOBUTTON_LANGUAGE)
    if raw is not None:
        if not _matches(INFOBUTTON_LANGUAGE_PATTERN, raw):
            raise ApiError(
                400,
                "invalid_parameter",
                f"{INFOBUTTON_LANGUAGE} must be a language code, for example es or en.",
                INFOBUTTON_LANGUAGE,
            )
        code = raw.lower().replace("_", "-")
        code = INFOBUTTON_LANGUAGE_ALIASES.get(code, code)
        try:
            supported = translation.get_supported_language_variant(code)
            found = found or (supported, supported, raw)
        except LookupError:
            found = found or (SOURCE_LANGUAGE, code, raw)
    if found is None:
        language = accepted_language(request.headers.get("Accept-Language"))
        found = (language, language, None)
    return found


def _lookup_answer(code, system, matched_code, results, languages):
    language, wanted, asked = languages
    entries = [
        {**serializers.condition_summary(c), "fallback": c.language != wanted} for c in results
    ]
    response = JsonResponse(
        {
            "query": {
                "code": code,
                "system": system,
                "system_oid": codes.OID_OF.get(system),
                "language": asked,
            },
            "language": language,
            "fallback": wanted != language or any(e["fallback"] for e in entries),
            "matched_code": matched_code,
            "exact": matched_code is not None and matched_code == code,
            "count": len(entries),
            "results": entries,
        }
    )
    response.language = ", ".join(dict.fromkeys([language, *(c.language for c in results)]))
    return response


def _in_language(english, language):
    """Each of the ``english`` live copies' ids in ``language`` where it is
    published in it, else in English: one query, tags prefetched. Codes are
    kept on English articles only; their translations are found through them."""
    rows = Condition.objects.filter(pk__in=english)
    if language != SOURCE_LANGUAGE:
        rows = Condition.objects.filter(
            Q(pk__in=english)
            | Q(is_live=True, language=language, translation_of__live_copy__in=english)
        )
    rows = list(with_source(rows).prefetch_related("tags"))
    _name_topics(rows)
    by_source = {c.source_id: c for c in rows if c.language == SOURCE_LANGUAGE}
    chosen = {c.translation_of_id: c for c in rows if c.language == language}
    results = [chosen.get(source_id, c) for source_id, c in by_source.items()]
    return sorted(results, key=lambda c: (c.title, c.pk))


@api_view
def lookup(request):
    # An infobutton knowledge request is answered with whatever content fits,
    # an empty answer when none does: a request without a code, or with a
    # code its system cannot hold, gets 200 and no results, as the document
    # says. Only malformed parameters are refused (400).
    response_type = request.GET.get("knowledgeResponseType")
    if response_type is not None and response_type not in KNOWLEDGE_RESPONSE_TYPES:
        raise ApiError(
            400,
            "unsupported_response_type",
            "Only knowledgeResponseType=application/json is supported.",
            "knowledgeResponseType",
        )
    raw_code = _lookup_code(request)
    system = _lookup_system(request)
    languages = _lookup_language(request)
    language = languages[0]
    if not raw_code:
        return _lookup_answer(None, system, None, [], languages)
    if system is None:
        # The two formats cannot be confused: SNOMED CT ids are all digits.
        system = codes.SNOMEDCT if raw_code.isdigit() else codes.ICD10CM
    code = codes.normalize(system, raw_code)
    if not codes.is_valid(system, code):
        return _lookup_answer(code, system, None, [], languages)

    candidates = codes.icd10cm_ancestors(code) if system == codes.ICD10CM else [code]
    matched = (
        MedicalCode.objects.filter(system=system, code__in=candidates, condition__is_live=True)
        .values_list("code", "condition_id")
        .order_by("condition_id")
    )
    by_code = {}
    for found, condition_id in matched:
        by_code.setdefault(found, []).append(condition_id)
    matched_code = next((c for c in candidates if c in by_code), None)
    results = []
    if matched_code is not None:
        with translation.override(language):
            results = _in_language(by_code[matched_code], language)
    return _lookup_answer(code, system, matched_code, results, languages)


@api_view
def openapi_document(request):
    return JsonResponse(openapi.document(), json_dumps_params={"indent": 2})


@api_view
def not_found(request, path=""):
    raise ApiError(404, "not_found", f"There is no API endpoint at /api/{path}.")
