"""The partner pages in the OpenAPI document (conditions.api.pages_described):
what a consumer reads there is what the pages answer."""

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator

pytestmark = pytest.mark.django_db


def _operation(openapi, path):
    return openapi["paths"][path]["get"]


def test_the_oembed_answer_is_the_documented_one(openapi, demo, client):
    operation = _operation(openapi, "/oembed/")
    documented = {parameter["name"] for parameter in operation["parameters"]}
    assert documented == {"url", "maxwidth", "maxheight", "format"}
    url = f"{settings.SITE_URL}/conditions/myoclonus/"
    response = client.get("/oembed/", {"url": url, "maxwidth": "400"})
    assert response.status_code == 200
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    Draft202012Validator(schema).validate(response.json())
    assert response.json()["width"] == 400
    # Every refusal the page gives is one the document names, as the API's error.
    for query, status in [({}, 400), ({"url": url, "format": "yaml"}, 501)]:
        refused = client.get("/oembed/", query)
        assert refused.status_code == status
        assert str(status) in operation["responses"]
        assert refused.json()["error"]["status"] == status


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/embed/conditions/{slug}/", 200, "text/html"),
        ("/embed/conditions/{slug}/", 404, "text/html"),
    ],
)
def test_the_embed_answers_as_documented(openapi, demo, client, path, status, content_type):
    slug = "myoclonus" if status == 200 else "no-such-article"
    response = client.get(path.format(slug=slug))
    assert response.status_code == status
    documented = _operation(openapi, path)["responses"][str(status)]["content"]
    assert set(documented) == {content_type}
    assert response["Content-Type"].split(";")[0] == content_type


def test_the_handout_is_documented_as_a_pdf(openapi):
    responses = _operation(openapi, "/conditions/{slug}/handout.pdf")["responses"]
    assert set(responses["200"]["content"]) == {"application/pdf"}
    assert {"404", "410", "429", "503"} <= set(responses)
