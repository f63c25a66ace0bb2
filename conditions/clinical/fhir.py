"""FHIR R4 resources as CDS clients send them (in ``prefetch``, in
``context.draftOrders``, or from their FHIR server), validated with
fhir.resources and read for what the services need: the codes of a
patient's conditions and orders, and the patient's language.

fhir.resources 8 models FHIR R5 at its top level and R4B (4.3) under
``fhir.resources.R4B``; R4 (4.0.1) itself is only in its releases for
pydantic 1, which the API's pydantic 2 rules out. R4B changed none of the
resources read here (Bundle, Patient, Condition, MedicationRequest,
Medication) from R4, so an R4 resource validates as R4B: a client's R4
Bundle is checked against the same elements, cardinalities and types.
"""

import functools
import re

from django.utils import translation
from pydantic import ValidationError

from conditions.models import codes

# Code systems as FHIR names them (and as OIDs, which some clients send).
SYSTEMS = {
    "http://hl7.org/fhir/sid/icd-10-cm": codes.ICD10CM,
    "urn:oid:2.16.840.1.113883.6.90": codes.ICD10CM,
    "http://snomed.info/sct": codes.SNOMEDCT,
    "urn:oid:2.16.840.1.113883.6.96": codes.SNOMEDCT,
    "http://www.nlm.nih.gov/research/umls/rxnorm": codes.RXNORM,
    "urn:oid:2.16.840.1.113883.6.88": codes.RXNORM,
}
SYSTEM_URIS = {
    codes.ICD10CM: "http://hl7.org/fhir/sid/icd-10-cm",
    codes.SNOMEDCT: "http://snomed.info/sct",
    codes.RXNORM: "http://www.nlm.nih.gov/research/umls/rxnorm",
}
# A condition that is over, or was never there, gets no card.
INACTIVE_STATUSES = frozenset({"inactive", "remission", "resolved"})
NOT_CONFIRMED = frozenset({"refuted", "entered-in-error"})
# A FHIR resource id (R4 §2.1.28.2): what may follow "Patient/" in a URL.
ID_PATTERN = r"^[A-Za-z0-9\-.]{1,64}$"
# Errors fhir.resources raises on malformed input besides pydantic's: an
# unknown or non-text resourceType (KeyError, TypeError), deep nesting.
_MALFORMED = (ValidationError, ValueError, TypeError, LookupError, AttributeError, RecursionError)


class Invalid(Exception):
    """A resource that is not valid FHIR R4; the message says where."""


def _first_error(exc):
    if isinstance(exc, ValidationError) and exc.errors():
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return f"{where}: {error['msg']}" if where else error["msg"]
    if isinstance(exc, KeyError | TypeError):
        return "a resourceType that FHIR R4 does not have"
    return "malformed"


@functools.cache
def _model(name):
    """fhir.resources' R4B model ``name`` ("Bundle", "Patient"), imported
    when first needed: the package takes half a second to import, which
    every command and process of the site would pay otherwise."""
    if name == "Bundle":
        from fhir.resources.R4B.bundle import Bundle

        return Bundle
    from fhir.resources.R4B.patient import Patient

    return Patient


def validate(name, data, where):
    """``data`` (parsed JSON) as the FHIR R4 resource ``name`` ("Bundle",
    "Patient"), or ``Invalid`` naming ``where`` it came from."""
    model = _model(name)
    if not isinstance(data, dict) or data.get("resourceType") != name:
        raise Invalid(f"{where} must be a FHIR {name} resource.")
    try:
        return model.model_validate(data)
    except _MALFORMED as exc:
        raise Invalid(f"{where} is not a valid FHIR R4 {name}: {_first_error(exc)}") from None


def bundle(data, where):
    return validate("Bundle", data, where)


def patient(data, where):
    return validate("Patient", data, where)


def resources(found, resource_type):
    """The resources of ``resource_type`` in the Bundle ``found``."""
    return [
        entry.resource
        for entry in found.entry or []
        if entry.resource is not None and entry.resource.get_resource_type() == resource_type
    ]


def _status_codes(concept):
    return {c.code for c in (concept.coding or []) if c.code} if concept else set()


def codings(concept):
    """(system, code) of each coding of a CodeableConcept in a system the
    library knows, normalized; malformed codes left out."""
    found = []
    for coding in (concept.coding or []) if concept is not None else []:
        system = SYSTEMS.get(coding.system or "")
        if system is None or not coding.code:
            continue
        code = codes.normalize(system, coding.code) if system != codes.RXNORM else coding.code
        valid = codes.is_rxcui(code) if system == codes.RXNORM else codes.is_valid(system, code)
        if valid:
            found.append((system, code))
    return found


def condition_codes(conditions):
    """The ICD-10-CM and SNOMED CT codes of the conditions that are
    current (neither over nor refuted), in order, each once."""
    found = []
    for condition in conditions:
        if _status_codes(condition.clinicalStatus) & INACTIVE_STATUSES:
            continue
        if _status_codes(condition.verificationStatus) & NOT_CONFIRMED:
            continue
        found.extend(c for c in codings(condition.code) if c[0] != codes.RXNORM)
    return list(dict.fromkeys(found))


def medication_concept(request):
    """The coded medication of a MedicationRequest: its
    medicationCodeableConcept, or the Medication its medicationReference
    points at among its contained resources."""
    if request.medicationCodeableConcept is not None:
        return request.medicationCodeableConcept
    reference = request.medicationReference
    if reference is not None and (reference.reference or "").startswith("#"):
        for contained in request.contained or []:
            if contained.get_resource_type() == "Medication" and (
                contained.id == reference.reference[1:]
            ):
                return contained.code
    return None


def medication_names(concept):
    """The words a medication is named by: its codings' displays and its text."""
    if concept is None:
        return []
    names = [c.display for c in concept.coding or [] if c.display]
    if concept.text:
        names.append(concept.text)
    return names


def selected(requests, selections):
    """The MedicationRequests of ``requests`` that ``selections``
    ("MedicationRequest/<id>") name, in the selections' order."""
    by_id = {f"MedicationRequest/{r.id}": r for r in requests if r.id}
    return [by_id[s] for s in dict.fromkeys(selections) if s in by_id]


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")


def library_language(tag):
    """The library's language for a language tag (``es-MX`` → ``es``), or
    None when the tag is malformed or names a language it does not publish in."""
    if not isinstance(tag, str) or not _LANGUAGE_TAG.match(tag):
        return None
    try:
        return translation.get_supported_language_variant(tag.lower().replace("_", "-"))
    except LookupError:
        return None


def patient_language(found):
    """The library's language the Patient ``found`` reads: the preferred
    one of its communication languages, else the first; None when it says
    none the library publishes in."""
    communication = sorted(found.communication or [], key=lambda c: not c.preferred)
    for entry in communication:
        for coding in entry.language.coding or []:
            language = library_language(coding.code)
            if language is not None:
                return language
    return None
