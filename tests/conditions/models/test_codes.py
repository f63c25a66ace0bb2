"""Medical codes (conditions.models.codes): normalized when valid, refused
with the format when not; drugs' RxNorm codes and the addresses built from
them."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from conditions.models import MedicalCode, codes
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "system, code, stored",
    [
        ("icd10cm", "G25.3", "G25.3"),
        ("icd10cm", "A00", "A00"),
        ("icd10cm", "s72.001a", "S72.001A"),
        ("icd10cm", " G2531 ", "G25.31"),
        ("icd10cm", "U07.1", "U07.1"),
        ("snomedct", "17450006", "17450006"),
        ("snomedct", "123456789012345678", "123456789012345678"),
    ],
)
def test_valid_medical_codes_are_normalized(system, code, stored):
    condition = factories.article("Coded", publish=False)
    medical_code = MedicalCode(condition=condition, system=system, code=code)
    medical_code.full_clean()
    assert medical_code.code == stored


@pytest.mark.parametrize(
    "system, code",
    [
        ("icd10cm", "G25.31234"),
        ("icd10cm", "25.3"),
        ("icd10cm", "G2"),
        ("icd10cm", "G25..3"),
        ("icd10cm", "17450006"),
        ("snomedct", "G25.3"),
        ("snomedct", "12345"),
        ("snomedct", "1234567890123456789"),
    ],
)
def test_malformed_medical_codes_are_refused(system, code):
    condition = factories.article("Coded", publish=False)
    with pytest.raises(ValidationError) as error:
        MedicalCode(condition=condition, system=system, code=code).full_clean()
    assert "code" in error.value.message_dict


# ---- RxNorm: drugs' codes and the pages they link to -------------------------

rxcuis = st.from_regex(r"\A[1-9][0-9]{0,9}\Z")


@given(
    rxcui=rxcuis, name=st.text(max_size=80), language=st.sampled_from(["en", "es", "fr", "es-mx"])
)
def test_medlineplus_connect_url_asks_for_the_rxcui_in_the_readers_language(rxcui, name, language):
    url = urlsplit(codes.medlineplus_connect_url(rxcui, name=name, language=language))
    assert (url.scheme, url.netloc, url.path) == (
        "https",
        "connect.medlineplus.gov",
        "/application",
    )
    params = parse_qs(url.query, keep_blank_values=True)
    expected = {
        "mainSearchCriteria.v.cs": ["2.16.840.1.113883.6.88"],  # RxNorm's OID
        "mainSearchCriteria.v.c": [rxcui],
        # MedlinePlus answers in English or Spanish; a region is its language's.
        "informationRecipient.languageCode.c": ["es" if language.startswith("es") else "en"],
    }
    if name:
        expected["mainSearchCriteria.v.dn"] = [name]
    assert params == expected


@given(name=st.text(min_size=1, max_size=80).filter(str.strip))
def test_dailymed_url_searches_every_label_for_the_name(name):
    url = urlsplit(codes.dailymed_search_url(name))
    assert (url.scheme, url.netloc, url.path) == (
        "https",
        "dailymed.nlm.nih.gov",
        "/dailymed/search.cfm",
    )
    assert parse_qs(url.query) == {"labeltype": ["all"], "query": [name.strip()]}


@given(code=rxcuis)
def test_every_rxcui_is_one(code):
    assert codes.is_rxcui(code)


@pytest.mark.parametrize(
    "code",
    ["", "0", "02598", "2598 ", "2598\n", "25 98", "12345678901", "٢٥٩٨", "2598a", "-2598", "2.5"],
)
def test_what_is_not_an_rxcui(code):
    assert not codes.is_rxcui(code)
    with pytest.raises(ValueError):
        codes.medlineplus_connect_url(code)


@pytest.mark.parametrize(
    "system, raw, normalized, valid",
    [
        (codes.RXNORM, " 2598 ", "2598", True),
        (codes.RXNORM, "002598", "2598", True),
        (codes.RXNORM, "0", "0", False),
        (codes.RXNORM, "25 98", "25 98", False),
        (codes.LOINC, "2345-7", "2345-7", True),
        (codes.LOINC, " 2345-7", "2345-7", True),
        (codes.LOINC, "2345", "2345", False),
        (codes.LOINC, "2345-77", "2345-77", False),
    ],
)
def test_the_lookups_other_systems_normalize_and_check_their_codes(system, raw, normalized, valid):
    code = codes.normalize(system, raw)
    assert code == normalized and codes.is_valid(system, code) is valid


def test_every_system_the_lookup_takes_has_its_hl7_oid_and_name():
    assert codes.LOOKUP_OIDS == {
        "2.16.840.1.113883.6.90": codes.ICD10CM,
        "2.16.840.1.113883.6.96": codes.SNOMEDCT,
        "2.16.840.1.113883.6.88": codes.RXNORM,
        "2.16.840.1.113883.6.1": codes.LOINC,
    }
    assert set(codes.CODING_SYSTEM_NAMES) == set(codes.LOOKUP_OID_OF)
    # Articles are coded in their own two systems only.
    assert set(codes.OIDS.values()) == {codes.ICD10CM, codes.SNOMEDCT}
