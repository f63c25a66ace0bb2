"""What the importer knows of the scraped format: the fixed order of an
article's parts, the headings that survive, the page chrome, the shape of
bullets, citations and organization names, and each part's vocabulary.
Shared by the parser and the placement of blocks (``placement``)."""

import re

from .report import KIND_LABELS

RESOURCES, CANADIAN, REFERENCES, END = "resources", "canadian_resources", "references", "end"
# The library's fixed order of an article's parts.
ORDER = [
    "definition",
    "causes",
    "risk_factors",
    "symptoms",
    "diagnosis",
    "treatment",
    "prevention",
    RESOURCES,
    CANADIAN,
    REFERENCES,
]
POSITION = {kind: float(n) for n, kind in enumerate(ORDER)}
ORDER_POSITIONS = [POSITION[kind] for kind in ORDER]
# Kinds that only come with a heading, placed where such parts usually are.
POSITION.update(complications=3.5, outlook=5.5, living_with=6.2, when_to_call=6.5)
BODY_KINDS = set(KIND_LABELS)
STANDARD_HEADINGS = {kind.replace("_", " ") for kind in ORDER}
REGION = {RESOURCES: "US", CANADIAN: "CA"}

HEADINGS = {
    "definition": "definition",
    "overview": "definition",
    "what is it": "definition",
    "causes": "causes",
    "cause": "causes",
    "risk factors": "risk_factors",
    "risk factor": "risk_factors",
    "symptoms": "symptoms",
    "signs and symptoms": "symptoms",
    "diagnosis": "diagnosis",
    "tests and diagnosis": "diagnosis",
    "treatment": "treatment",
    "treatments": "treatment",
    "treatment options": "treatment",
    "medications": "treatment",
    "prevention": "prevention",
    "complications": "complications",
    "outlook": "outlook",
    "prognosis": "outlook",
    "living with": "living_with",
    "when to call your doctor": "when_to_call",
    "when to contact a doctor": "when_to_call",
    "when to call a doctor": "when_to_call",
    "resources": RESOURCES,
    "us resources": RESOURCES,
    "resources in the us": RESOURCES,
    "canadian resources": CANADIAN,
    "resources in canada": CANADIAN,
    "references": REFERENCES,
    "sources": REFERENCES,
    "revision information": END,
}
# Page chrome: where the article ends even without "Revision Information".
CHROME = re.compile(
    r"^(did you like this\??|share with your family|current research from top journals"
    r"|our free newsletter)",
    re.IGNORECASE,
)

BULLET = re.compile(r"^(\s*)[•·▪◦‣*\-–]\s+(\S.*)$")
# "## Heading", without its optional closing "##". The closing sequence is
# taken off in Python (``markdown_heading``): a pattern such as
# ``\s+(.+?)\s*#*\s*$`` backtracks cubically over a run of spaces.
MARKDOWN_HEADING = re.compile(r"(#{1,6})[ \t]+(\S.*)")
MAX_DEPTH = 10  # list levels; the library's articles use three
CREDIT = re.compile(r"^(copyright\b|©|\(c\)\s)", re.IGNORECASE)
URL = re.compile(r"https?://[^\s]{0,2000}[^\s.,;)]")
TERMINAL = '.!?:;"”’)'
# What every citation has one of; lines without it are not parsed as one.
CITATION_HINT = re.compile(
    r"\b(?:1[89]|20)\d\d\b|doi:|pmid|available at|accessed|https?://", re.IGNORECASE
)
# Sentences glued by a lost paragraph break or list: "controlled.There are",
# "may play a role.A person", "This can be done with:Pictures may be taken".
# A candidate is punctuation right before a capital; ``unglue`` decides.
GLUED = re.compile(r"[.!?:](?=[A-Z])")
TOKEN = 60  # the longest word ``unglue`` looks at around a full stop
# The word before a glued full stop that is an abbreviation, not a sentence's end.
ABBREVIATIONS = frozenset(
    ("e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "st", "no", "fig", "figs")
    + ("approx", "inc", "ltd", "co", "jr", "sr", "vol", "al", "u.s", "u.k", "a.m", "p.m")
    + ("ph.d", "m.d", "mt", "ft")
)

MERGE_PENALTY = 2.5  # a block continues the part before it
SKIP_PENALTY = 0.5  # per part of the fixed order left out
# The vocabulary of each part. A block scores one point per pattern found in
# it and one more per pattern in its first sentence (capped), so a part is
# recognized by what it says, not only by where it is. Plain alternations of
# words: each search is linear.
KEYWORDS = {
    "causes": [
        r"\bcaused by\b|\bcauses? (?:is|are|of|include)\b|\b(?:the|exact|common|main) causes?\b",
        r"\btrigger",
        r"\bdue to\b",
        r"\bresults? (?:of|from)\b",
        r"\b(?:happens|occurs|develops|forms?|starts) when\b",
        r"\bgenes?\b|\bgenetic",
        r"\binfections?\b|\bvirus\b|\bbacteria",
        r"\bnot (?:always |fully )?(?:known|clear)\b",
        r"\b(?:too much|buildup|build-up|overuse|stress on)\b",
        r"\b(?:pressure on|damage to|tears? in|small tears)\b",
        r"\bleads? to\b|\bplays? a role\b",
    ],
    "risk_factors": [
        r"\brisks?\b",
        r"\bmore (?:common|likely)\b",
        r"\bfactors?\b",
        r"\bfamily history\b",
        r"\bchances? (?:of|are)\b",
        r"\b(?:older|age|aged|women|men|overweight|obesity|smoking)\b",
        r"\braise your\b|\bincrease your\b",
    ],
    "symptoms": [
        r"\bsymptoms?\b",
        r"\bsigns?\b",
        r"\bmay (?:have|feel|notice)\b|\bfeel(?:s|ing)?\b",
        r"\bpain(?:ful)?\b|\bache|\bhurts?\b|\bsore\b|\btender",
        r"\bproblems? with\b|\btrouble\b",
        r"\b(?:swelling|swollen|redness|numbness|tingling|itch|rash|fever|cough|wheez|tired"
        r"|fatigue|stiff|weakness|burning|nausea|vomit|dizz|blisters?|bruis|shaking)",
        r"\bworse\b|\bworst\b",
    ],
    "diagnosis": [
        r"\bdiagnos",
        r"\bdoctor will\b",
        r"\bexam(?:ination)?\b",
        r"\btests?\b|\btested\b",
        r"\bmedical history\b|\bhealth history\b",
        r"\bimaging\b|\bMRI\b|\bscans?\b|\bx-rays?\b|\bultrasound\b|\bimages?\b",
        r"\bmeasured\b|\brule out\b|\bconfirm",
    ],
    "treatment": [
        r"\btreat",
        r"\bmedications?\b|\bmedicines?\b|\bdrugs?\b",
        r"\btherapy\b",
        r"\bsurgery\b",
        r"\bmanag(?:e|ed|ing)\b",
        r"\bdoses?\b",
        r"\b(?:relieve|ease|options?|cured?|heal|get better)\b",
    ],
    "prevention": [
        r"\bprevent",
        r"\breduce your (?:chance|risk)",
        r"\bavoid",
        r"\b(?:lowers?|reduces?) (?:your|the) (?:chance|risk)",
        r"\brecommended\b|\bhelps? (?:to )?(?:stop|keep)\b",
        r"\bsteps\b",
        r"\bvaccines?\b",
    ],
}

KEYWORDS_RE = {
    kind: [re.compile(p, re.IGNORECASE) for p in patterns] for kind, patterns in KEYWORDS.items()
}
# More blocks than this is not an article (the longest have about a hundred);
# refusing early keeps a hostile file from costing seconds per thousand.
MAX_BLOCKS = 3000


def clean_text(text):
    text = " ".join(text.split())
    # Lost links leave a space before punctuation: "brain injury . For".
    return re.sub(r"\s+([.,;:!?])(?=\s|$)", r"\1", text)


def is_org_like(text):
    text = clean_text(text)
    if URL.search(text):
        return True
    words = text.split()
    if not words or len(words) > 15 or not (text[0].isupper() or text[0].isdigit()):
        return False
    if text[-1] in ":?!" or (text[-1] == "." and not re.search(r"\b(Inc|Ltd|Co)\.$", text)):
        return False
    long_words = [w for w in words if len(w) > 3]
    capitalized = [w for w in long_words if w[0].isupper()]
    return bool(long_words) and len(capitalized) / len(long_words) >= 0.5


def first_sentence(text):
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
