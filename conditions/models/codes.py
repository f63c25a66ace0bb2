"""Medical code systems: their formats, their HL7 OIDs, the ICD-10-CM
hierarchy the lookup API falls back along, the systems an infobutton
request may name, and the public pages a drug's RxNorm code (or name) links
readers to."""

import re
from urllib.parse import urlencode

ICD10CM = "icd10cm"
SNOMEDCT = "snomedct"
# Drugs' codes (``Drug.rxnorm_code``), not articles': below.
RXNORM = "rxnorm"
# Laboratory tests: no record carries one yet, but an EHR's infobutton on a
# lab result asks with one (and gets no articles).
LOINC = "loinc"

# HL7 code system OIDs, as sent in mainSearchCriteria.v.cs by infobuttons.
OIDS = {
    "2.16.840.1.113883.6.90": ICD10CM,
    "2.16.840.1.113883.6.96": SNOMEDCT,
}
OID_OF = {system: oid for oid, system in OIDS.items()}
RXNORM_OID = "2.16.840.1.113883.6.88"
LOINC_OID = "2.16.840.1.113883.6.1"
# Every system the lookup answers for (the OIDs MedlinePlus Connect takes,
# but ICD-9-CM: nothing in the library is coded in it): the articles' own,
# RxNorm (the articles whose treatment lists the drug) and LOINC.
LOOKUP_OIDS = {**OIDS, RXNORM_OID: RXNORM, LOINC_OID: LOINC}
LOOKUP_OID_OF = {system: oid for oid, system in LOOKUP_OIDS.items()}
# How schema.org names them (MedicalCode.codingSystem).
CODING_SYSTEM_NAMES = {
    ICD10CM: "ICD-10-CM",
    SNOMEDCT: "SNOMED CT",
    RXNORM: "RxNorm",
    LOINC: "LOINC",
}

# A letter, two characters (digit, then digit or letter), then optionally a
# dot and one to four more: A00, G25.3, S72.001A, U07.1.
_ICD10CM = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")
_ICD10CM_UNDOTTED = re.compile(r"^([A-Z][0-9][0-9A-Z])([0-9A-Z]{1,4})$")
_SNOMEDCT = re.compile(r"^[0-9]{6,18}$")
# A LOINC code: up to seven digits, a hyphen and a check digit (2345-7).
_LOINC = re.compile(r"\A[0-9]{1,7}-[0-9]\Z")

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
    elif system == RXNORM and code.isascii() and code.isdigit():
        # RxCUIs are written without leading zeros.
        code = code.lstrip("0") or "0"
    return code


def is_valid(system, code):
    if system == ICD10CM:
        return bool(_ICD10CM.match(code))
    if system == SNOMEDCT:
        return bool(_SNOMEDCT.match(code))
    if system == RXNORM:
        return is_rxcui(code)
    if system == LOINC:
        return bool(_LOINC.match(code))
    return False


def icd10cm_ancestors(code):
    """The code, then each parent up to its three-character category:
    ``G25.31`` → ``["G25.31", "G25.3", "G25"]``."""
    chain = [code]
    while "." in code:
        code = code[:-1].rstrip(".")
        chain.append(code)
    return chain


# RxNorm: drugs. An RxCUI (RxNorm concept unique identifier) is a positive
# whole number, written without leading zeros. Drugs store their
# ingredient's RxCUI (clonazepam: 2598).
# Not in OIDS (articles' own systems): the lookup finds articles listing the drug.
_RXCUI = re.compile(r"\A[1-9][0-9]{0,9}\Z")
RXCUI_HELP = "An RxCUI is a whole number of 1 to 10 digits, for example 2598 (clonazepam)."

# Where readers read more about a drug, built from its RxCUI (MedlinePlus
# Connect's web application, an HL7 Infobutton: medlineplus.gov's
# "MedlinePlus Connect: Web Application") or its name (DailyMed's search of
# the labels submitted to the FDA: DailyMed files each label under the
# RxCUIs of its products, such as "clonazepam 0.5 MG Oral Tablet", never
# under the ingredient's, so the ingredient's name is what finds them).
MEDLINEPLUS_CONNECT = "https://connect.medlineplus.gov/application"
MEDLINEPLUS_CONNECT_LANGUAGES = ("en", "es")
DAILYMED_SEARCH = "https://dailymed.nlm.nih.gov/dailymed/search.cfm"


def is_rxcui(code):
    return isinstance(code, str) and bool(_RXCUI.match(code))


def medlineplus_connect_url(rxcui, *, name="", language="en"):
    """MedlinePlus's pages for the drug ``rxcui`` (in ``language`` when
    MedlinePlus has it: English or Spanish; English otherwise)."""
    if not is_rxcui(rxcui):
        raise ValueError(f"{rxcui!r} is not an RxCUI")
    params = {
        "mainSearchCriteria.v.cs": RXNORM_OID,
        "mainSearchCriteria.v.c": rxcui,
    }
    if name:
        params["mainSearchCriteria.v.dn"] = name
    params["informationRecipient.languageCode.c"] = medlineplus_language(language)
    return f"{MEDLINEPLUS_CONNECT}?{urlencode(params)}"


def medlineplus_language(language):
    """The language MedlinePlus answers in for a reader of ``language``."""
    base = (language or "en").split("-")[0].lower()
    return base if base in MEDLINEPLUS_CONNECT_LANGUAGES else "en"


def dailymed_search_url(name):
    """DailyMed's list of the labels for the drug called ``name`` (every
    kind of label: prescription, over the counter…)."""
    if not (name or "").strip():
        raise ValueError("DailyMed is searched by a drug's name")
    return f"{DAILYMED_SEARCH}?{urlencode({'labeltype': 'all', 'query': name.strip()})}"
