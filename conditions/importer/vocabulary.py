"""What the importer knows of the scraped format: the fixed order of an
article's parts, the shape of bullets, citations and organization names
(the same in every language), and, per language, the headings that survive,
the page chrome and each part's vocabulary (``for_language``: the tables of
``languages/`` compiled). Shared by the parser and the placement of blocks
(``placement``)."""

import importlib
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from conditions.importer.report import KIND_LABELS

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
REGION = {RESOURCES: "US", CANADIAN: "CA"}

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
MERGE_PENALTY = 2.5  # a block continues the part before it
SKIP_PENALTY = 0.5  # per part of the fixed order left out
# More blocks than this is not an article (the longest have about a hundred);
# refusing early keeps a hostile file from costing seconds per thousand.
MAX_BLOCKS = 3000


# Lost links leave a space before punctuation: "brain injury . For".
_SPACE_BEFORE_PUNCTUATION = re.compile(r" ([.,;:!?])(?= |$)")


def clean_text(text):
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))


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


ENGLISH = "en"
# Sentences glued by a lost paragraph break or list: "controlled.There are",
# "may play a role.A person", "This can be done with:Pictures may be taken".
# A candidate is punctuation right before a capital; ``sentences.unglue``
# decides.
TOKEN = 60  # the longest word ``unglue`` looks at around a full stop


class UnsupportedLanguage(LookupError):
    pass


@dataclass(frozen=True)
class Medicines:
    """A language's words for medicines (``medicines``)."""

    drug_word: re.Pattern
    chemical: re.Pattern
    classes: re.Pattern
    medicine_words: re.Pattern
    forms: re.Pattern
    not_medicines: re.Pattern
    to_do: re.Pattern
    described: re.Pattern
    refers_back: re.Pattern


@dataclass(frozen=True)
class Urgent:
    """A language's words for emergency care (``urgent``)."""

    services: re.Pattern
    help: re.Pattern
    urgency: re.Pattern
    seek: re.Pattern
    need: re.Pattern
    imperative: re.Pattern
    addressed: re.Pattern
    needed: re.Pattern
    condition: re.Pattern


@dataclass(frozen=True)
class Citations:
    """What a language's citations date and label (``citations``)."""

    months: str  # an alternation, for journal dates (matched case-sensitively)
    month_numbers: dict  # a month's first three letters, casefolded → 1 to 12
    numeric_dates: str  # "mdy" or "dmy": the order of "3/4/2021" in the article's language
    lead: re.Pattern  # the words a website's date starts with ("Updated", "Consultado el")
    leads: dict  # those words, casefolded → which date ("updated", "accessed", …)
    date_forms: tuple  # the ways a date is written, each matched whole
    available: re.Pattern
    website: re.Pattern  # "MedlinePlus website"
    website_prefix: re.Pattern  # "Sitio web de MedlinePlus"
    medium: re.Pattern  # "[Internet]"
    website_hint: re.Pattern
    edition: re.Pattern  # "5th ed", "2023 update"


@dataclass(frozen=True)
class Vocabulary:
    language: str
    headings: dict
    heading_prefixes: tuple
    standard_headings: frozenset
    chrome: re.Pattern
    glued: re.Pattern
    sentence_break: re.Pattern  # between two sentences of a paragraph
    abbreviations: frozenset
    defines: re.Pattern
    also_called: re.Pattern
    alternatives: str  # the word between two other names ("or")
    canadian: re.Pattern
    sentence: re.Pattern  # a sentence's end, for the "is this an article" check
    keywords: dict  # kind → [pattern]
    medicines: Medicines
    urgent: Urgent
    citations: Citations

    def patterns(self):
        """(name, pattern) of every compiled pattern, for the tests that
        check each is linear on hostile text."""
        found = [
            ("chrome", self.chrome),
            ("glued", self.glued),
            ("sentence_break", self.sentence_break),
            ("defines", self.defines),
            ("also_called", self.also_called),
            ("canadian", self.canadian),
            ("sentence", self.sentence),
            *((f"medicines.{k}", v) for k, v in vars(self.medicines).items()),
            *((f"urgent.{k}", v) for k, v in vars(self.urgent).items()),
            *(
                (f"citations.{k}", v)
                for k, v in vars(self.citations).items()
                if isinstance(v, re.Pattern)
            ),
            *((f"citations.date_forms[{n}]", p) for n, p in enumerate(self.citations.date_forms)),
        ]
        for kind, patterns in self.keywords.items():
            found.extend((f"keywords[{kind}][{n}]", p) for n, p in enumerate(patterns))
        return [(f"{self.language}.{name}", pattern) for name, pattern in found]


def supported():
    """The codes of ``settings.LANGUAGES`` the importer has a table for."""
    codes = []
    for code, _name in settings.LANGUAGES:
        try:
            _table(code)
        except UnsupportedLanguage:
            continue
        codes.append(code)
    return codes


def _table(code):
    if not re.fullmatch(r"[a-z]{2,3}", code or ""):
        raise UnsupportedLanguage(code)
    try:
        return importlib.import_module(f"{__package__}.languages.{code}")
    except ModuleNotFoundError:
        raise UnsupportedLanguage(code) from None


def _ci(pattern):
    return re.compile(pattern, re.IGNORECASE)


def _medicines(words):
    letters = f"[{words['first_letter']}][{words['letters']}]{{2,}}"
    return Medicines(
        drug_word=_ci(rf"\b{letters}(?:{words['stems']})s?\b"),
        chemical=_ci(words["chemical"]),
        classes=_ci(words["classes"]),
        medicine_words=_ci(words["medicine_words"]),
        forms=_ci(words["forms"]),
        not_medicines=_ci(words["not_medicines"]),
        to_do=re.compile(words["to_do"]),
        described=re.compile(words["described"]),
        refers_back=_ci(words["refers_back"]),
    )


_YEAR = r"(?:1[89]|20)\d\d"


def _citations(tables):
    """Citations read in the article's language and in English: a
    translation keeps its citations as they were written."""
    # Journal dates are matched case-sensitively: "August", "agosto", "Agosto".
    names = [m for t in tables for m in t.CITATIONS["months"].split("|")]
    months = "|".join(dict.fromkeys([*names, *(m.capitalize() for m in names)]))

    def joined(key):
        return "|".join(t.CITATIONS[key] for t in tables)

    leads = {w.casefold(): key for t in tables for w, key in t.CITATIONS["dated"].items()}
    what = "|".join(re.escape(w) for w in sorted(leads, key=len, reverse=True))
    month, day, year = rf"(?P<month>(?:{months})\.?)", r"(?P<day>\d{1,2})", rf"(?P<year>{_YEAR})"
    forms = (
        rf"{month}(?: {day})?,? {year}",  # "June 1, 2022", "June 2022"
        rf"{day}(?: de)? {month},?(?: de| del)? {year}",  # "3 de marzo de 2021", "3 March 2021"
        rf"{month},?(?: de| del) {year}",  # "marzo de 2021"
        rf"{year},? {month}(?: {day})?",  # "2021 Mar 3"
        rf"{year}-(?P<number>\d{{1,2}})-{day}",  # "2021-03-03"
        rf"(?P<first>\d{{1,2}})/(?P<second>\d{{1,2}})/{year}",  # "3/14/2021"
        year,
    )
    return Citations(
        months=months,
        month_numbers={k: n for t in tables for k, n in t.CITATIONS["month_numbers"].items()},
        numeric_dates=tables[0].CITATIONS["numeric_dates"],
        lead=_ci(rf"(?P<what>{what})(?!\w)(?: (?:{joined('dated_joiner')}))?(?: ?:)? ?"),
        leads=leads,
        date_forms=tuple(_ci(form) for form in forms),
        available=_ci(rf"(?:{joined('available')}):? ?"),
        # After a space, looked for without ``\s+``, which backtracks over a run of spaces.
        website=_ci(rf"(?<=\s)(?:{joined('website')})$"),
        website_prefix=_ci(rf"^(?:{joined('website_prefix')}) "),
        medium=_ci(rf"(?:{joined('medium')})"),
        website_hint=_ci(joined("website_hint")),
        edition=_ci(rf"(?:{joined('edition')})\.?"),
    )


@cache
def for_language(code=ENGLISH):
    """The compiled ``Vocabulary`` of a language; ``UnsupportedLanguage``
    when there is no table for it."""
    table = _table(code)
    english = _table(ENGLISH)
    tables = [table] if table is english else [table, english]
    return Vocabulary(
        language=code,
        headings=dict(table.HEADINGS),
        heading_prefixes=tuple(table.HEADING_PREFIXES.items()),
        standard_headings=frozenset(table.STANDARD_HEADINGS),
        chrome=_ci(rf"^(?:{table.CHROME})"),
        glued=re.compile(rf"[.!?:](?=[{table.CAPITALS}])"),
        sentence_break=re.compile(rf"[.!?][ \t]+(?=[{table.CAPITALS}\"“(])"),
        abbreviations=frozenset(table.ABBREVIATIONS),
        defines=re.compile(table.DEFINES),
        also_called=re.compile(rf"{table.ALSO_CALLED}([^.,;:()\n]{{1,120}})"),
        alternatives=table.OR,
        canadian=re.compile(table.CANADIAN),
        sentence=re.compile(rf"[{table.LOWER}][.!?:](\s|$)"),
        keywords={kind: [_ci(p) for p in patterns] for kind, patterns in table.KEYWORDS.items()},
        medicines=_medicines(table.MEDICINES),
        urgent=Urgent(**{name: _ci(pattern) for name, pattern in table.URGENT.items()}),
        citations=_citations(tables),
    )
