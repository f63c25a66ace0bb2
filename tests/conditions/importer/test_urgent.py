"""Emergency blocks become the urgent-help section (issue 31).

A sentence that sends the reader to emergency care on a condition ("Get
medical help right away if there is:", "Call 911 or go to the emergency
room if …", "Busque atención médica de inmediato si …"), with the list it
introduces, is moved wherever it is to the "When to get urgent help"
section that readers see first; the rest of the text stays where it was.

The sample articles (appendicitis, lupus, cellulitis, insect sting allergy,
es/celulitis) were written for these tests from general knowledge in the
seed's format; their citations imitate real ones and were not checked.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions import importer, selectors
from conditions.importer import urgent
from conditions.models import Condition
from tests.conditions.importer.articles import kinds, parse, sections
from tests.paths import ARTICLES

# 1. Sentences: by what they say, not by how they are worded.

EMERGENCIES = [
    "Get medical help right away if there is:",
    "Call 911 or go to the emergency room if you have chest pain or trouble breathing.",
    "Seek emergency care if you have:",
    "Go to the nearest emergency department if the swelling spreads beyond the sting.",
    "If your throat feels tight or you feel faint after a sting, call 911.",
    "Call your doctor right away if you notice any of these signs:",
    "See a doctor immediately if a child has a stiff neck and a fever.",
    "You may need emergency treatment if your lips turn blue.",
    "Emergency care is needed if there is:",
    "It is important to get help at once when someone has:",
    "Symptoms that need emergency care include:",
    "But if the pain is sudden and severe, go to the ER.",
    "Have someone drive you to urgent care if you cannot put weight on the leg.",
    "Call an ambulance if the person faints, even for a moment.",
]
NOT_EMERGENCIES = [
    # Emergency words, but no instruction to the reader on a condition.
    "If you get treatment right away, most flares can be brought under control.",
    "Treatment in the emergency room may include fluids and antibiotics through a vein.",
    "Treatment in the emergency room may include:",
    "Emergency surgery may be needed if the appendix bursts.",
    "Many people are first diagnosed when they go to the emergency room with chest pain.",
    "Taking antiviral medicine right away can help you get better faster if you start early.",
    # Care without urgency: "When to contact a doctor", not urgent help.
    "Call your doctor if a new rash or fever starts.",
    "See your doctor if the pain does not get better in a week.",
    # Urgency without care.
    "The rash often appears right away if you are allergic.",
    "Stop the activity right away if it hurts.",
    # No condition.
    "Most people go home from the hospital within a few days.",
    "Ambulance crews carry epinephrine.",
]


@pytest.mark.parametrize("sentence", EMERGENCIES)
def test_emergency_instructions_in_many_phrasings(sentence):
    assert urgent.is_emergency(sentence)


@pytest.mark.parametrize("sentence", NOT_EMERGENCIES)
def test_sentences_with_emergency_words_that_are_not_instructions(sentence):
    assert not urgent.is_emergency(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Busque atención médica de inmediato si tiene:",
        "Llame al 911 o acuda a urgencias si tiene dolor en el pecho.",
        "Si tiene dificultad para respirar o se siente confundido, llame al 911.",
        "Vaya a la sala de emergencias más cercana si la hinchazón se extiende.",
        "Acuda al servicio de urgencias cuando aparezca alguno de estos signos:",
        "Es importante buscar ayuda médica de inmediato si alguien tiene:",
        "Se necesita atención de urgencia si hay:",
    ],
)
def test_spanish_emergency_instructions(sentence):
    assert urgent.is_emergency(sentence, "es")


@pytest.mark.parametrize(
    "sentence",
    [
        "Si recibe tratamiento de inmediato, la mayoría de los brotes se controlan.",
        "El tratamiento en la sala de emergencias puede incluir líquidos por vía intravenosa.",
        "Llame a su médico si la fiebre no baja en dos días.",
        "¿Cuándo llamar al 911?",
    ],
)
def test_spanish_sentences_that_are_not_emergency_instructions(sentence):
    assert not urgent.is_emergency(sentence, "es")


# 2. The sample articles: each block moves first, the rest stays.


def test_a_block_inside_symptoms_moves_with_its_list_and_the_symptoms_stay():
    parsed = parse("appendicitis.txt")
    assert kinds(parsed)[0] == "urgent_help"
    assert [s["order"] for s in parsed.data["sections"]] == list(range(len(kinds(parsed))))
    help_ = sections(parsed)["urgent_help"]
    assert help_["heading"] == ""
    assert help_["body"] == (
        "Get medical help right away if there is:\n\n"
        "- Pain that is sudden and severe\n"
        "- A belly that is hard and tender to the touch\n"
        "- Fever with vomiting that will not stop\n"
    )
    symptoms = sections(parsed)["symptoms"]["body"]
    assert "right away" not in symptoms and "Pain that is sudden" not in symptoms
    assert symptoms.startswith("Pain often starts around the belly button.")
    assert "The pain gets worse when you move, cough, or walk.\n\nOther symptoms" in symptoms
    # The summary is still the definition's first sentence.
    assert parsed.data["summary"].startswith("Appendicitis is swelling and infection")
    [how] = [s.how for s in parsed.report.sections if s.kind == "urgent_help"]
    assert how == "emergency instructions, moved first from: Symptoms, line 12"


def test_one_sentence_in_a_paragraph_moves_and_the_paragraph_closes_up():
    parsed = parse("lupus.txt")
    assert sections(parsed)["urgent_help"]["body"] == (
        "Call 911 or go to the emergency room if you have chest pain or trouble breathing.\n"
    )
    assert (
        "swelling around the heart or lungs. Fingers and toes may turn white"
        in sections(parsed)["symptoms"]["body"]
    )
    # Look-alikes stay: a promise of good care, a call to the doctor.
    assert "If you get treatment right away" in sections(parsed)["treatment"]["body"]
    assert "Call your doctor if a new rash" in sections(parsed)["prevention"]["body"]


def test_a_block_of_its_own_moves_and_the_parts_around_it_keep_their_places():
    parsed = parse("cellulitis.txt")
    assert kinds(parsed) == [
        "urgent_help",
        "definition",
        "causes",
        "risk_factors",
        "symptoms",
        "diagnosis",
        "treatment",
        "prevention",
    ]
    body = sections(parsed)["urgent_help"]["body"]
    assert body.startswith("Seek emergency care if you have:\n\n- Red skin that spreads quickly\n")
    assert body.count("\n- ") == 4
    assert "Treatment in the emergency room may include" in sections(parsed)["treatment"]["body"]
    how = parsed.report.sections[0].how
    assert how == "emergency instructions, moved first from: a block of their own, line 13"


def test_blocks_from_several_parts_are_gathered_in_order():
    parsed = parse("insect-sting-allergy.txt")
    assert sections(parsed)["urgent_help"]["body"] == (
        "If your throat feels tight or you feel faint after a sting, call 911.\n\n"
        "Go to the nearest emergency department if the swelling spreads beyond the sting or"
        " you start to wheeze, even after using epinephrine.\n"
    )
    treatment = sections(parsed)["treatment"]["body"]
    assert "steroid cream. Epinephrine is the first treatment" in treatment
    assert "Symptoms often start within minutes." in sections(parsed)["symptoms"]["body"]


def test_spanish_blocks_move_too():
    parsed = parse("es/celulitis.txt", language="es")
    body = sections(parsed)["urgent_help"]["body"]
    assert body.startswith("Busque atención médica de inmediato si tiene:\n\n- Enrojecimiento")
    assert body.endswith("llame al 911 o acuda a urgencias.\n")
    assert "Elevar la pierna" in sections(parsed)["treatment"]["body"]
    assert "Algunas personas tienen ampollas" in sections(parsed)["symptoms"]["body"]


def test_a_heading_names_the_section_too():
    text = (
        (ARTICLES / "gout.txt")
        .read_text()
        .replace(
            "\n\nArthritis Foundation",
            "\n\nWhen to Get Urgent Help\nGo to the emergency room if a joint is hot and you have"
            " a fever.\n\n\nArthritis Foundation",
        )
    )
    parsed = importer.parse_article(text.encode(), name="gout.txt")
    assert kinds(parsed)[0] == "urgent_help"
    assert sections(parsed)["urgent_help"]["body"].startswith("Go to the emergency room if")


def test_articles_without_an_emergency_block_are_unchanged():
    for name in ("gout.txt", "shingles.txt", "asthma.txt", "kidney-stones.txt"):
        assert "urgent_help" not in kinds(parse(name)), name


@pytest.mark.django_db
def test_readers_see_it_first_after_import():
    out = StringIO()
    call_command("import_article", str(ARTICLES / "appendicitis.txt"), "--publish", stdout=out)
    assert "When to get urgent help [urgent_help] (emergency instructions" in out.getvalue()
    condition = Condition.objects.live().get(slug="appendicitis")
    page = selectors.article_page(condition)
    assert [s.kind for s in page.urgent_help] == ["urgent_help"]
    assert page.sections[0].kind == "urgent_help"
    assert "<li>Pain that is sudden and severe</li>" in page.sections[0].body_html


# 3. Generated: any phrasing, anywhere in an article.

ACTIONS = [
    "call 911",
    "call 911 or go to the emergency room",
    "go to the nearest emergency department",
    "seek emergency care",
    "get medical help right away",
    "call your doctor right away",
    "see a doctor immediately",
    "call an ambulance",
    "get emergency help",
    "contact your health care provider at once",
]
CONDITIONS = ["there is", "you have", "your child has", "you notice", "someone has"]
LEADS = st.one_of(
    # "Call 911 if you have:"
    st.builds(
        lambda a, c: f"{a[0].upper()}{a[1:]} if {c}",
        st.sampled_from(ACTIONS),
        st.sampled_from(CONDITIONS),
    ),
    # "You should call 911 if there is:"
    st.builds(
        lambda a, c: f"You should {a} if {c}", st.sampled_from(ACTIONS), st.sampled_from(CONDITIONS)
    ),
    # "It is important to get medical help right away when you have:"
    st.builds(
        lambda a, c: f"It is important to {a} when {c}",
        st.sampled_from(ACTIONS),
        st.sampled_from(CONDITIONS),
    ),
)
ITEMS = st.lists(
    st.sampled_from(
        [
            "Chest pain",
            "Trouble breathing",
            "A seizure",
            "Fainting",
            "Severe bleeding",
            "Confusion that comes on quickly",
            "Swelling of the lips or tongue",
        ]
    ),
    min_size=1,
    max_size=4,
    unique=True,
)
# (file, how many of its first blocks are the article's text, before the resources)
BASES = [("gout.txt", 5), ("shingles.txt", 7), ("cellulitis.txt", 8), ("kidney-stones.txt", 6)]


def _blocks(text):
    return re.split(r"\n{3,}", text)


def _without_urgent(parsed):
    data = dict(parsed.data)
    data["sections"] = [
        {k: v for k, v in s.items() if k != "order"}
        for s in data["sections"]
        if s["kind"] != "urgent_help"
    ]
    return data


def _base(name):
    text = (ARTICLES / name).read_text()
    if name == "cellulitis.txt":  # without its own emergency block
        blocks = _blocks(text)
        text = "\n\n\n".join(b for b in blocks if not b.startswith("Seek emergency care"))
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(BASES),
    lead=LEADS,
    items=ITEMS,
    where=st.sampled_from(["own block", "end of a paragraph", "inside a paragraph"]),
    choice=st.randoms(use_true_random=False),
)
def test_a_generated_block_anywhere_moves_first_and_the_rest_stays(
    base, lead, items, where, choice
):
    name, body_blocks = base
    text = _base(name)
    original = importer.parse_article(text.encode(), name=name)
    blocks = _blocks(text)
    index = choice.randrange(body_blocks)
    bullets = "\n".join(f"  • {item}" for item in items)
    if where == "own block":
        block = f"{lead}:\n{bullets}"
        blocks.insert(index, block)
        expected = [f"{lead}:", *(f"- {item}" for item in items)]
    else:
        lines = blocks[index].split("\n")
        prose = [
            n
            for n, line in enumerate(lines)
            if line.endswith(".")
            and not line.startswith((" ", "Copyright"))
            and (n + 1 == len(lines) or not lines[n + 1].startswith(("  •", "Copyright")))
        ]
        if not prose:
            return
        n = choice.choice(prose)
        if where == "end of a paragraph":
            lines[n] = f"{lines[n]} {lead}:"
            lines.insert(n + 1, bullets)
            expected = [f"{lead}:", *(f"- {item}" for item in items)]
        else:
            breaks = [m.end() for m in re.finditer(r"\. (?=[A-Z])", lines[n])]
            if not breaks:
                return
            at = choice.choice(breaks)
            sentence = f"{lead} {items[0].lower()}."
            lines[n] = f"{lines[n][:at]}{sentence} {lines[n][at:]}"
            expected = [sentence]
        blocks[index] = "\n".join(lines)
    parsed = importer.parse_article("\n\n\n".join(blocks).encode(), name=name)
    assert kinds(parsed)[0] == "urgent_help", lead
    body = parsed.data["sections"][0]["body"]
    assert [line for line in body.split("\n") if line] == expected
    # Everything else is as it was without the block.
    assert _without_urgent(parsed) == _without_urgent(original)
