"""Medical codes (conditions.models.codes): normalized when valid, refused
with the format when not."""

import pytest
from django.core.exceptions import ValidationError

from conditions.models import MedicalCode
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
