"""The API's tests: its OpenAPI document, a checker of answers against it,
and an article with every part the API answers with."""

import datetime
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conditions.models import Drug
from tests import factories

formats = FormatChecker()


@formats.checks("date-time", raises=ValueError)
def _datetime(value):
    if not isinstance(value, str):
        return True
    return datetime.datetime.fromisoformat(value).tzinfo is not None


@formats.checks("date", raises=ValueError)
def _date(value):
    if not isinstance(value, str):
        return True
    return bool(datetime.date.fromisoformat(value))


@formats.checks("uri")
def _uri(value):
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@pytest.fixture
def openapi(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def check(openapi):
    """check(response, path, status, method): the body matches the documented schema."""

    def check(response, path, status=200, method="get"):
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/json"
        documented = openapi["paths"][path][method]["responses"][str(status)]
        schema = documented["content"]["application/json"]["schema"]
        validator = Draft202012Validator(
            {**schema, "components": openapi["components"]}, format_checker=formats
        )
        errors = sorted(validator.iter_errors(response.json()), key=str)
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
        return response.json()

    return check


@pytest.fixture
def myoclonus():
    condition = factories.article(
        "Myoclonus",
        alternate_names="Muscle jerks",
        sections=6,
        groups=2,
        references=3,
        organizations=2,
        figures=1,
        tags=("Nervous system", "Movement disorders"),
        codes=[("icd10cm", "G25.3"), ("snomedct", "17450006")],
    )
    Drug.objects.filter(name="Drug 0-0").update(other_names="Brand A\nBrand B", rxnorm_code="2598")
    return condition
