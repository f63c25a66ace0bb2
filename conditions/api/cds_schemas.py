"""The CDS Hooks 2.0 requests and answers (https://cds-hooks.hl7.org/2.0/),
as ninja schemas: the requests are validated with them (the FHIR
resources inside with fhir.resources, ``conditions.clinical.fhir``), and
the OpenAPI document describes /cds-services from them.

Names start with ``Cds``: they share the document's components with the
library API's."""

from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict, model_validator

from conditions.clinical.fhir import ID_PATTERN
from conditions.clinical.hooks import ORDER_SELECT, PATIENT_VIEW

FhirId = Annotated[str, Field(pattern=ID_PATTERN, description="A FHIR resource id.")]
# A reference to the user in the EHR: "Practitioner/123", "PractitionerRole/…".
UserReference = Annotated[str, Field(min_length=1, max_length=200)]


class _Request(Schema):
    # Members the specification may add, or a client's extensions, are ignored.
    model_config = ConfigDict(extra="ignore")


class CdsFhirAuthorization(_Request):
    """An OAuth 2.0 access token to the client's FHIR server."""

    access_token: str = Field(min_length=1, max_length=8192)
    token_type: Literal["Bearer"]
    expires_in: int = Field(ge=0)
    scope: str = Field(max_length=4096)
    subject: str = Field(max_length=1000)
    patient: FhirId | None = None


class CdsPatientViewContext(_Request):
    userId: UserReference
    patientId: FhirId
    encounterId: FhirId | None = None


class CdsOrderSelectContext(_Request):
    userId: UserReference
    patientId: FhirId
    encounterId: FhirId | None = None
    selections: list[Annotated[str, Field(max_length=200)]] = Field(
        min_length=1,
        max_length=100,
        description='The newly selected orders, as "MedicationRequest/<id>" in draftOrders.',
    )
    draftOrders: dict[str, Any] = Field(
        description="A FHIR R4 Bundle of the unsigned orders (MedicationRequest resources)."
    )


class _Call(_Request):
    hookInstance: UUID
    fhirServer: str | None = Field(
        None, max_length=2000, description="The base URL of the client's FHIR server (https)."
    )
    fhirAuthorization: CdsFhirAuthorization | None = None
    prefetch: dict[str, dict[str, Any] | None] | None = Field(
        None, description="The FHIR resources asked for in the discovery's prefetch templates."
    )
    extension: dict[str, Any] | None = Field(
        None,
        description='"informationRecipient.languageCode.c": the language the patient reads '
        "(a language tag, as the HL7 Infobutton parameter), used when the Patient does not say.",
    )

    @model_validator(mode="after")
    def _server_with_authorization(self):
        # cds-r-1: fhirAuthorization implies fhirServer.
        if self.fhirAuthorization is not None and not self.fhirServer:
            raise ValueError("fhirAuthorization is given without fhirServer")
        return self


class CdsPatientViewRequest(_Call):
    hook: Literal[PATIENT_VIEW]
    context: CdsPatientViewContext
    prefetch: dict[str, dict[str, Any] | None] | None = Field(
        None,
        description='"patient": the Patient; "conditions": a FHIR R4 searchset Bundle of the '
        "patient's Condition resources. Either may be missing or null: the service then reads "
        "the FHIR server.",
    )


class CdsOrderSelectRequest(_Call):
    hook: Literal[ORDER_SELECT]
    context: CdsOrderSelectContext


# Answers.


class CdsService(Schema):
    hook: str
    title: str
    description: str
    id: str
    prefetch: dict[str, str]


class CdsDiscovery(Schema):
    services: list[CdsService]


class CdsSource(Schema):
    label: str
    url: str = Field(json_schema_extra={"format": "uri"})


class CdsLink(Schema):
    label: str
    url: str = Field(json_schema_extra={"format": "uri"})
    type: Literal["absolute", "smart"]


class CdsCard(Schema):
    uuid: str
    summary: str = Field(max_length=140)
    detail: str = Field(description="GitHub Flavored Markdown.")
    indicator: Literal["info", "warning", "critical"]
    source: CdsSource
    links: list[CdsLink]


class CdsCards(Schema):
    cards: list[CdsCard]
