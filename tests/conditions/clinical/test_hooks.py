"""The services (conditions.clinical.hooks): a fixed number of queries
however many conditions and orders a call has; what the FHIR server is
asked when the client prefetched less, and what happens when it fails."""

import copy

import pytest

from conditions.clinical import fhir, fhir_server, hooks
from tests import factories
from tests.cds_client import TOKEN, FhirServer, resource


def _call(prefetch=None, **kwargs):
    return hooks.Call(
        hook_instance="call-1", patient_id="maria-garcia", prefetch=prefetch or {}, **kwargs
    )


def _many_conditions(count):
    bundle = resource("conditions-searchset")
    template = bundle["entry"][0]
    bundle["entry"] = []
    for n in range(count):
        entry = copy.deepcopy(template)
        entry["resource"]["id"] = f"cond-{n}"
        entry["resource"]["code"]["coding"] = [
            {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": f"G{n % 100:02d}.{n % 7}"},
            {"system": "http://snomed.info/sct", "code": str(100000 + n)},
        ]
        bundle["entry"].append(entry)
    # And the Myoclonus of the demo, by a child of its code.
    template["resource"]["code"]["coding"][0]["code"] = "G25.39"
    bundle["entry"].append(template)
    return bundle


def test_patient_view_reads_a_big_record_in_a_few_queries(demo, django_assert_max_num_queries):
    for n in range(20):
        factories.article(
            f"Condition G{n:02d}", codes=[("icd10cm", f"G{n:02d}")], **factories.SMALL
        )
    call = _call({"patient": resource("patient-es"), "conditions": _many_conditions(300)})
    with django_assert_max_num_queries(2):
        cards = hooks.patient_view(call)
    # G25.39 finds Myoclonus (in Spanish); G00…G19 their articles; one card each.
    assert len(cards) == 21
    assert sum("/es/conditions/" in c["links"][0]["url"] for c in cards) == 1


def test_order_select_reads_many_orders_in_a_few_queries(demo, django_assert_max_num_queries):
    orders = resource("draft-orders")
    template = orders["entry"][0]
    for n in range(100):
        entry = copy.deepcopy(template)
        entry["resource"]["id"] = f"order-{n}"
        orders["entry"].append(entry)
    # One coded by its clinical drug, found by its name.
    entry["resource"]["medicationCodeableConcept"] = {"text": "Clonazepam 0.5 MG Oral Tablet"}
    selections = [f"MedicationRequest/order-{n}" for n in range(100)]
    call = _call(
        {"patient": resource("patient-es")},
        context={"draftOrders": orders, "selections": selections},
    )
    with django_assert_max_num_queries(3):
        cards = hooks.order_select(call)
    assert len(cards) == 1


@pytest.fixture
def local(settings):
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.CDS_HOOKS_FHIR_HTTPS_ONLY = False


def test_the_patient_is_read_when_not_prefetched_and_its_failure_costs_only_the_language(
    demo, local
):
    conditions = resource("conditions-searchset")
    with FhirServer({"Patient/maria-garcia": resource("patient-es")}) as server:
        [card] = hooks.patient_view(
            _call({"conditions": conditions}, fhir_server=server.base, access_token=TOKEN)
        )
    assert "/es/conditions/" in card["links"][0]["url"]
    assert [path for path, _q, _a in server.requests] == ["Patient/maria-garcia"]
    with FhirServer({}) as server:  # the Patient is not found: English
        [card] = hooks.patient_view(
            _call({"conditions": conditions}, fhir_server=server.base, access_token=TOKEN)
        )
    assert "/es/" not in card["links"][0]["url"]


def test_a_condition_search_that_is_not_a_bundle_is_unavailable(demo, local):
    with FhirServer({"Condition": resource("patient-es")}) as server:
        call = _call(
            {"patient": resource("patient-es")}, fhir_server=server.base, access_token=TOKEN
        )
        with pytest.raises(fhir_server.Unavailable, match="Condition search"):
            hooks.patient_view(call)


def test_a_prefetched_patient_that_is_not_valid_is_the_clients_fault(db):
    patient = resource("patient-es")
    patient["birthDate"] = "1961-13-45"
    with pytest.raises(fhir.Invalid, match="prefetch.patient"):
        hooks.patient_view(
            _call({"patient": patient, "conditions": resource("conditions-searchset")})
        )


def test_the_discovery_entries():
    assert hooks.SERVICE_IDS == ("patient-view", "order-select")
    assert set(hooks.RUN) == set(hooks.SERVICE_IDS)
