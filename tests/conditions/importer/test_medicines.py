"""Which bullets name medicines (conditions.importer.medicines)."""

import pytest

from conditions.importer import medicines

M, N, U = "medicine", "not a medicine", "uncertain"


@pytest.mark.parametrize(
    ("item", "context", "verdict"),
    [
        ("Lorazepam", False, M),
        ("Metformin", False, M),
        ("Diphenhydramine", False, M),
        ("Hydrocortisone cream", False, M),
        ("Antihistamines", False, M),
        ("Vitamin D supplements", False, M),
        ("Blood thinners", False, M),
        ("Colchicine", True, M),  # no telling ending, but under "Medicines:"
        ("Colchicine", False, N),  # nothing marks it: stays text, unasked
        ("Rest", False, N),
        ("Ice packs", False, N),
        ("Night splints", False, N),
        ("Physical therapy", False, N),
        ("Cognitive behavioral therapy", False, N),
        ("Pulmonary rehabilitation", False, N),
        ("Hearing aids", False, N),
        ("Surgery to repair the tendon", False, N),
        ("Arthroscopy", False, N),
        ("Tonsillectomy", False, N),
        ("Carpal tunnel release", False, N),
        ("Avoiding alcohol", False, N),
        ("Drink plenty of fluids.", False, N),
        ("Physical therapy", True, U),  # under "Medicines:", reads as therapy
        ("Nicotine replacement therapy", False, N),
        ("Steroid injections", False, M),
        ("Epidural steroid injections", False, U),
        ("Chemotherapy", False, U),
        ("Saline nasal spray", False, U),
        ("Pain relievers, such as ibuprofen", False, U),
    ],
)
def test_which_bullets_are_medicines(item, context, verdict):
    from conditions.importer import medicines

    assert medicines.classify(item, context=context).kind == verdict


@pytest.mark.parametrize(
    ("item", "context", "verdict"),
    [
        ("Tetrabenazina", False, medicines.MEDICINE),
        ("Gabapentina", False, medicines.MEDICINE),
        ("Aciclovir", False, medicines.MEDICINE),
        ("5-hidroxitriptófano (5-HTP)", False, medicines.MEDICINE),
        ("Colchicina", True, medicines.MEDICINE),
        ("Colchicina", False, medicines.NOT_MEDICINE),
        ("Fisioterapia", False, medicines.NOT_MEDICINE),
        ("Bajar de peso", True, medicines.NOT_MEDICINE),
        ("Cirugía para liberar el nervio", False, medicines.NOT_MEDICINE),
        ("Analgésicos, como el ibuprofeno", False, medicines.UNCERTAIN),
        ("Inyecciones de plasma rico en plaquetas", False, medicines.UNCERTAIN),
    ],
)
def test_which_spanish_bullets_are_medicines(item, context, verdict):
    assert medicines.classify(item, context=context, language="es").kind == verdict
