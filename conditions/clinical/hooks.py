"""The CDS Hooks services: what each one is (``SERVICES``, the discovery
answer) and what it answers a hook call with (``patient_view``,
``order_select``: a list of cards).

A call's FHIR data comes from its ``prefetch`` (the templates in
``SERVICES``) or, for what the client did not prefetch (a key missing or
null), from its FHIR server with its access token (``fhir_server``). A
resource the client sent that is not valid FHIR R4 is ``fhir.Invalid``
(the client's fault: 400); data that cannot be had is
``fhir_server.Unavailable`` (412). The patient's language is their
Patient's preferred communication language, else the call's hint, else
English; an article is given in it where the library publishes it.
"""

import re
from dataclasses import dataclass, field

from conditions import selectors
from conditions.clinical import cards, fhir, fhir_server
from conditions.models import Drug, codes
from conditions.pages.translations import SOURCE_LANGUAGE

PATIENT_VIEW = "patient-view"
ORDER_SELECT = "order-select"

SERVICES = [
    {
        "hook": PATIENT_VIEW,
        "id": PATIENT_VIEW,
        "title": "Patient information for the patient's conditions",
        "description": "Cards linking the library's medically reviewed articles about the "
        "patient's active conditions (ICD-10-CM or SNOMED CT codes, with the nearest "
        "ICD-10-CM parent as the fallback), in the patient's language where published.",
        "prefetch": {
            "patient": "Patient/{{context.patientId}}",
            "conditions": "Condition?patient={{context.patientId}}&clinical-status=active",
        },
    },
    {
        "hook": ORDER_SELECT,
        "id": ORDER_SELECT,
        "title": "Patient information for the drugs being ordered",
        "description": "Cards linking the library's page about each selected medication "
        "(by its ingredient's RxNorm code, or its name) and the articles that list it, in "
        "the patient's language where published.",
        "prefetch": {"patient": "Patient/{{context.patientId}}"},
    },
]
SERVICE_IDS = tuple(s["id"] for s in SERVICES)
# Asked of the FHIR server when the client prefetched no conditions.
CONDITION_SEARCH = {"clinical-status": "active", "_count": "100"}


@dataclass
class Call:
    """A validated hook call, as the services read it."""

    hook_instance: str
    patient_id: str
    prefetch: dict = field(default_factory=dict)
    fhir_server: str | None = None
    access_token: str | None = None
    language_hint: str | None = None
    context: dict = field(default_factory=dict)


def _fetch(call, path, params=None):
    if not (call.fhir_server and call.access_token):
        raise fhir_server.Unavailable(
            "The data was not prefetched and no fhirServer with fhirAuthorization was given."
        )
    return fhir_server.read(call.fhir_server, path, params or {}, call.access_token)


def _language(call):
    """The library's language for the call's patient."""
    data = call.prefetch.get("patient")
    patient = fhir.patient(data, "prefetch.patient") if data is not None else None
    if patient is None and call.fhir_server and call.access_token:
        # Only the language is missed without it: a failure is not the call's.
        try:
            patient = fhir.patient(_fetch(call, f"Patient/{call.patient_id}"), "Patient")
        except (fhir_server.Unavailable, fhir.Invalid):
            patient = None
    language = fhir.patient_language(patient) if patient is not None else None
    return language or fhir.library_language(call.language_hint) or SOURCE_LANGUAGE


def patient_view(call):
    """Cards for the articles about the patient's current conditions."""
    data = call.prefetch.get("conditions")
    if data is not None:
        found = fhir.bundle(data, "prefetch.conditions")
    else:
        fetched = _fetch(call, "Condition", {"patient": call.patient_id, **CONDITION_SEARCH})
        try:
            found = fhir.bundle(fetched, "The FHIR server's Condition search")
        except fhir.Invalid as exc:
            raise fhir_server.Unavailable(str(exc)) from None
    language = _language(call)
    matches = selectors.match_codes(fhir.condition_codes(fhir.resources(found, "Condition")))
    english = list(dict.fromkeys(i for _code, ids in matches.values() for i in ids))
    chosen = selectors.in_language(english, language)
    articles = list(dict.fromkeys(chosen[i] for i in english if i in chosen))
    return [cards.article_card(a, call.hook_instance) for a in articles]


class _Names:
    """The drugs of the library's articles by their names (read once, when
    an order is not coded with an ingredient's RxCUI)."""

    def __init__(self):
        self.patterns = None

    def drugs(self, names):
        """Drugs whose name (or another name) begins one of ``names``, a
        whole word: "clonazepam 0.5 MG Oral Tablet" is Clonazepam. For
        orders coded with a clinical drug's RxCUI (strength and form)."""
        words = [n.casefold() for n in names if n]
        if not words:
            return []
        if self.patterns is None:
            listed = Drug.objects.filter(group_items__isnull=False).distinct().order_by("name")
            self.patterns = [
                (drug, re.compile(rf"^{re.escape(name.casefold())}\b"))
                for drug in listed
                for name in [drug.name, *drug.other_name_list]
            ]
        found = {}
        for drug, pattern in self.patterns:
            if any(pattern.match(w) for w in words):
                found.setdefault(drug.pk, drug)
        return list(found.values())


def order_select(call):
    """Cards for the drugs of the selected medication orders."""
    orders = fhir.bundle(call.context.get("draftOrders"), "context.draftOrders")
    requests = fhir.resources(orders, "MedicationRequest")
    chosen = fhir.selected(requests, call.context.get("selections") or [])
    language = _language(call)
    concepts = [fhir.medication_concept(r) for r in chosen]
    coded = [
        [c for system, c in fhir.codings(concept) if system == codes.RXNORM] for concept in concepts
    ]
    by_code = selectors.drugs_by_rxnorm(c for rxcuis in coded for c in rxcuis)
    names, drugs = _Names(), {}
    for concept, rxcuis in zip(concepts, coded, strict=True):
        found = [by_code[c] for c in rxcuis if c in by_code]
        for drug in found or names.drugs(fhir.medication_names(concept)):
            drugs.setdefault(drug.pk, drug)
    listing = selectors.articles_listing(list(drugs), {language, SOURCE_LANGUAGE})
    answer = []
    for drug in drugs.values():
        listed = listing.get(drug.pk, [])
        shown = [a for a in listed if a.language == language] or [
            a for a in listed if a.language == SOURCE_LANGUAGE
        ]
        if shown:
            answer.append(cards.drug_card(drug, shown, call.hook_instance))
    return answer


RUN = {PATIENT_VIEW: patient_view, ORDER_SELECT: order_select}
