"""Medical code systems: their formats, their HL7 OIDs, and the ICD-10-CM
hierarchy the lookup API falls back along."""

import re

ICD10CM = "icd10cm"
SNOMEDCT = "snomedct"

# HL7 code system OIDs, as sent in mainSearchCriteria.v.cs by infobuttons.
OIDS = {
    "2.16.840.1.113883.6.90": ICD10CM,
    "2.16.840.1.113883.6.96": SNOMEDCT,
}
OID_OF = {system: oid for oid, system in OIDS.items()}
# How schema.org names them (MedicalCode.codingSystem).
CODING_SYSTEM_NAMES = {ICD10CM: "ICD-10-CM", SNOMEDCT: "SNOMED CT"}

# A letter, two characters (digit, then digit or letter), then optionally a
# dot and one to four more: A00, G25.3, S72.001A, U07.1.
_ICD10CM = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")
_ICD10CM_UNDOTTED = re.compile(r"^([A-Z][0-9][0-9A-Z])([0-9A-Z]{1,4})$")
_SNOMEDCT = re.compile(r"^[0-9]{6,18}$")

FORMAT_HELP = {
    ICD10CM: "An ICD-10-CM code is a letter, two digits or letters, then optionally a dot "
    "and up to four more, for example G25.3, A00 or S72.001A.",
    SNOMEDCT: "A SNOMED CT concept id is 6 to 18 digits, for example 17450006.",
}


def normalize(system, code):
    """The code as stored: ICD-10-CM upper case with its dot (``g2531`` →
    ``G25.31``); surrounding spaces removed. Does not validate."""
    code = (code or "").strip()
    if system == ICD10CM:
        code = code.upper().replace(" ", "")
        undotted = _ICD10CM_UNDOTTED.match(code)
        if undotted:
            code = f"{undotted.group(1)}.{undotted.group(2)}"
    return code


def is_valid(system, code):
    if system == ICD10CM:
        return bool(_ICD10CM.match(code))
    if system == SNOMEDCT:
        return bool(_SNOMEDCT.match(code))
    return False


def icd10cm_ancestors(code):
    """The code, then each parent up to its three-character category:
    ``G25.31`` → ``["G25.31", "G25.3", "G25"]``."""
    chain = [code]
    while "." in code:
        code = code[:-1].rstrip(".")
        chain.append(code)
    return chain
