"""The API's parameters (conditions.api.params): what they refuse, each with
a JSON 400 naming the parameter."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"letter": "mm"}, "letter"),
        ({"letter": "<"}, "letter"),
        ({"tag": "no spaces!"}, "tag"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2025-13-45"}, "updated_since"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"page_size": "-1"}, "page_size"),
    ],
)
def test_list_rejects_bad_parameters_with_a_json_400(client, check, params, parameter):
    factories.article("Asthma")
    body = check(client.get("/api/conditions/", params), "/api/conditions/", 400)
    assert body["error"]["parameter"] == parameter
    assert body["error"]["message"]


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"code": "G25.3", "system": "loinc"}, "system"),
        ({"code": "12", "system": "snomedct"}, "code"),
        ({"code": "G25.3.1", "system": "icd10cm"}, "code"),
        ({"code": " G25.3"}, "code"),
        (
            {
                "code": "G25.3",
                "mainSearchCriteria.v.c": "<b>",
                "knowledgeResponseType": "application/json",
            },
            "mainSearchCriteria.v.c",
        ),
        ({"system": "icd10cm", "mainSearchCriteria.v.cs": "1.2.3"}, "mainSearchCriteria.v.cs"),
        ({"code": "<script>", "system": "icd10cm"}, "code"),
        (
            {
                "mainSearchCriteria.v.c": "G25.3",
                "mainSearchCriteria.v.cs": "1.2.3",
                "knowledgeResponseType": "application/json",
            },
            "mainSearchCriteria.v.cs",
        ),
        ({"code": "G25.3", "knowledgeResponseType": "text/html"}, "knowledgeResponseType"),
        ({"code": "G25.3", "knowledgeResponseType": "xml"}, "knowledgeResponseType"),
    ],
)
def test_lookup_rejects_bad_input(client, check, params, parameter):
    body = check(client.get("/api/lookup/", params), "/api/lookup/", 400)
    assert body["error"]["parameter"] == parameter


def _error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize("params", [{"page": "²"}, {"page_size": "³"}, {"page": "١"}])
def test_digits_int_refuses_are_a_json_400(client, params):
    factories.article("Asthma")
    assert _error(client.get("/api/conditions/", params), 400)["parameter"] in params


def test_a_huge_page_number_is_past_the_end_not_a_crash(client):
    factories.article("Asthma")
    assert _error(client.get("/api/conditions/", {"page": "9" * 5000}), 400)
    assert _error(client.get("/api/conditions/", {"page": "9" * 40}), 404)["code"] == (
        "page_not_found"
    )


@pytest.mark.parametrize(
    ("since", "listed"),
    [("0001-01-01T00:00:00+05:00", True), ("9999-12-31T23:59:59-05:00", False)],
)
def test_updated_since_at_the_ends_of_time_answers(client, check, since, listed):
    factories.article("Asthma")
    body = check(client.get("/api/conditions/", {"updated_since": since}), "/api/conditions/")
    assert (body["count"] == 1) is listed


@pytest.mark.parametrize("lang", ["fr", "ES", "es-MX", "", "español"])
def test_an_unsupported_lang_is_a_json_400_with_one_line(client, check, lang):
    for url, path in [
        ("/api/conditions/", "/api/conditions/"),
        ("/api/conditions/myoclonus/", "/api/conditions/{slug}/"),
    ]:
        body = check(client.get(url, {"lang": lang}), path, 400)
        assert body["error"]["parameter"] == "lang"
        assert "\n" not in body["error"]["message"] and "en, es" in body["error"]["message"]
