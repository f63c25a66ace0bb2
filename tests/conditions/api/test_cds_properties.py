"""/cds-services with hostile bodies (Hypothesis): any JSON, any bytes, and
real hook calls with any part replaced by any JSON value. The answer is
cards or the JSON error (400, 412), never a 500; with CORS. The FHIR
server is never reached: every address is refused as an internal one."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions.models.linkchecks import INTERNAL
from conditions.review import linkcheck
from tests.cds_client import order_select, patient_view, post

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SERVICES = ("patient-view", "order-select")
EXPECTED = {200, 400, 412}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(
        ["Bundle", "Patient", "Condition", "MedicationRequest", "2598", "G25.3", "es", "", "\x00"]
    )
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["resourceType", "entry", "resource", "code", "coding", "system", "id"])
            | st.text(max_size=10),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@pytest.fixture(autouse=True)
def no_fhir_server(monkeypatch):
    def refuse(host, port):
        raise linkcheck.Refused(INTERNAL)

    monkeypatch.setattr(linkcheck, "resolve", refuse)


def _paths(value, prefix=()):
    """Every place in a JSON value, as a path of keys and indexes."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _replace(value, path, new):
    if not path:
        return new
    head, *rest = path
    value[head] = _replace(value[head], rest, new)
    return value


def _answered(response):
    assert response.status_code in EXPECTED, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    if response.status_code == 200:
        assert isinstance(body["cards"], list)
    else:
        assert body["error"]["status"] == response.status_code
    return body


@SETTINGS
@given(service=st.sampled_from(SERVICES), body=json_values)
def test_any_json_is_answered(client, service, body):
    _answered(post(client, service, json.dumps(body)))


@SETTINGS
@given(service=st.sampled_from(SERVICES), body=st.binary(max_size=200))
def test_any_bytes_are_answered(client, service, body):
    _answered(post(client, service, body))


@SETTINGS
@given(data=st.data(), service=st.sampled_from(SERVICES), server=st.booleans())
def test_a_real_call_with_any_part_replaced_is_answered(client, data, service, server):
    build = patient_view if service == "patient-view" else order_select
    body = build(fhir_server="https://ehr.example.org/fhir" if server else None)
    path = data.draw(st.sampled_from(list(_paths(body))), label="path")
    body = _replace(body, path, data.draw(json_values, label="value"))
    _answered(post(client, service, json.dumps(body)))
