"""Reading a CDS client's FHIR server (conditions.clinical.fhir_server):
with the token, within the link checker's address rules, in time, within
the size limit, no redirect followed."""

import pytest

from conditions.clinical import fhir_server
from tests.cds_client import TOKEN, FhirServer, resource


@pytest.fixture
def local(settings):
    """The tests' FHIR servers are on 127.0.0.1, over http."""
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.CDS_HOOKS_FHIR_HTTPS_ONLY = False
    return settings


def test_a_read_sends_the_token_and_returns_the_json(local):
    with FhirServer({"Patient/maria-garcia": resource("patient-es")}) as server:
        found = fhir_server.read(server.base, "Patient/maria-garcia", {}, TOKEN)
    assert found["id"] == "maria-garcia"
    [(path, query, authorization)] = server.requests
    assert (path, query, authorization) == ("Patient/maria-garcia", {}, f"Bearer {TOKEN}")


@pytest.mark.parametrize(
    "answer, reason",
    [
        ((401, b"{}"), "answered 401"),
        ((302, b""), "answered 302"),
        ((200, b"<html>"), "not JSON"),
        ((200, b"[" * 100_000 + b"]" * 100_000), "over"),
    ],
)
def test_a_server_that_does_not_give_json_is_unavailable(local, answer, reason):
    local.CDS_HOOKS_FHIR_MAX_BYTES = 100_000
    with (
        FhirServer({}, answer=answer) as server,
        pytest.raises(fhir_server.Unavailable, match=reason),
    ):
        fhir_server.read(server.base, "Condition", {"patient": "x"}, TOKEN)
    # One request: a redirect is not followed (the token would go with it).
    assert len(server.requests) == 1


def test_a_slow_server_is_given_up(local):
    local.CDS_HOOKS_FHIR_TIMEOUT = 0.2
    with (
        FhirServer({"Condition": {}}, delay=1.0) as server,
        pytest.raises(fhir_server.Unavailable, match="in time"),
    ):
        fhir_server.read(server.base, "Condition", {}, TOKEN)


def test_this_machine_is_not_read_outside_the_tests(settings):
    settings.CDS_HOOKS_FHIR_HTTPS_ONLY = False
    with (
        FhirServer({"Condition": {}}) as server,
        pytest.raises(fhir_server.Unavailable, match="internal"),
    ):
        fhir_server.read(server.base, "Condition", {}, TOKEN)
    assert server.requests == []


@pytest.mark.parametrize(
    "base, problem",
    [
        ("http://ehr.example.org/fhir", "https://"),
        ("ftp://ehr.example.org/fhir", "https://"),
        ("https:///fhir", "https://"),
        ("https://ehr.example.org/fhir?x=1", "base address"),
        ("https://user:pw@ehr.example.org/fhir", "base address"),
        ("https://ehr.example.org:http/fhir", "port"),
    ],
)
def test_only_an_https_base_address_is_read(settings, base, problem):
    assert problem in fhir_server.check_base(base)
    with pytest.raises(fhir_server.Unavailable, match=problem):
        fhir_server.read(base, "Condition", {}, TOKEN)


def test_an_https_base_address_is_accepted():
    assert fhir_server.check_base("https://ehr.example.org:8443/fhir/r4/") is None
