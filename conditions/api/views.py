"""JSON API views: plain Django views returning ``JsonResponse``.

Every answer is JSON, errors included (``{"error": {...}}``). Successful
answers carry an ``ETag`` (a hash of the body) and, for single articles,
``Last-Modified``; a matching ``If-None-Match`` or ``If-Modified-Since``
gets 304 Not Modified.
"""

import datetime
import functools
import hashlib
import re
from calendar import timegm

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date

from .. import codes, selectors
from ..models import Condition, MedicalCode
from . import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, openapi, serializers

_TAG_SLUG = re.compile(r"^[-\w]{1,100}$")
_OFFSET_LOST_PLUS = re.compile(r"(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$")


class ApiError(Exception):
    def __init__(self, status, code, message, parameter=None):
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter


def error_response(status, code, message, parameter=None):
    error = {"status": status, "code": code, "message": message}
    if parameter is not None:
        error["parameter"] = parameter
    return JsonResponse({"error": error}, status=status)


def api_view(view):
    """GET/HEAD only; ApiError → JSON error; conditional GET on the body."""

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
        patch_vary_headers(response, ["Accept-Encoding"])
        # Clients may keep answers but must ask again; the ETag makes that cheap.
        patch_cache_control(response, public=True, no_cache=True)
        if response.status_code != 200:
            return response
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        last_modified = getattr(response, "last_modified", None)
        timestamp = None
        if last_modified is not None:
            timestamp = timegm(last_modified.utctimetuple())
            response["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )

    return wrapper


def _int(request, name, default, low, high):
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ApiError(
            400, "invalid_parameter", f"{name} must be a whole number from {low} to {high}.", name
        )
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
    return value


def _list_filters(request):
    qs = Condition.objects.live()
    letter = request.GET.get("letter")
    if letter is not None:
        letter = letter.strip().lower()
        if letter not in selectors.LETTERS:
            raise ApiError(400, "invalid_parameter", "letter must be one of a–z or 0-9.", "letter")
        if letter == "0-9":
            qs = qs.exclude(title__regex=r"^[A-Za-z]")
        else:
            qs = qs.filter(title__istartswith=letter)
    tag = request.GET.get("tag")
    if tag is not None:
        if not _TAG_SLUG.match(tag):
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
    # Page through ids only (an index scan), then load that page's rows: a
    # deep OFFSET then skips index entries instead of whole rows.
    ids = _list_filters(request).order_by("title", "pk").values_list("pk", flat=True)
    size = _int(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    number = _int(request, "page", 1, 1, 10**9)
    paginator = Paginator(ids, size)
    if number > paginator.num_pages:
        raise ApiError(
            404, "page_not_found", f"There are only {paginator.num_pages} page(s).", "page"
        )
    page = paginator.page(number)
    page_ids = list(page.object_list)
    rows = Condition.objects.filter(pk__in=page_ids).prefetch_related("tags").in_bulk()
    return JsonResponse(
        {
            "count": paginator.count,
            "page": number,
            "page_size": size,
            "num_pages": paginator.num_pages,
            "next": _page_url(request, number + 1) if page.has_next() else None,
            "previous": _page_url(request, number - 1) if page.has_previous() else None,
            "results": [serializers.condition_summary(rows[pk]) for pk in page_ids],
        }
    )


@api_view
def condition_detail(request, slug):
    condition = Condition.objects.live().filter(slug=slug).first()
    if condition is None:
        raise ApiError(404, "not_found", f"No published article at /conditions/{slug}/.")
    page = selectors.article_page(condition, with_markdown=True)
    levels = selectors.reading_levels(condition, page.sections)
    response = JsonResponse(serializers.condition_detail(page, levels))
    # Drug and organization records are shared: renaming one changes this too.
    response.last_modified = max(
        [
            condition.updated_at,
            *(d.updated_at for g in page.drug_groups for d in g.drugs),
            *(o.updated_at for _, orgs in page.organizations_by_region for o in orgs),
        ]
    )
    return response


def _lookup_system(request):
    raw = request.GET.get("system")
    name = "system"
    if raw is None:
        raw, name = request.GET.get("mainSearchCriteria.v.cs"), "mainSearchCriteria.v.cs"
    if raw is None:
        return None
    raw = raw.strip()
    system = codes.OIDS.get(raw) or (raw.lower() if raw.lower() in codes.OID_OF else None)
    if system is None:
        raise ApiError(
            400,
            "invalid_parameter",
            "The code system must be icd10cm or snomedct, or the OID "
            "2.16.840.1.113883.6.90 (ICD-10-CM) or 2.16.840.1.113883.6.96 (SNOMED CT).",
            name,
        )
    return system


@api_view
def lookup(request):
    response_type = request.GET.get("knowledgeResponseType")
    if response_type is not None and response_type.strip().lower() not in (
        "application/json",
        "json",
    ):
        raise ApiError(
            400,
            "unsupported_response_type",
            "Only knowledgeResponseType=application/json is supported.",
            "knowledgeResponseType",
        )
    name = "code" if "code" in request.GET else "mainSearchCriteria.v.c"
    raw_code = (request.GET.get(name) or "").strip()
    if not raw_code:
        raise ApiError(
            400,
            "missing_parameter",
            "Give a code: ?code=G25.3&system=icd10cm, or the infobutton names "
            "mainSearchCriteria.v.c and mainSearchCriteria.v.cs.",
            "code",
        )
    system = _lookup_system(request)
    if system is None:
        # The two formats cannot be confused: SNOMED CT ids are all digits.
        system = codes.SNOMEDCT if raw_code.isdigit() else codes.ICD10CM
    code = codes.normalize(system, raw_code)
    if not codes.is_valid(system, code):
        raise ApiError(400, "invalid_parameter", codes.FORMAT_HELP[system], name)

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
        results = (
            Condition.objects.filter(pk__in=by_code[matched_code])
            .prefetch_related("tags")
            .order_by("title", "pk")
        )
    return JsonResponse(
        {
            "query": {"code": code, "system": system, "system_oid": codes.OID_OF[system]},
            "matched_code": matched_code,
            "exact": matched_code == code,
            "count": len(results),
            "results": [serializers.condition_summary(c) for c in results],
        }
    )


@api_view
def openapi_document(request):
    return JsonResponse(openapi.document(), json_dumps_params={"indent": 2})


@api_view
def not_found(request, path=""):
    raise ApiError(404, "not_found", f"There is no API endpoint at /api/{path}.")
