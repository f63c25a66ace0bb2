"""Is a bullet in Treatment a medicine? Drug records are public and shared
between articles, so a wrong one is worse than none: a bullet becomes a Drug
only when it evidently is one, everything else stays in the section's text.

Evidence for a medicine: the name of a Drug the library already has, a group
heading or an introducing sentence that names medicines ("Sedatives:",
"Medicines may include:"), drug-name morphology ("-pam", "-olol", "-mab") and
drug-class words ("antibiotics", "steroid"), dosage forms ("cream",
"injections"). Evidence against: the vocabulary of therapies, procedures,
devices and self-care ("Rest", "Physical therapy", "Night splints",
"Surgery to …", "-ectomy"). An item with evidence both ways, or too little
either way, is *uncertain*: it stays text and the report asks an editor to
check it.

The words are each language's (``languages/``, ``MEDICINES``); every
pattern is a plain alternation of words matched once per item: linear in
the item's length.
"""

import re
from dataclasses import dataclass

from conditions.importer.vocabulary import ENGLISH, for_language

MEDICINE, NOT_MEDICINE, UNCERTAIN = "medicine", "not a medicine", "uncertain"


@dataclass(frozen=True)
class Verdict:
    kind: str  # MEDICINE, NOT_MEDICINE or UNCERTAIN
    why: str


def names_medicines(text, language=ENGLISH):
    """Does a group heading or an introducing sentence name medicines?
    ("Sedatives", "Medicines may include:", "Beta-blockers")."""
    words = for_language(language).medicines
    text = text[:300]
    if words.not_medicines.search(text) and not words.medicine_words.search(text):
        return False
    return bool(words.classes.search(text) or words.drug_word.search(text))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def introduces_medicines(intro, before="", language=ENGLISH):
    """Does the sentence that introduces a list (the last of ``intro``)
    say the list is of medicines? It does when it names them ("Medicines
    may include:"); when it names nothing and points back ("These can
    include:", "Examples are:"), the sentence before it says what it points
    to ("Some medicines can ease a flare."): the last of ``intro`` before
    it, or else of ``before``, the paragraph before ``intro``."""
    sentences = [s for s in _SENTENCE_END.split(intro[-2000:]) if s]
    if not sentences:
        return False
    last = sentences[-1]
    if names_medicines(last, language):
        return True
    words = for_language(language).medicines
    if not words.refers_back.match(last) or words.not_medicines.search(last[:300]):
        return False
    earlier = sentences[:-1] or [s for s in _SENTENCE_END.split(before[-2000:]) if s]
    return bool(earlier) and _about_medicines(earlier[-1], language)


def _about_medicines(sentence, language):
    """Is the sentence about medicines: do they come before anything else
    that treats ("Antibiotics are used before and after surgery")?"""
    words = for_language(language).medicines
    sentence = sentence[:300]
    named = [
        m.start()
        for m in (
            words.classes.search(sentence),
            words.drug_word.search(sentence),
            words.medicine_words.search(sentence),
        )
        if m is not None
    ]
    if not named:
        return False
    other = words.not_medicines.search(sentence)
    return other is None or min(named) < other.start()


def reads_as_medicine(text, language=ENGLISH):
    """Does a bullet read as a medicine by itself (no context, no library)?"""
    return classify(text, language=language).kind == MEDICINE


def _keys(name):
    """The name and its parts: "5-hydroxytryptophan (5-HTP)", "Ropinirole (Requip)"."""
    name = " ".join(name.split()).casefold()
    keys = {name}
    match = re.match(r"^([^()]{1,200}?)\s*\(([^()]{1,100})\)$", name)
    if match:
        keys.update({match.group(1).strip(), match.group(2).strip()})
    return keys


def classify(text, *, known=frozenset(), context=False, siblings=False, language=ENGLISH):
    """A ``Verdict`` for one bullet.

    ``known``: casefolded names and other names of the library's drugs;
    ``context``: its group heading or the sentence before the list names
    medicines; ``siblings``: the same list holds groups of medicines;
    ``language``: the article's.
    """
    words = for_language(language).medicines
    text = text[:300]
    if _keys(text) & known:
        return Verdict(MEDICINE, "a drug the library already has")
    if len(text.split()) > 8 or len(text) > 120 or text.endswith((".", "!", "?")):
        # A sentence, not a name: never a drug record.
        return Verdict(NOT_MEDICINE, "a sentence")
    if words.to_do.match(text):
        # "Avoiding alcohol", "Losing weight": something to do, not a name.
        return Verdict(NOT_MEDICINE, "something to do, not a name")
    against = bool(words.not_medicines.search(text))
    named = bool(words.drug_word.search(text) or words.chemical.search(text))
    classed = bool(words.classes.search(text))
    if (named or classed) and words.described.search(text):
        # "Pain relievers, such as ibuprofen": a medicine, but not one name.
        return Verdict(UNCERTAIN, "names a medicine inside a description")
    if against and (named or classed):
        return Verdict(UNCERTAIN, "reads as a medicine and as a therapy or procedure")
    if against:
        if context:
            return Verdict(UNCERTAIN, "listed with medicines but reads as a therapy or procedure")
        return Verdict(NOT_MEDICINE, "a therapy, procedure, device or self-care")
    if named or classed:
        return Verdict(MEDICINE, "reads as a medicine")
    if context:
        return Verdict(MEDICINE, "listed as a medicine")
    if words.forms.search(text) or siblings:
        return Verdict(UNCERTAIN, "may be a medicine")
    return Verdict(NOT_MEDICINE, "nothing marks it as a medicine")
