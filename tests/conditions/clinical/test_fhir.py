"""FHIR R4 resources read (conditions.clinical.fhir): validated with
fhir.resources, the codes of current conditions and of medications, the
patient's language."""

import pytest

from conditions.clinical import fhir
from conditions.models import codes
from tests.cds_client import resource


def _conditions(bundle):
    return fhir.resources(fhir.bundle(bundle, "conditions"), "Condition")


def test_the_codes_of_current_conditions_in_order_each_once():
    found = fhir.condition_codes(_conditions(resource("conditions-searchset")))
    assert found == [
        (codes.ICD10CM, "G25.3"),
        (codes.SNOMEDCT, "17450006"),
        (codes.ICD10CM, "I10"),
        (codes.SNOMEDCT, "59621000"),
    ]


@pytest.mark.parametrize(
    "status, verification",
    [("resolved", "confirmed"), ("inactive", None), ("remission", None), ("active", "refuted")],
)
def test_conditions_over_or_refuted_have_no_codes(status, verification):
    bundle = resource("conditions-searchset")
    bundle["entry"] = bundle["entry"][:1]
    condition = bundle["entry"][0]["resource"]
    condition["clinicalStatus"]["coding"][0]["code"] = status
    if verification:
        condition["verificationStatus"]["coding"][0]["code"] = verification
    else:
        del condition["verificationStatus"]
    assert fhir.condition_codes(_conditions(bundle)) == []


def test_oids_undotted_codes_and_malformed_ones():
    bundle = resource("conditions-searchset")
    bundle["entry"] = bundle["entry"][:1]
    bundle["entry"][0]["resource"]["code"] = {
        "coding": [
            {"system": "urn:oid:2.16.840.1.113883.6.90", "code": "g2531"},
            {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "not a code"},
            {"system": "http://loinc.org", "code": "1234-5"},
            {"system": "http://snomed.info/sct"},
        ]
    }
    assert fhir.condition_codes(_conditions(bundle)) == [(codes.ICD10CM, "G25.31")]


def test_a_medication_coded_inline_or_in_a_contained_medication():
    orders = fhir.resources(fhir.bundle(resource("draft-orders"), "orders"), "MedicationRequest")
    [clonazepam] = fhir.selected(orders, ["MedicationRequest/order-clonazepam"])
    assert fhir.codings(fhir.medication_concept(clonazepam)) == [(codes.RXNORM, "2598")]
    assert fhir.medication_names(fhir.medication_concept(clonazepam)) == ["clonazepam"] * 2
    data = resource("draft-orders")["entry"][0]["resource"]
    concept = data.pop("medicationCodeableConcept")
    data["contained"] = [{"resourceType": "Medication", "id": "med1", "code": concept}]
    data["medicationReference"] = {"reference": "#med1"}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": data}]}
    [request] = fhir.resources(fhir.bundle(bundle, "orders"), "MedicationRequest")
    assert fhir.codings(fhir.medication_concept(request)) == [(codes.RXNORM, "2598")]
    data["medicationReference"] = {"reference": "Medication/elsewhere"}
    [request] = fhir.resources(fhir.bundle(bundle, "orders"), "MedicationRequest")
    assert fhir.medication_concept(request) is None


def test_the_patients_preferred_language_the_library_publishes_in():
    patient = fhir.patient(resource("patient-es"), "patient")
    assert fhir.patient_language(patient) == "es"
    data = resource("patient-es")
    data["communication"][1]["language"]["coding"][0]["code"] = "vi"
    assert fhir.patient_language(fhir.patient(data, "patient")) == "en"
    del data["communication"]
    assert fhir.patient_language(fhir.patient(data, "patient")) is None


@pytest.mark.parametrize(
    "tag, language",
    [("es", "es"), ("es-MX", "es"), ("ES_us", "es"), ("en", "en"), ("fr", None), ("e s", None),
     ("", None), (None, None), (7, None)],
)  # fmt: skip
def test_language_tags(tag, language):
    assert fhir.library_language(tag) == language


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "must be a FHIR Bundle"),
        ({"resourceType": "Patient"}, "must be a FHIR Bundle"),
        ({"resourceType": "Bundle"}, "type: .* required"),
        (
            {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [{"resource": {"resourceType": "Nope"}}],
            },
            "a resourceType that FHIR R4 does not have",
        ),
    ],
)  # fmt: skip
def test_what_is_not_a_valid_bundle_is_named(data, message):
    with pytest.raises(fhir.Invalid, match=message) as raised:
        fhir.bundle(data, "prefetch.conditions")
    assert str(raised.value).startswith("prefetch.conditions ")
