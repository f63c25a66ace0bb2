"""/cds-services: the CDS Hooks 2.0 discovery endpoint (GET) and the
services (POST /cds-services/<id>), on a NinjaAPI of their own (``cds``);
what the services do is ``conditions.clinical``.

What every answer shares (``gate``):

- CORS, as browser-based CDS clients (the CDS Hooks sandbox) need: any
  origin, the Authorization and Content-Type headers, GET, POST and
  OPTIONS (a preflight is answered 204). No cookies are read, so no
  credentials are allowed.
- No CSRF check (these are the only POST endpoints without one: a CDS
  client has no session; the JWT, when required, is the credential).
- The API's rate limits: per client address, or per partner with an
  ``X-API-Key`` (``Authorization`` carries the CDS client's JWT here).
- When ``CDS_HOOKS_TRUSTED_ISSUERS`` names issuers, a service call must
  carry a JWT one of them signed (``conditions.clinical.trust``): else 401.
- Refusals are the site's JSON error: 400 for a malformed call (JSON,
  CDS Hooks fields, FHIR resources), 404 for an unknown service, 405 for
  another method, 412 when the FHIR data cannot be had (CDS Hooks'
  answer for it), 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE.
- Discovery may be kept by anyone (``public, no-cache``); cards are about
  a patient and are never stored (``no-store``).

The OpenAPI document at /api/openapi.json describes these operations too
(``describe_in``), generated from ``cds_schemas``.
"""

import functools
import json

from django.core.exceptions import RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.urls import URLPattern
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from conditions.api import cds_schemas as schemas
from conditions.api.schemas import Error
from conditions.clinical import fhir, fhir_server, hooks, trust
from conditions.partners import keys
from healthlib.lib.errors import json_error

TAG = "CDS Hooks"
ALLOW_HEADERS = "Authorization, Content-Type, X-API-Key"
EXPOSE_HEADERS = "Retry-After, WWW-Authenticate"
PREFLIGHT_MAX_AGE = "7200"  # what Chromium allows at most


def _cors(response, methods):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ", ".join([*methods, "OPTIONS"])
    response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
    response["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    return response


def _admitted(request, service):
    """None to serve ``request``, else the refusal."""
    decision = keys.admit(request, bearer=False)
    if decision.refusal == (401, "invalid_api_key"):
        return json_error(401, "invalid_api_key", _("This API key is unknown or revoked."))
    if decision.refusal is not None:
        return keys.too_many_requests(decision)
    if service:
        try:
            trust.verify(request)
        except trust.Refused as exc:
            response = json_error(401, "invalid_token", str(exc))
            response["WWW-Authenticate"] = 'Bearer realm="cds-services"'
            return response
    return None


def gate(view, methods, *, service):
    """``view`` with what every /cds-services answer shares (above);
    ``methods`` are the ones it serves (None: any), ``service`` whether it
    is a service (POST, about a patient) rather than discovery."""

    @csrf_exempt
    @functools.wraps(view)
    def gated(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            del response["Content-Type"]
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        elif methods is not None and request.method not in methods:
            response = json_error(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed here; use {' or '.join(methods)}.",
            )
            response["Allow"] = ", ".join([*methods, "OPTIONS"])
        else:
            response = _admitted(request, service)
            if response is None:
                try:
                    request.body  # noqa: B018 - read within the size limit
                except RequestDataTooBig:
                    response = json_error(413, "too_large", _("The request body is too large."))
                else:
                    response = view(request, *args, **kwargs)
        if service:
            patch_cache_control(response, no_store=True)
        return _cors(response, methods or ("GET", "HEAD", "POST"))

    return gated


class Renderer(JSONRenderer):
    encoder_class = DjangoJSONEncoder

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=self.encoder_class)


class CdsHooksAPI(NinjaAPI):
    def get_content_type(self):
        return "application/json"

    def url_patterns(self):
        """The operations' URL patterns, each behind ``gate``."""
        urls, _app, _namespace = self.urls
        patterns = []
        for pattern in urls:
            if pattern.name == "api-root":
                continue
            service = pattern.name == "service"
            methods = ("POST",) if service else ("GET", "HEAD")
            patterns.append(
                URLPattern(
                    pattern.pattern,
                    gate(pattern.callback, methods, service=service),
                    pattern.default_args,
                    pattern.name,
                )
            )
        return patterns

    def describe_in(self, document):
        """Add these operations, their schemas and the JWT to ``document``
        (the library API's OpenAPI document)."""
        own = self.get_openapi_schema(path_prefix="")
        document["paths"].update(own["paths"])
        components = document.setdefault("components", {})
        components.setdefault("schemas", {}).update(own.get("components", {}).get("schemas", {}))
        components.setdefault("securitySchemes", {})["cdsJwt"] = {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "The CDS client's signed JWT (CDS Hooks 2.0), required only when "
            "the site names trusted issuers (CDS_HOOKS_TRUSTED_ISSUERS).",
        }
        document.setdefault("tags", []).append(
            {
                "name": TAG,
                "description": "CDS Hooks 2.0 (https://cds-hooks.hl7.org/2.0/): register "
                "/cds-services as the discovery endpoint in an EHR or the CDS Hooks sandbox.",
            }
        )


cds = CdsHooksAPI(
    title="healthlib CDS Hooks services",
    version="2.0",
    urls_namespace="cds-hooks",
    renderer=Renderer(),
    openapi_url=None,
    docs_url=None,
)


@cds.exception_handler(ValidationError)
def _malformed(request, error):
    fault = error.errors[0]
    where = ".".join(str(p) for p in fault.get("loc", ())[1:] if p != "body")
    if not where and fault.get("type") == "missing":
        message = _("The request has no body: send the hook call as JSON.")
    else:
        message = f"{where}: {fault['msg']}" if where else fault["msg"]
    return json_error(400, "invalid_request", message)


@cds.exception_handler(HttpError)
def _unreadable(request, error):
    return json_error(error.status_code, "invalid_request", _("The body is not JSON."))


@cds.exception_handler(fhir.Invalid)
def _invalid_fhir(request, error):
    return json_error(400, "invalid_fhir", str(error))


@cds.exception_handler(fhir_server.Unavailable)
def _unavailable(request, error):
    return json_error(412, "fhir_data_unavailable", str(error))


@cds.exception_handler(Exception)
def _failed(request, error):
    raise error


ERRORS = {
    400: "The body is not JSON, or not a CDS Hooks request for this service, or a FHIR "
    "resource in it is not valid FHIR R4.",
    401: "A JWT is required (the site trusts named issuers) and is missing or invalid; or "
    "the X-API-Key is unknown.",
    404: "No service has this id.",
    412: "The service cannot get the FHIR data it needs: not prefetched, and the FHIR server "
    "is not given, refused, unreachable or answered with an error.",
    413: "The body is too large.",
    429: "Too many requests this hour (see Retry-After).",
}
SECURITY = [{}, {"apiKey": []}, {"cdsJwt": []}]


def _described(ok, errors, security=SECURITY):
    return {
        "security": security,
        "responses": {
            200: {"description": ok},
            **{status: {"description": ERRORS[status]} for status in errors},
        },
    }


@cds.get(
    "/cds-services",
    url_name="discovery",
    operation_id="cdsDiscovery",
    summary="CDS Hooks discovery: the services and their prefetch templates",
    tags=[TAG],
    response={200: schemas.CdsDiscovery, 429: Error},
    openapi_extra=_described("The services.", [429], security=SECURITY[:2]),
)
def discovery(request):
    return {"services": hooks.SERVICES}


# The same with a trailing slash, undocumented.
cds.get("/cds-services/", url_name="discovery-slash", include_in_schema=False)(discovery)
for _path, _name in (("/cds-services", "discovery"), ("/cds-services/", "discovery-slash")):
    cds.api_operation(["HEAD"], _path, url_name=_name, include_in_schema=False)(discovery)

SERVICE_ERRORS = [400, 401, 404, 412, 413, 429]


def _call(body):
    authorization = body.fhirAuthorization
    return hooks.Call(
        hook_instance=str(body.hookInstance),
        patient_id=body.context.patientId,
        prefetch=body.prefetch or {},
        fhir_server=body.fhirServer,
        access_token=authorization.access_token if authorization else None,
        language_hint=(body.extension or {}).get("informationRecipient.languageCode.c"),
        context=body.context.model_dump(),
    )


@cds.post(
    f"/cds-services/{hooks.PATIENT_VIEW}",
    url_name="service",
    operation_id="cdsPatientView",
    summary="patient-view: articles about the patient's active conditions",
    tags=[TAG],
    response={200: schemas.CdsCards, (400, 401, 404, 412, 413, 429): Error},
    openapi_extra=_described("The cards (maybe none).", SERVICE_ERRORS),
)
def patient_view(request, body: schemas.CdsPatientViewRequest):
    return {"cards": hooks.patient_view(_call(body))}


@cds.post(
    f"/cds-services/{hooks.ORDER_SELECT}",
    url_name="service",
    operation_id="cdsOrderSelect",
    summary="order-select: the drugs being ordered, and the articles that list them",
    tags=[TAG],
    response={200: schemas.CdsCards, (400, 401, 404, 412, 413, 429): Error},
    openapi_extra=_described("The cards (maybe none).", SERVICE_ERRORS),
)
def order_select(request, body: schemas.CdsOrderSelectRequest):
    return {"cards": hooks.order_select(_call(body))}


def unknown_service(request, path=""):
    """Any other address under /cds-services/."""
    return json_error(404, "unknown_service", f"There is no CDS service “{path[:100]}”.")
