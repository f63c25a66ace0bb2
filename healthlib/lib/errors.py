"""Error answers. Under /api/ every failure is the API's JSON error
(``{"error": {"status", "code", "message"[, "parameter"]}}``), also the ones
no API view sees: a path no URL pattern matches, an unexpected exception.
Elsewhere, Django's HTML pages (templates 404.html and 500.html)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

JSON_PREFIX = "/api/"


def json_error(status, code, message, parameter=None):
    error = {"status": status, "code": code, "message": message}
    if parameter is not None:
        error["parameter"] = parameter
    return JsonResponse({"error": error}, status=status)


def _wants_json(request):
    return request.path_info.startswith(JSON_PREFIX)


def page_not_found(request, exception):
    if _wants_json(request):
        return json_error(404, "not_found", _("There is no API endpoint at this address."))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _wants_json(request):
        return json_error(500, "server_error", _("Something went wrong on our side; it is logged."))
    return defaults.server_error(request)
