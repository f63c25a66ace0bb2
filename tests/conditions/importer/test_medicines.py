"""Which bullets name medicines (conditions.importer.medicines).

A medicine list whose introducing sentence comes one sentence before the
colon (issue 31): "Some medicines can ease a flare. These can include:"
becomes a drug group like "Medicines may include:" does, instead of text.

The colon sentence names nothing and points back ("These", "Examples",
"Estos pueden incluir"); the sentence before it says what it points to,
read by which comes first in it, medicines or other care ("Antibiotics are
used before and after surgery" is about antibiotics). The drug names in
these tests are ones the importer cannot tell by their endings
(Azathioprine, Cefoxitin, Colchicine), so only the introduction makes
them medicines.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conditions import importer
from conditions.importer import medicines
from tests.paths import ARTICLES

# Medicines with nothing in their names that says so.
PLAIN_NAMES = [
    "Azathioprine",
    "Mycophenolate mofetil",
    "Colchicine",
    "Cefoxitin",
    "Cyclophosphamide",
    "Apremilast",
    "Cyclosporine",
    "Leflunomide",
    "Anakinra",
    "Cephalexin",
]


def parse(name, language="en"):
    path = ARTICLES / name
    return importer.parse_article(path.read_bytes(), name=path.name, language=language)


def groups(parsed):
    return [(g["heading"], [d["name"] for d in g["drugs"]]) for g in parsed.data["drug_groups"]]


def treatment(parsed):
    return next(s["body"] for s in parsed.data["sections"] if s["kind"] == "treatment")


@pytest.mark.parametrize("name", PLAIN_NAMES)
def test_the_names_alone_do_not_say_medicine(name):
    assert medicines.classify(name).kind != medicines.MEDICINE


def test_these_can_include_after_some_medicines_is_a_drug_group():
    parsed = parse("lupus.txt")
    assert groups(parsed) == [
        ("", ["Hydroxychloroquine", "Azathioprine", "Mycophenolate mofetil", "Belimumab"]),
    ]
    body = treatment(parsed)
    assert "Azathioprine" not in body
    # The therapies after "Other treatments include:" stay text.
    assert "- Resting during a flare\n- Physical therapy for stiff joints" in body
    # The introducing sentence stays, and is no lost-links gap.
    assert "Some medicines can ease a flare. These can include:" in body
    assert parsed.report.gaps == [] and parsed.report.check == []


def test_medicines_named_before_surgery_in_the_sentence_before():
    parsed = parse("appendicitis.txt")
    assert groups(parsed) == [
        ("", ["Cefoxitin", "Piperacillin and tazobactam", "Metronidazole"]),
    ]


def test_the_sentence_before_may_name_medicines_by_their_form():
    assert groups(parse("cellulitis.txt")) == [
        ("", ["Cephalexin", "Dicloxacillin", "Clindamycin"]),
    ]


def test_in_spanish():
    assert groups(parse("es/celulitis.txt", "es")) == [
        ("", ["Cefalexina", "Dicloxacilina", "Clindamicina"]),
    ]


@pytest.mark.parametrize(
    ("intro", "before", "language"),
    [
        ("Some medicines can ease a flare. These can include:", "", "en"),
        ("Antibiotics are used before and after surgery. These can include:", "", "en"),
        ("Your doctor may prescribe pills. Examples are:", "", "en"),
        ("Steroids calm the swelling. Common ones are:", "", "en"),
        # The sentence before is its own paragraph (or was glued to it).
        ("These can include:", "Medicines that calm the immune system may help.", "en"),
        ("Algunos medicamentos alivian los brotes. Estos pueden incluir:", "", "es"),
        ("Pueden incluir:", "Los antibióticos son el tratamiento principal.", "es"),
    ],
)
def test_introductions_that_point_back_to_medicines(intro, before, language):
    assert medicines.introduces_medicines(intro, before, language)


@pytest.mark.parametrize(
    ("intro", "before"),
    [
        # The sentence before is about other care.
        ("Surgery may be needed. Options include:", ""),
        ("Physical therapy can help. These include:", ""),
        ("Surgery is often followed by antibiotics. These can include:", ""),
        # The colon sentence has a subject of its own.
        ("Some medicines can ease a flare. Other treatments include:", ""),
        ("Some medicines can ease a flare. Exercises that help include:", ""),
        # Only one sentence back.
        ("Medicines can help. Rest is also important. These include:", ""),
        ("These include:", ""),
    ],
)
def test_introductions_that_do_not(intro, before):
    assert not medicines.introduces_medicines(intro, before)


# Generated: any introduction of this shape, in any Treatment.

SUBJECTS = [
    "Some medicines",
    "Certain medicines",
    "Prescription drugs",
    "Antibiotics",
    "Medications that calm the immune system",
    "Pills taken by mouth",
    "Steroids",
]
PREDICATES = [
    "can ease a flare",
    "may help",
    "are often used first",
    "can lower the swelling",
    "are used before and after surgery",
]
POINTERS = [
    "These can include",
    "These may include",
    "They include",
    "Examples are",
    "Examples include",
    "Some of them are",
    "Options include",
    "Common ones are",
]
THERAPIES = ["Physical therapy", "Surgery", "Exercise", "A brace", "Rest"]
THERAPY_ITEMS = ["Stretching", "Ice packs", "Night splints", "Massage"]


def _with_treatment(block):
    text = (ARTICLES / "gout.txt").read_text()
    blocks = re.split(r"\n{3,}", text)
    blocks[4] = block  # gout's Treatment
    return "\n\n\n".join(blocks).encode()


@settings(max_examples=40, deadline=None)
@given(
    subject=st.sampled_from(SUBJECTS),
    predicate=st.sampled_from(PREDICATES),
    pointer=st.sampled_from(POINTERS),
    names=st.lists(st.sampled_from(PLAIN_NAMES), min_size=1, max_size=4, unique=True),
    apart=st.sampled_from([" ", "\n", ""]),  # one paragraph, two lines, glued
)
def test_generated_introductions_make_drug_groups(subject, predicate, pointer, names, apart):
    bullets = "\n".join(f"  • {n}" for n in names)
    block = (
        f"The goal of treatment is to ease pain. {subject} {predicate}.{apart}{pointer}:\n"
        f"{bullets}\nRest can also help."
    )
    parsed = importer.parse_article(_with_treatment(block), name="gout.txt")
    assert groups(parsed) == [("", names)]
    assert [gap for gap in parsed.report.gaps if gap[0] == "Treatment"] == []


@settings(max_examples=25, deadline=None)
@given(
    subject=st.sampled_from(THERAPIES),
    pointer=st.sampled_from(POINTERS),
    items=st.lists(st.sampled_from(THERAPY_ITEMS), min_size=1, max_size=3, unique=True),
)
def test_generated_introductions_of_other_care_stay_text(subject, pointer, items):
    bullets = "\n".join(f"  • {n}" for n in items)
    block = f"The goal of treatment is to ease pain. {subject} may help. {pointer}:\n{bullets}"
    parsed = importer.parse_article(_with_treatment(block), name="gout.txt")
    assert groups(parsed) == []
    assert all(f"- {item}" in treatment(parsed) for item in items)


# Which bullets are medicines, without an introduction.

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
