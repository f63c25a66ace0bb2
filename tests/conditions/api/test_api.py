"""The API as a whole (conditions.api.api): the OpenAPI document, and JSON
errors for unknown addresses, methods and failures."""

import json
import re

import pytest
from django.urls import Resolver404, resolve
from jsonschema import Draft202012Validator

from tests import factories

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid_and_names_real_urls(openapi):
    assert openapi["openapi"].startswith("3.1")
    for schema in openapi["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    # Every reference points at a schema that exists.
    refs = set(re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(openapi)))
    assert refs and refs <= set(openapi["components"]["schemas"])
    for path in openapi["paths"]:
        try:
            resolve(path.replace("{slug}", "myoclonus"))
        except Resolver404:
            pytest.fail(f"{path} is documented but not served")


def test_unknown_api_address_and_method_are_json_errors(client):
    response = client.get("/api/nothing/")
    assert response.status_code == 404 and response.json()["error"]["status"] == 404
    response = client.post("/api/conditions/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert response.json()["error"]["code"] == "method_not_allowed"


def _error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/conditions/", "/api/lookup/", "/api/conditions/x/"])
def test_writes_are_a_json_405_not_a_csrf_page(method, url):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    error = _error(getattr(client, method)(url), 405)
    assert error["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    "path", ["/api/a%0A", "/api/conditions/a%0A/", "/api/%0A/x", "/api/conditions/%00/"]
)
def test_control_characters_in_an_api_path_are_a_json_404(client, path):
    assert _error(client.get(path), 404)["code"] == "not_found"


def test_an_api_failure_nothing_catches_is_a_json_500(client, monkeypatch):
    from conditions.api import views

    def boom(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(views, "_name_topics", boom)
    factories.article("Asthma")
    client.raise_request_exception = False
    assert _error(client.get("/api/conditions/"), 500)["code"] == "server_error"
    # Elsewhere the HTML page stays.
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_openapi_describes_the_languages(openapi):
    def names(path):
        return {p["name"] for p in openapi["paths"][path]["get"]["parameters"]}

    for path in ("/api/conditions/", "/api/conditions/{slug}/", "/api/lookup/"):
        assert {"lang", "Accept-Language"} <= names(path)
    assert "informationRecipient.languageCode.c" in names("/api/lookup/")
    detail = openapi["paths"]["/api/conditions/{slug}/"]["get"]["responses"]
    assert {"400", "404"} <= set(detail)
    summary = openapi["components"]["schemas"]["ConditionSummary"]["properties"]
    assert {"language", "translations", "translation_of"} <= set(summary)
    lookup = openapi["components"]["schemas"]["LookupResult"]["properties"]
    assert {"language", "fallback"} <= set(lookup)
    assert "Content-Language" in detail["200"]["headers"]
