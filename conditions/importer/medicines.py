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

Every pattern here is a plain alternation of words matched once per item:
linear in the item's length.
"""

import re
from dataclasses import dataclass

MEDICINE, NOT_MEDICINE, UNCERTAIN = "medicine", "not a medicine", "uncertain"

# Endings of generic drug names (INN stems) and of drug classes in the plural.
_DRUG_STEMS = (
    "pam|lam|zolam|azepam|olol|alol|pril|sartan|statin|mab|nib|cillin|mycin|micin|cycline"
    "|floxacin|oxacin|azole|conazole|vir|ciclovir|triptan|tidine|prazole|profen|parin|afil"
    "|dipine|gliptin|gliflozin|glutide|lukast|sone|solone|olone|terol|tropium|azine|zepine"
    "|barbital|caine|coxib|setron|pentin|gabalin|racetam|amate|idone|ridone|oxetine|aline"
    "|pramine|triptyline|azosin|osin|thiazide|semide|dronate|tinib|ximab|zumab|umab|proxen"
    "|ophen|pramide|onide|fenac|oxicam|codone|morphone|adol|tadine|atadine|astine|ergide"
    "|pexole|tigotine|nidazole|mectin|thromycin|amycin|dazole|trexate|pirone|lamide|inoin"
    "|idine|ipine|orphan|ium|purinol|ostat|thyroxine|formin|pirin|farin|dopa|xone|orphine"
    "|codeine|izine|amine|edrine|limus"
)
_DRUG_WORD = re.compile(rf"\b[A-Za-z][a-z\-]{{2,}}(?:{_DRUG_STEMS})s?\b", re.IGNORECASE)
# Chemical name parts: "5-hydroxytryptophan", "divalproate sodium".
_CHEMICAL = re.compile(
    r"hydroxy|methyl|ethyl|chlor|fluor|sulfa|sulf(?:ate|ide)|\bsodium\b|\bpotassium\b"
    r"|\bmagnesium\b|\bzinc\b|\bacid\b|\bamine\b",
    re.IGNORECASE,
)
# Words naming medicines or a class of them ("Anticonvulsants", "Beta-blockers").
_CLASS = re.compile(
    r"\b(?:medicines?|medications?|drugs?|prescriptions?|pills?|tablets?|capsules?"
    r"|antibiotics?|antivirals?|antifungals?|antihistamines?|antacids?"
    r"|anti[a-z\-]{3,}(?:ants?|ics?|ives?|ines?|als?|s)|thinners?"
    r"|analgesics?|sedatives?|relaxants?|relievers?|reducers?|blockers?|inhibitors?|agonists?"
    r"|antagonists?|ligands?|opioids?|steroids?|corticosteroids?|hormones?|supplements?"
    r"|vitamins?|vaccines?|toxins?|biologics?|immunosuppressants?|diuretics?|bronchodilators?"
    r"|decongestants?|laxatives?|stimulants?|statins?|triptans?|nsaids?|ssris?|snris?"
    r"|benzodiazepines?|insulin|retinoids?|dopamine|chemotherapy|immunotherapy|nitrates?)\b",
    re.IGNORECASE,
)
# Dosage forms: weaker than a name, "Platelet-rich plasma injections" may not
# be a medicine the library should list.
_FORM = re.compile(
    r"\b(?:injections?|shots?|creams?|ointments?|gels?|lotions?|drops|sprays?|patch(?:es)?"
    r"|inhalers?|infusions?|suppositor(?:y|ies)|syrups?|lozenges?|oral|topical|inhaled)\b",
    re.IGNORECASE,
)
# Therapies, procedures, devices and self-care.
_NOT_MEDICINE = re.compile(
    r"\b(?:[a-z]*therap(?:y|ies|ist)|rehabilitation|exercises?|stretch(?:es|ing)?|rest(?:ing)?"
    r"|ice|icing|heat|cold|compress(?:es|ion)?|elevat(?:e|ion|ing)|massage|splints?|braces?"
    r"|bracing|straps?|slings?|casts?|boots?|crutch(?:es)?|canes?|walkers?|orthotics?"
    r"|inserts?|insoles?|shoes?|footwear|pads?|taping|tape|wraps?|surgery|surgical|surgeries"
    r"|operations?|procedures?|release|repair|removal|remove|replacement|transplant"
    r"|lithotripsy|stimulation|ablation|radiation|laser|light|phototherapy|ultrasound"
    r"|acupuncture|biofeedback|counseling|counselling|education|support|diet|dieting|weight"
    r"|sleep|water|fluids|fiber|lifestyle|habits?|avoid(?:ing)?|limit(?:ing)?|los(?:e|ing)"
    r"|quit(?:ting)?|stop(?:ping)?|wear(?:ing)?|rais(?:e|ing)|drink(?:ing)?|eat(?:ing)?"
    r"|keep(?:ing)?|us(?:e|ing) (?:a|an)|plans?|meters?|monitor(?:ing)?|devices?|machines?"
    r"|pumps?|spacers?|tubes?|drainage|epidural|nerve blocks?|dry needling|watchful waiting"
    r"|yoga|tai chi|relaxation|breathing|hypnosis|cpap|oxygen|dialysis|stents?|care"
    r"|aids?|humidifiers?|irrigation|bandages?|stockings?|glasses|lenses"
    r"|[a-z]+(?:ectomy|ectomies|otomy|otomies|oscopy|oscopies|plasty|plasties|pexy"
    r"|tripsy|ostomy|plication))\b",
    re.IGNORECASE,
)
_GERUND_START = re.compile(r"^[A-Z][a-z]+ing\b")


@dataclass(frozen=True)
class Verdict:
    kind: str  # MEDICINE, NOT_MEDICINE or UNCERTAIN
    why: str


def names_medicines(text):
    """Does a group heading or an introducing sentence name medicines?
    ("Sedatives", "Medicines may include:", "Beta-blockers")."""
    text = text[:300]
    if _NOT_MEDICINE.search(text) and not re.search(
        r"\b(?:medicines?|medications?|drugs?)\b", text, re.IGNORECASE
    ):
        return False
    return bool(_CLASS.search(text) or _DRUG_WORD.search(text))


def reads_as_medicine(text):
    """Does a bullet read as a medicine by itself (no context, no library)?"""
    return classify(text).kind == MEDICINE


def _keys(name):
    """The name and its parts: "5-hydroxytryptophan (5-HTP)", "Ropinirole (Requip)"."""
    name = " ".join(name.split()).casefold()
    keys = {name}
    match = re.match(r"^([^()]{1,200}?)\s*\(([^()]{1,100})\)$", name)
    if match:
        keys.update({match.group(1).strip(), match.group(2).strip()})
    return keys


def classify(text, *, known=frozenset(), context=False, siblings=False):
    """A ``Verdict`` for one bullet.

    ``known``: casefolded names and other names of the library's drugs;
    ``context``: its group heading or the sentence before the list names
    medicines; ``siblings``: the same list holds groups of medicines.
    """
    text = text[:300]
    if _keys(text) & known:
        return Verdict(MEDICINE, "a drug the library already has")
    if len(text.split()) > 8 or len(text) > 120 or text.endswith((".", "!", "?")):
        # A sentence, not a name: never a drug record.
        return Verdict(NOT_MEDICINE, "a sentence")
    if _GERUND_START.match(text):
        # "Avoiding alcohol", "Losing weight": something to do, not a name.
        return Verdict(NOT_MEDICINE, "something to do, not a name")
    against = bool(_NOT_MEDICINE.search(text))
    named = bool(_DRUG_WORD.search(text) or _CHEMICAL.search(text))
    classed = bool(_CLASS.search(text))
    if (named or classed) and re.search(r",|\bsuch as\b|\blike\b|\bor\b", text):
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
    if _FORM.search(text) or siblings:
        return Verdict(UNCERTAIN, "may be a medicine")
    return Verdict(NOT_MEDICINE, "nothing marks it as a medicine")
