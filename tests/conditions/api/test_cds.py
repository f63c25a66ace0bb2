"""/cds-services (conditions.api.cds): an EHR's CDS client discovers the
services and calls them with real FHIR R4 resources, on the demo library
(Myoclonus, ICD-10-CM G25.3, in English and Spanish; Clonazepam, RxNorm
2598). Every answer is checked against /api/openapi.json."""

import json

import pytest
from django.test import Client

from conditions.models import Condition
from tests import cds_client
from tests.cds_client import FhirServer, order_select, patient_view, post, resource


@pytest.fixture
def cds_check(check):
    """cds_check(response, path, method, status): the body matches the
    document, and any origin may read it (CORS)."""

    def cds_check(response, path, method="post", status=200):
        body = check(response, path, status, method)
        assert response["Access-Control-Allow-Origin"] == "*"
        return body

    return cds_check


# Discovery.


def test_discovery_lists_both_services_as_cds_hooks_2_describes_them(db, client, cds_check):
    answer = cds_check(client.get("/cds-services"), "/cds-services", "get")
    services = {s["id"]: s for s in answer["services"]}
    assert set(services) == {"patient-view", "order-select"}
    for service in answer["services"]:
        # CDS Hooks 2.0 Discovery: hook, description and id required; title
        # and prefetch optional; nothing else.
        assert set(service) <= {
            "hook",
            "title",
            "description",
            "id",
            "prefetch",
            "usageRequirements",
        }
        assert service["hook"] and service["description"] and service["id"]
        for template in service["prefetch"].values():
            assert "{{context.patientId}}" in template
    assert services["patient-view"]["hook"] == "patient-view"
    assert services["patient-view"]["prefetch"]["conditions"] == (
        "Condition?patient={{context.patientId}}&clinical-status=active"
    )
    assert services["order-select"]["hook"] == "order-select"
    # With a trailing slash too, as some clients register it; HEAD is GET's.
    assert client.get("/cds-services/").json() == answer
    assert client.head("/cds-services").status_code == 200


def test_a_browser_client_may_call_from_any_origin(db, client):
    # The sandbox's preflight before a POST with a JWT.
    preflight = client.options(
        "/cds-services/patient-view",
        headers={
            "Origin": "https://sandbox.cds-hooks.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    allowed = {h.strip().lower() for h in preflight["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "Access-Control-Allow-Credentials" not in preflight
    assert client.options("/cds-services")["Access-Control-Allow-Methods"].startswith("GET")


# patient-view.


def test_a_spanish_speaking_patient_with_myoclonus_gets_the_spanish_article(
    demo, client, cds_check, settings
):
    response = post(client, "patient-view", patient_view())
    answer = cds_check(response, "/cds-services/patient-view")
    assert response["Cache-Control"] == "no-store"
    spanish = Condition.objects.live("es").get(translation_of=demo)
    # G25.3 and SNOMED CT 17450006, twice: one article, one card.
    [card] = answer["cards"]
    assert card["indicator"] == "info"
    assert spanish.title in card["summary"] and len(card["summary"]) < 140
    assert card["summary"].startswith("Información para el paciente")
    [link] = card["links"]
    assert link == {
        "label": f"Leer “{spanish.title}”",
        "url": f"{settings.SITE_URL}/es/conditions/{spanish.slug}/",
        "type": "absolute",
    }
    assert card["source"] == {"label": settings.CONTENT_PUBLISHER, "url": settings.SITE_URL + "/"}
    # The attribution: publisher, reviewer, licence.
    assert settings.CONTENT_PUBLISHER in card["detail"]
    assert spanish.reviewer_name in card["detail"]
    assert settings.CONTENT_LICENCE_NAME in card["detail"]


def test_an_english_speaking_patient_gets_the_english_article(demo, client, cds_check):
    patient = resource("patient-es")
    patient["communication"] = [
        {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "en"}]}}
    ]
    body = patient_view(
        prefetch={"patient": patient, "conditions": resource("conditions-searchset")}
    )
    [card] = cds_check(post(client, "patient-view", body), "/cds-services/patient-view")["cards"]
    assert card["summary"] == "Patient information: Myoclonus"
    assert card["links"][0]["url"].endswith("/conditions/myoclonus/")


def test_without_a_patient_the_hint_or_english_chooses(demo, client):
    conditions = resource("conditions-searchset")
    body = patient_view(prefetch={"conditions": conditions})
    [card] = post(client, "patient-view", body).json()["cards"]
    assert "/es/" not in card["links"][0]["url"]
    body["extension"] = {"informationRecipient.languageCode.c": "es-US"}
    [card] = post(client, "patient-view", body).json()["cards"]
    assert "/es/conditions/" in card["links"][0]["url"]


def test_a_child_code_finds_the_article_of_its_parent(demo, client):
    conditions = resource("conditions-searchset")
    conditions["entry"] = conditions["entry"][:1]
    conditions["entry"][0]["resource"]["code"]["coding"] = [
        {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "G25.39"}
    ]
    body = patient_view(prefetch={"conditions": conditions})
    [card] = post(client, "patient-view", body).json()["cards"]
    assert card["summary"] == "Patient information: Myoclonus"


def test_resolved_conditions_and_unknown_codes_get_no_card(demo, client, cds_check):
    conditions = resource("conditions-searchset")
    myoclonus = conditions["entry"][0]["resource"]
    myoclonus["clinicalStatus"]["coding"][0]["code"] = "resolved"
    conditions["entry"] = conditions["entry"][:2]
    body = patient_view(prefetch={"conditions": conditions})
    answer = cds_check(post(client, "patient-view", body), "/cds-services/patient-view")
    assert answer == {"cards": []}


def test_no_prefetch_reads_the_fhir_server_with_the_token(demo, client, settings):
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.CDS_HOOKS_FHIR_HTTPS_ONLY = False
    served = {
        "Patient/maria-garcia": resource("patient-es"),
        "Condition": resource("conditions-searchset"),
    }
    with FhirServer(served) as server:
        body = patient_view(prefetch=None, fhir_server=server.base)
        response = post(client, "patient-view", body)
    assert response.status_code == 200, response.content
    [card] = response.json()["cards"]
    assert "/es/conditions/" in card["links"][0]["url"]
    searched = {path: query for path, query, _auth in server.requests}
    assert searched["Condition"]["patient"] == ["maria-garcia"]
    assert searched["Condition"]["clinical-status"] == ["active"]
    assert {auth for _p, _q, auth in server.requests} == {f"Bearer {cds_client.TOKEN}"}


def test_a_fhir_server_that_refuses_the_token_is_a_412(demo, client, settings, cds_check):
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.CDS_HOOKS_FHIR_HTTPS_ONLY = False
    with FhirServer({"Condition": resource("conditions-searchset")}) as server:
        body = patient_view(prefetch={"conditions": None}, fhir_server=server.base, token="old")
        response = post(client, "patient-view", body)
    error = cds_check(response, "/cds-services/patient-view", status=412)["error"]
    assert error["code"] == "fhir_data_unavailable" and "401" in error["message"]


def test_the_fhir_server_on_this_machine_is_not_read_outside_the_tests(demo, client, settings):
    settings.CDS_HOOKS_FHIR_HTTPS_ONLY = False
    with FhirServer({"Condition": resource("conditions-searchset")}) as server:
        body = patient_view(prefetch=None, fhir_server=server.base)
        response = post(client, "patient-view", body)
    assert response.status_code == 412
    assert "internal" in response.json()["error"]["message"]
    assert server.requests == []


# order-select.


def test_ordering_clonazepam_links_its_page_and_the_articles_listing_it(
    demo, client, cds_check, settings
):
    body = order_select(
        ["MedicationRequest/order-clonazepam", "MedicationRequest/order-lisinopril"]
    )
    answer = cds_check(post(client, "order-select", body), "/cds-services/order-select")
    # Lisinopril is in no article: no card.
    [card] = answer["cards"]
    spanish = Condition.objects.live("es").get(translation_of=demo)
    assert card["summary"] == "Información sobre medicamentos: Clonazepam"
    drug_link, *articles = card["links"]
    assert drug_link["url"] == f"{settings.SITE_URL}/es/drugs/clonazepam/"
    assert [a["url"] for a in articles] == [f"{settings.SITE_URL}/es/conditions/{spanish.slug}/"]
    assert client.get(drug_link["url"].removeprefix(settings.SITE_URL)).status_code == 200


def test_an_order_coded_by_its_clinical_drug_is_found_by_name(demo, client):
    orders = resource("draft-orders")
    order = orders["entry"][0]["resource"]
    order["medicationCodeableConcept"]["coding"] = [
        {
            "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
            "code": "197527",
            "display": "clonazepam 0.5 MG Oral Tablet",
        }
    ]
    body = order_select(prefetch={})
    body["context"]["draftOrders"] = orders
    [card] = post(client, "order-select", body).json()["cards"]
    assert card["summary"] == "Drug information: Clonazepam"
    assert card["links"][0]["url"].endswith("/drugs/clonazepam/")


def test_only_the_selected_orders_get_cards(demo, client):
    body = order_select(["MedicationRequest/order-lisinopril", "MedicationRequest/nowhere"])
    assert post(client, "order-select", body).json() == {"cards": []}


# Refusals.


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    error = response.json()["error"]
    assert error["status"] == status and error["code"] == code and error["message"]
    return error


def test_an_unknown_service_is_a_json_404(db, client):
    _error(post(client, "medication-prescribe", patient_view()), 404, "unknown_service")
    _error(client.get("/cds-services/a/b"), 404, "unknown_service")


def test_a_service_is_called_with_post_only(db, client):
    response = client.get("/cds-services/patient-view")
    _error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST, OPTIONS"
    _error(client.post("/cds-services"), 405, "method_not_allowed")


@pytest.mark.parametrize(
    "body, where",
    [
        (b"{", "JSON"),
        (b"", "no body"),
        (b"[]", ""),
        ({"hook": "order-select"}, "hook"),
        (json.dumps({**patient_view(), "hookInstance": "not-a-uuid"}), "hookInstance"),
        (
            json.dumps({**patient_view(), "context": {"userId": "u", "patientId": "../x"}}),
            "patientId",
        ),
    ],
)
def test_a_malformed_call_is_a_json_400(db, client, body, where):
    error = _error(post(client, "patient-view", body), 400, "invalid_request")
    assert where in error["message"]


def test_authorization_without_a_server_is_refused(db, client):
    body = patient_view(fhir_server="https://ehr.example.org/fhir")
    del body["fhirServer"]
    assert (
        "fhirServer"
        in _error(post(client, "patient-view", body), 400, "invalid_request")["message"]
    )


def test_an_invalid_fhir_resource_is_a_json_400_naming_it(db, client):
    conditions = resource("conditions-searchset")
    del conditions["entry"][0]["resource"]["subject"]
    body = patient_view(prefetch={"conditions": conditions})
    error = _error(post(client, "patient-view", body), 400, "invalid_fhir")
    assert "prefetch.conditions" in error["message"] and "subject" in error["message"]
    body = order_select()
    body["context"]["draftOrders"] = resource("patient-es")
    error = _error(post(client, "order-select", body), 400, "invalid_fhir")
    assert "draftOrders" in error["message"]


def test_nothing_prefetched_and_no_server_is_a_412(db, client):
    body = patient_view(prefetch=None)
    _error(post(client, "patient-view", body), 412, "fhir_data_unavailable")


def test_a_body_over_the_limit_is_a_json_413(db, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = patient_view()
    _error(post(client, "patient-view", body), 413, "too_large")


def test_calls_need_no_csrf_token(demo):
    client = Client(enforce_csrf_checks=True)
    assert post(client, "patient-view", patient_view()).status_code == 200


def test_calls_share_the_apis_rate_limit(db, client, settings):
    settings.API_ANONYMOUS_REQUESTS_PER_HOUR = 2
    assert client.get("/cds-services").status_code == 200
    assert post(client, "patient-view", patient_view()).status_code == 200
    response = post(client, "patient-view", patient_view())
    _error(response, 429, "rate_limited")
    assert response["Retry-After"]


def test_the_authorization_header_is_not_taken_for_an_api_key(db, client):
    # It carries the CDS client's JWT, not a partner's key.
    response = post(client, "patient-view", patient_view(), Authorization="Bearer a.b.c")
    assert response.status_code == 200
    response = post(client, "patient-view", patient_view(), **{"X-API-Key": "hl_nothing"})
    _error(response, 401, "invalid_api_key")
