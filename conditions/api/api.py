"""The NinjaAPI that serves /api/ (the operations are in ``views``), and
what every answer shares:

- JSON written as Django's ``JsonResponse`` writes it: ``application/json``,
  non-ASCII escaped, the standard separators; fields in the schemas' order.
- An answer (a 200, or the 404 that says where an article is published)
  may be kept by anyone but must be asked for again (``public, no-cache``),
  read from any origin, and varies with Accept-Language. A 200 carries an
  ETag of its body (and a Last-Modified when the view gives one); a
  matching If-None-Match or If-Modified-Since gets 304 Not Modified
  (``healthlib.lib.http``).
- A refusal (a malformed parameter, a page past the end, another method)
  is the site's JSON error (``healthlib.lib.errors.json_error``) and nothing
  more, unless the operation writes its refusals in the format asked for
  (``LibraryAPI.refusals``: the look-up's Atom and JSONP answers). An
  unexpected exception is left to Django: its JSON 500 under /api/.
- Open to anyone, within the anonymous rate limit; a partner's API key
  (``X-API-Key`` or ``Authorization: Bearer``) raises the limit and counts
  the partner's requests per day (``partner_gate``, ``conditions.partners.keys``).
  An unknown or revoked key is the JSON 401; too many requests the JSON 429.
- GET and HEAD only (``get_and_head_only``): the API reads nothing from a
  request's body and changes nothing, so no CSRF check stands before the
  JSON 405.
"""

import functools
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import URLPattern, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.constants import NOT_SET
from ninja.errors import ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from conditions.api import pages_described
from conditions.api.cds import cds
from conditions.partners import keys
from healthlib.lib.errors import json_error
from healthlib.lib.http import body_etag, conditional


class ApiError(Exception):
    """Raised by a view: answered with the JSON error, nothing more."""

    def __init__(self, status, code, message, parameter=None):
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter


def get_and_head_only(view):
    """``view``, answering any other method (whatever its name) with the
    JSON 405 before anything else; CSRF-exempt, or the CSRF check would
    answer a POST with an HTML 403 first. (ninja's own 405 is plain text.)"""

    @csrf_exempt
    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = json_error(
                405, "method_not_allowed", f"{request.method} is not allowed here; use GET."
            )
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return guarded


def partner_gate(view):
    """``view`` behind the API's rate limits and partners' keys."""

    @functools.wraps(view)
    def gated(request, *args, **kwargs):
        decision = keys.admit(request)
        if decision.refusal == (401, "invalid_api_key"):
            response = json_error(
                401,
                "invalid_api_key",
                _(
                    "This API key is unknown or revoked. Send a valid key, or none: "
                    "the API is open without one, with a lower rate limit."
                ),
            )
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        if decision.refusal is not None:
            return keys.too_many_requests(decision)
        request.partner = decision.partner
        return view(request, *args, **kwargs)

    return gated


def _describe_keys(schema):
    """The partners' keys in the document: optional, in either header, and
    the 401 and 429 every operation may answer."""
    schema.setdefault("components", {})["securitySchemes"] = {
        "apiKey": {
            "type": "apiKey",
            "in": "header",
            "name": keys.HEADER,
            "description": "A partner's API key: a higher rate limit, requests counted per day.",
        },
        "bearer": {"type": "http", "scheme": "bearer", "description": "The same key."},
    }
    # No key is needed: the empty requirement comes first.
    schema["security"] = [{}, {"apiKey": []}, {"bearer": []}]
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for operations in schema["paths"].values():
        for operation in operations.values():
            operation["responses"].setdefault(
                401, {"description": "The API key sent is unknown or revoked.", **error}
            )
            operation["responses"].setdefault(
                429,
                {
                    "description": "Too many requests this hour (see Retry-After).",
                    "headers": {"Retry-After": {"schema": {"type": "string"}}},
                    **error,
                },
            )


class Renderer(JSONRenderer):
    encoder_class = DjangoJSONEncoder

    def render(self, request, data, *, response_status):
        # The OpenAPI document is for people too.
        indent = 2 if isinstance(data, OpenAPISchema) else None
        return json.dumps(data, cls=self.encoder_class, indent=indent)


class LibraryAPI(NinjaAPI):
    def get_content_type(self):
        return "application/json"

    def create_temporal_response(self, request):
        # The response a view's answer is written into (and a view may add
        # headers to: Content-Language, Last-Modified).
        response = super().create_temporal_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        # Without ?lang= the answer's language comes from Accept-Language.
        patch_vary_headers(response, ["Accept-Encoding", "Accept-Language"])
        # Clients may keep answers but must ask again; the ETag makes that cheap.
        patch_cache_control(response, public=True, no_cache=True)
        return response

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if response.status_code != 200:
            return response
        return conditional(
            request,
            response,
            etag=body_etag(response.content),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        )

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = reverse("api:openapi").removesuffix("openapi.json")
        schema = super().get_openapi_schema(path_prefix=path_prefix)
        schema["servers"] = [{"url": settings.SITE_URL}]
        _describe_keys(schema)
        # /cds-services, served by a NinjaAPI of its own, in the same document.
        cds.describe_in(schema)
        # oEmbed, the embed and the handout: pages, described as operations.
        pages_described.describe_in(schema)
        return schema

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Operations (by URL name) that write their refusals in a format the
        # request asks for: writer(request, error object) → a response, or
        # None for the JSON error (the look-up's infobutton answers).
        self.refusals = {}

    def read_only(self, path, **kwargs):
        """Register a view for GET, documented, and for HEAD, the same
        answer, undocumented."""

        def register(view):
            self.get(path, **kwargs)(view)
            response = kwargs.get("response", NOT_SET)
            head = {"include_in_schema": False, "url_name": kwargs.get("url_name")}
            self.api_operation(["HEAD"], path, response=response, **head)(view)
            return view

        return register

    def url_patterns(self):
        """The operations' URL patterns, each GET and HEAD only. ninja's
        placeholder for the API's root is left out: /api/ is an address like
        any other the API does not have."""
        urls, _app, _namespace = self.urls
        return [
            URLPattern(
                p.pattern, get_and_head_only(partner_gate(p.callback)), p.default_args, p.name
            )
            for p in urls
            if p.name != "api-root"
        ]


api = LibraryAPI(
    title="healthlib API",
    version="1.1.0",
    description="Read-only JSON access to the published health-library articles. "
    "Conditional requests (If-None-Match, If-Modified-Since) are answered 304.",
    renderer=Renderer(),
    # Served by the operation below, as an answer like the others.
    openapi_url=None,
    docs_url=None,
)


def _refusal(request, status, code, message, parameter=None):
    """The JSON error, or the operation's own writing of it (``refusals``)."""
    match = getattr(request, "resolver_match", None)
    writer = api.refusals.get(match.url_name) if match else None
    if writer is not None:
        error = {"status": status, "code": code, "message": message}
        if parameter is not None:
            error["parameter"] = parameter
        written = writer(request, error)
        if written is not None:
            return written
    return json_error(status, code, message, parameter)


@api.exception_handler(ApiError)
def _refused(request, error):
    return _refusal(request, error.status, error.code, error.message, error.parameter)


@api.exception_handler(ValidationError)
def _refused_parameter(request, error):
    # The first fault, in the order the parameters are declared (``params``).
    fault = error.errors[0]
    return _refusal(request, 400, fault["type"], fault["msg"], fault["loc"][-1])


@api.exception_handler(Exception)
def _failed(request, error):
    raise error


@api.read_only(
    "/openapi.json",
    url_name="openapi",
    operation_id="getOpenApi",
    summary="This document",
    openapi_extra={
        "responses": {
            200: {
                "description": "OpenAPI 3.1",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def openapi_document(request):
    return api.get_openapi_schema()
