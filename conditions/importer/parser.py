"""Plain-text articles (the seed's scraped format) into a snapshot-shaped dict.

Pure: no database. The shape of the input:

* sections are blocks separated by runs of blank lines, in the library's
  fixed order (``ORDER``); most headings were lost in scraping. Each block is
  classified by its content (the vocabulary of causes, risk, symptoms, …;
  citations are References, organization names are Resources) with the
  fixed order as a prior and the headings that survive ("Risk Factors") as
  anchors, so a missing part does not shift the others (``assign``). Files
  with explicit heading lines or Markdown ``##`` headings are read by their
  headings;
* ``•`` bullets nest by indentation; in Treatment, a bullet becomes a drug
  only when it evidently is a medicine (``medicines.classify``): in a group
  whose heading names medicines ("Sedatives:"), after a sentence that does,
  already in the library, or reading as one. The rest stays in the text as
  a list, and the uncertain ones are listed in the report to check;
* a caption line followed by "Copyright © …" is a figure;
* "Revision Information" and the page chrome below it end the article.
"""

import bisect
import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.text import slugify

from healthlib.markdown import content_gaps

from .. import snapshots
from . import citations, medicines
from .report import (
    KIND_LABELS,
    FoundDrug,
    FoundFigure,
    FoundGroup,
    FoundOrganization,
    FoundReference,
    FoundSection,
    ImportReport,
)
from .source import ArticleImportError, decode

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
_MARKDOWN_HEADING = re.compile(r"(#{1,6})[ \t]+(\S.*)")
MAX_DEPTH = 10  # list levels; the library's articles use three
CREDIT = re.compile(r"^(copyright\b|©|\(c\)\s)", re.IGNORECASE)
URL = re.compile(r"https?://[^\s]{0,2000}[^\s.,;)]")
TERMINAL = '.!?:;"”’)'
# What every citation has one of; lines without it are not parsed as one.
_CITATION_HINT = re.compile(
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


@dataclass
class Line:
    number: int
    text: str

    @property
    def blank(self):
        return not self.text.strip()


@dataclass
class Block:
    lines: list
    anchor: str | None = None  # the kind a heading gave it
    heading: str = ""
    how: str = ""
    continues: bool = False  # under the same heading as the block before
    new_heading: bool = False  # the first block after its heading
    kind: str = ""
    evidence: dict = field(default_factory=dict)  # kind → how much its content speaks for it
    first: bool = False  # the article's first block of text


@dataclass
class Item:
    text: str
    number: int
    children: list = field(default_factory=list)


@dataclass
class ParsedArticle:
    title: str
    slug: str
    data: dict
    report: ImportReport


def markdown_heading(text):
    """(level, heading) of a Markdown heading line ("## Causes ##"), or None."""
    match = _MARKDOWN_HEADING.fullmatch(text)
    if match is None:
        return None
    heading = match.group(2).rstrip()
    without_closing = heading.rstrip("#")
    if without_closing != heading and (not without_closing or without_closing[-1] in " \t"):
        heading = without_closing.rstrip()
    if not heading:
        return None
    return len(match.group(1)), heading


def title_from_filename(name):
    """``essential-tremor.txt`` → "Essential tremor"."""
    stem = PurePath(name).stem
    words = " ".join(re.split(r"[-_\s]+", stem)).strip()
    return words[:1].upper() + words[1:] if words else ""


def _normalize_heading(text):
    text = re.sub(r"[:.]+$", "", " ".join(text.split())).strip().casefold()
    return text


def heading_kind(text):
    """The kind a heading names, or None when it names none we know."""
    key = _normalize_heading(text)
    if key in HEADINGS:
        return HEADINGS[key]
    if key.startswith("living with"):
        return "living_with"
    return None


def _clean_text(text):
    text = " ".join(text.split())
    # Lost links leave a space before punctuation: "brain injury . For".
    return re.sub(r"\s+([.,;:!?])(?=\s|$)", r"\1", text)


def _is_org_like(text):
    text = _clean_text(text)
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


class _Lazy:
    """A collection read only when something is looked up in it."""

    def __init__(self, load):
        self.load = load

    def __contains__(self, item):
        return item in self.load()


def _glued_at(text, match, known_drugs):
    """Is the punctuation at ``match`` the end of a sentence glued to the next?"""
    at = match.start()
    before = text[at - 1 : at]
    # What comes after: a word starting with the capital ("A person", "There").
    word_end, end = at + 1, min(len(text), at + 1 + TOKEN)
    while word_end < end and (text[word_end].isalpha() or text[word_end] in "'’-"):
        word_end += 1
    after = text[at + 1 : word_end]
    following = text[word_end : word_end + 1]
    if following.isdigit() or (following == "." and len(after) == 1):
        return False  # "Vitamin.B12", the initials "U.S.A."
    if text[at] == ":":
        return before.isalpha() and len(after) > 1 and after[1:].islower()
    if not (before.islower() or before in ")]%" or before.isdigit()):
        return False  # initials ("J.K. Rowling"), "U.S."
    # The word the full stop ends, looked for at most TOKEN characters back:
    # scanning to the previous space from every candidate was quadratic on
    # a long run without spaces ("a.Bc" × 5,000 took 4 s).
    limit = max(0, at - TOKEN)
    token_start = at
    while token_start > limit and not text[token_start - 1].isspace():
        token_start -= 1
    if token_start == limit and limit > 0 and not text[limit - 1].isspace():
        return False  # a run of 60 characters without a space is no sentence
    token = text[token_start:at].casefold().strip("([\"'“")
    if token in ABBREVIATIONS or "://" in token or token.startswith("www"):
        return False
    # A name with a full stop in it, as the library lists it.
    glued_word = text[token_start:word_end].casefold()
    if glued_word in known_drugs:
        return False
    return text[at] != "." or len(after) > 1 or following in ("", " ", ",")


def unglue(text, known_drugs=frozenset()):
    """``text`` split where sentences lost the space (or break) between them."""
    parts, start = [], 0
    for match in GLUED.finditer(text):
        if _glued_at(text, match, known_drugs):
            parts.append(text[start : match.end()].strip())
            start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _first_sentence(text):
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


class _Parser:
    def __init__(self, text, *, name, title, known_drugs=()):
        self.name = name
        self.title = title
        self._known_drugs = known_drugs
        self.report = ImportReport()
        self.lines = [
            Line(n, raw.expandtabs(4).rstrip()) for n, raw in enumerate(text.split("\n"), 1)
        ]

    @functools.cached_property
    def known_drugs(self):
        """Casefolded names of the library's drugs, asked for only when a
        Treatment list or a glued sentence needs them (a file refused early
        never touches the database)."""
        names = self._known_drugs() if callable(self._known_drugs) else self._known_drugs
        return frozenset(" ".join(n.split()).casefold() for n in names if n and n.strip())

    # 1. Where the article is.

    def body_lines(self):
        lines = self.lines
        end = len(lines)
        for i, line in enumerate(lines):
            text = line.text.strip()
            md = markdown_heading(text)
            if heading_kind(md[1] if md else text) == END or CHROME.match(text):
                end = i
                break
        self.report.dropped.extend(
            (ln.number, ln.text.strip()) for ln in lines[end:] if not ln.blank
        )
        body = lines[:end]
        first = next((i for i, ln in enumerate(body) if not ln.blank), None)
        if first is not None:
            text = body[first].text.strip()
            md = markdown_heading(text)
            if (md and md[0] == 1) or text.casefold() == self.title.casefold():
                self.report.dropped.append((body[first].number, text))
                self.report.dropped.sort()
                body = body[first + 1 :]
        return body

    # 2. Blocks, and the headings that survived.

    def blocks(self, body):
        markdown = any(
            markdown_heading(ln.text.strip()) and not BULLET.match(ln.text) for ln in body
        )
        heading_lines = sum(1 for ln in body if self._heading(ln, markdown) is not None)
        # With a heading on most parts, a part runs to the next heading; with
        # a few survivors, a heading only names the block right after it.
        self.headed = markdown or heading_lines >= 3
        longest_gap = gap = 0
        for ln in body:
            gap = gap + 1 if ln.blank else 0
            longest_gap = max(longest_gap, gap)
        separator = 2 if longest_gap >= 2 else 1

        blocks, current, blanks = [], [], 0
        pending = None  # (kind, heading, how) of a heading line waiting for its text
        under = None  # the heading the current text is under (headed files)

        def close():
            nonlocal current, pending
            if any(not ln.blank for ln in current):
                block = Block(lines=current)
                if pending is not None:
                    block.anchor, block.heading, block.how = pending
                    block.new_heading = True
                    pending = None
                elif self.headed and under is not None:
                    block.anchor, block.heading, block.how = under
                    block.continues = True
                blocks.append(block)
            current = []

        for ln in body:
            found = self._heading(ln, markdown)
            if found is not None:
                close()
                if pending is not None:
                    self.report.notes.append(f"the heading “{pending[1]}” has no text under it")
                pending = found
                under = found
                blanks = 0
                continue
            if ln.blank:
                blanks += 1
                current.append(ln)
                continue
            if blanks >= separator:
                close()
            blanks = 0
            current.append(ln)
        close()
        if pending is not None and pending[0] != END:
            self.report.notes.append(f"the heading “{pending[1]}” has no text under it")
        return blocks

    def _heading(self, line, markdown):
        text = line.text.strip()
        if not text or BULLET.match(line.text):
            return None
        md = markdown_heading(text)
        if md:
            heading = md[1]
            return (heading_kind(heading) or "other", heading, "Markdown heading")
        if line.text[:1].isspace() or len(text.split()) > 6:
            return None
        kind = heading_kind(text)
        if kind is None:
            return None
        return (kind, text.rstrip(":"), "heading line")

    # 3. Which part each block is.

    def features(self, block):
        texts = [ln.text.strip() for ln in block.lines if not ln.blank]
        texts = [t for t in texts if not CREDIT.match(t)]
        plain = [BULLET.sub(r"\2", t) if BULLET.match(t) else t for t in texts]
        n = max(1, len(plain))
        cited = (
            sum(1 for t in plain if _CITATION_HINT.search(t) and citations.looks_like_citation(t))
            / n
        )
        org = sum(1 for t in plain if _is_org_like(t)) / n
        # A part's vocabulary shows in its first paragraphs; reading only
        # those keeps a block of 20,000 lines from costing seconds.
        prose = " ".join(plain[:40])[:4000]
        first = _first_sentence(plain[0][:1000]) if plain else ""
        keywords = {}
        for kind, patterns in KEYWORDS_RE.items():
            score = sum(1 for p in patterns if p.search(prose))
            score += sum(1 for p in patterns if p.search(first))
            keywords[kind] = min(score, 4)
        # Lists of medicines are Treatment's: a group heading naming them
        # ("Sedatives:"), or bullets that read as medicines.
        bullets = [BULLET.sub(r"\2", t) for t in texts if BULLET.match(t)]
        drugs = any(
            b.endswith(":") and medicines.names_medicines(b[:-1]) for b in bullets
        ) and self._has_nested_bullets(block)
        drugs = drugs or sum(1 for b in bullets if medicines.reads_as_medicine(b)) >= 2
        return {
            "cited": cited,
            "org": org,
            "keywords": keywords,
            "defines": bool(re.search(r"\b(is|are) (a|an|the)\b|\brefers to\b", first)),
            "drugs": drugs,
            "canadian": any(re.search(r"\bCanad", t) for t in plain),
            "figure_only": not plain,
        }

    @staticmethod
    def _has_nested_bullets(block):
        indents = {
            len(m.group(1)) for ln in block.lines if (m := BULLET.match(ln.text)) is not None
        }
        return len(indents) > 1

    def evidence(self, f, kind, index):
        if kind == REFERENCES:
            return 8 if f["cited"] >= 0.6 else -8
        if kind in (RESOURCES, CANADIAN):
            if f["org"] < 0.8 or f["cited"] >= 0.6:
                return -8
            return 6 + (1 if f["canadian"] == (kind == CANADIAN) else 0)
        if f["cited"] >= 0.6 or f["org"] >= 0.8:
            return -8
        score = f["keywords"].get(kind, 0)
        if kind == "definition":
            score += (3 if index == 0 else 0) + (1 if f["defines"] else 0)
        if kind == "treatment" and f["drugs"]:
            score += 6
        return score

    def assign(self, blocks):
        """Give every block a kind: the best path through the fixed order.

        A Viterbi pass: each block either continues the part before it or
        starts a later part of the fixed order, paying a little for every
        part left out, and gains the evidence of its content for the kind it
        gets. A missing part therefore costs less than a block's content
        speaks against a kind, so later blocks are not shifted. Linear in the
        number of blocks: per block, a pass over the (few) states and the
        eleven kinds.
        """
        start = ("", -1.0)
        best = {start: (0.0, None)}  # state → (score, back pointer)
        history = []
        main = ORDER
        body_index = 0
        for block in blocks:
            f = self.features(block)
            block.evidence = {kind: self.evidence(f, kind, body_index) for kind in main}
            block.first = body_index == 0 and not f["figure_only"]
            options = {}

            def offer(new_state, new_score, state, options=options):
                if new_state not in options or new_score > options[new_state][0]:
                    options[new_state] = (new_score, state)

            if block.continues or block.anchor is not None or f["figure_only"]:
                for state, (score, _) in best.items():
                    if block.continues or (f["figure_only"] and state[0]):
                        offer(state, score, state)
                    elif block.anchor is not None:
                        offer((block.anchor, POSITION.get(block.anchor, state[1])), score, state)
                    else:  # a figure before any text: the first part
                        for candidate in main:
                            offer((candidate, POSITION[candidate]), score, state)
            else:
                # Starting kind main[j] from a state after main[:i] costs
                # SKIP_PENALTY * (j - i): keep, per i, the best state, then
                # sweep j upwards with a running best.
                from_index = {}
                for state, (score, _) in best.items():
                    kind, pos = state
                    if kind:
                        gain = block.evidence.get(kind)
                        if gain is None:
                            gain = self.evidence(f, kind, body_index)
                        offer(state, score - MERGE_PENALTY + gain, state)
                    i = bisect.bisect_right(ORDER_POSITIONS, pos)
                    if i not in from_index or score > from_index[i][0]:
                        from_index[i] = (score, state)
                running = None
                for j, candidate in enumerate(main):
                    if j in from_index:
                        score, state = from_index[j]
                        value = score + SKIP_PENALTY * j
                        if running is None or value > running[0]:
                            running = (value, state)
                    if running is not None:
                        value, state = running
                        new_score = value - SKIP_PENALTY * j + block.evidence[candidate]
                        offer((candidate, POSITION[candidate]), new_score, state)
            history.append(options)
            best = options
            if not f["figure_only"]:
                body_index += 1
        # Walk back from the best end.
        state = max(best, key=lambda s: best[s][0])
        for block, options in zip(reversed(blocks), reversed(history), strict=True):
            block.kind = state[0]
            state = options[state][1]
        return blocks

    @staticmethod
    def certainty(block):
        """How sure the placement of an unheaded block is, from how much more
        its content speaks for its kind than for any other: (label, rival)."""
        evidence = block.evidence
        if block.kind not in evidence or (block.kind == "definition" and block.first):
            # The library's articles open with their definition.
            return "sure", None
        rival = max((k for k in evidence if k != block.kind), key=evidence.get)
        margin = evidence[block.kind] - evidence[rival]
        if evidence[block.kind] <= 0:
            return "unsure", None  # nothing in it speaks for any kind
        if margin >= 2:
            return "sure", None
        if margin >= 0:
            return "fairly sure", None
        return "unsure", rival

    # 4. Sections, from the blocks.

    def sections(self, blocks):
        """[(kind, heading, how, lines)], consecutive blocks of one part joined."""
        parts = []
        for block in blocks:
            same = (
                parts
                and parts[-1][0] == block.kind
                and not block.new_heading
                and (block.continues or block.anchor is None)
            )
            if same:
                parts[-1][3].extend([Line(0, ""), *block.lines])
                continue
            if block.anchor is not None:
                how = block.how
                heading = block.heading
            else:
                sure, rival = self.certainty(block)
                how = f"guessed from its place and content, {sure}"
                if sure == "unsure":
                    label = KIND_LABELS.get(block.kind, block.kind)
                    first = next((ln for ln in block.lines if not ln.blank), block.lines[0])
                    why = "placed by its position only"
                    if rival is not None:
                        rival_label = KIND_LABELS.get(rival, rival).lower()
                        why = f"{why}; its content reads more like {rival_label}"
                    self.report.check.append(
                        (f"Section {label}", _clean_text(first.text)[:80], why)
                    )
                heading = ""
            parts.append((block.kind, heading, how, list(block.lines)))
        return parts

    def elements(self, lines):
        """Paragraphs, lists (as item trees) and figures, in order."""
        out = []
        i = 0
        previous_line = None  # the paragraph line just before, for soft wraps
        while i < len(lines):
            line = lines[i]
            if line.blank:
                previous_line = None
                i += 1
                continue
            text = line.text.strip()
            if BULLET.match(line.text):
                items, i = self._list(lines, i)
                out.append(("list", items))
                previous_line = None
                continue
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            captioned = nxt is not None and not nxt.blank and CREDIT.match(nxt.text.strip())
            if captioned and len(text.split()) <= 15 and text[-1] not in ".:?!":
                out.append(("figure", _clean_text(text), _clean_text(nxt.text)))
                i += 2
                previous_line = None
                continue
            if CREDIT.match(text):
                out.append(("figure", "", _clean_text(text)))
                i += 1
                continue
            cleaned = _clean_text(text)
            if (
                previous_line is not None
                and out
                and out[-1][0] == "p"
                and out[-1][1][-1] not in TERMINAL
                and cleaned[:1].islower()
            ):
                joined = f"{out[-1][1]} {cleaned}"
                out.pop()
                out.extend(("p", part) for part in self._unglue(joined))
            else:
                out.extend(("p", part) for part in self._unglue(cleaned))
            previous_line = line
            i += 1
        return out

    def _unglue(self, text):
        return unglue(text, _Lazy(lambda: self.known_drugs))

    def _list(self, lines, i):
        roots, stack = [], []  # stack of (indent, item)
        while i < len(lines):
            line = lines[i]
            if line.blank:
                # A list continues over a blank line when a bullet follows.
                j = i
                while j < len(lines) and lines[j].blank:
                    j += 1
                if j < len(lines) and BULLET.match(lines[j].text):
                    i = j
                    continue
                break
            match = BULLET.match(line.text)
            if not match:
                if stack and line.text[:1].isspace():
                    # An indented line without a bullet continues the item.
                    stack[-1][1].text += " " + _clean_text(line.text)
                    i += 1
                    continue
                break
            indent = len(match.group(1))
            item = Item(_clean_text(match.group(2)), line.number)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if len(stack) >= MAX_DEPTH:
                # Deeper lists are not an article's; and the Markdown of
                # 1,000 levels would end in a RecursionError further on.
                raise ArticleImportError(
                    f"{self.name}: line {line.number}: a list nested more than {MAX_DEPTH} "
                    "levels deep; an article's lists have at most three levels."
                )
            (stack[-1][1].children if stack else roots).append(item)
            stack.append((indent, item))
            i += 1
        return roots, i

    def split_medicines(self, items, intro, label):
        """([(heading, [names])], [text items]): the medicines of a Treatment
        list as drug groups, everything else kept as the list's text."""
        last_sentence = re.split(r"(?<=[.!?])\s+", intro)[-1] if intro else ""
        intro_names = bool(last_sentence) and medicines.names_medicines(last_sentence)
        grouped = {
            id(item): item
            for item in items
            if item.children and item.text.endswith(":") and not _deeper(item)
        }
        siblings = any(medicines.names_medicines(item.text[:-1]) for item in grouped.values())
        groups, text_items, loose = [], [], None

        def verdict(text, context, sibling=False):
            found = medicines.classify(
                text, known=self.known_drugs, context=context, siblings=sibling
            )
            if found.kind == medicines.UNCERTAIN:
                self.report.check.append((label, text, found.why))
            return found.kind == medicines.MEDICINE

        for item in items:
            if id(item) in grouped:
                heading = item.text[:-1].strip()
                context = medicines.names_medicines(heading) or intro_names
                names, rest = [], []
                for child in item.children:
                    (names if verdict(child.text, context) else rest).append(child)
                if names:
                    groups.append((heading, [c.text for c in names]))
                    loose = None
                if rest:
                    text_items.append(Item(item.text, item.number, rest))
            elif not item.children and verdict(item.text, intro_names, siblings):
                if loose is None:
                    loose = ("", [])
                    groups.append(loose)
                loose[1].append(item.text)
            else:
                text_items.append(item)
        return groups, text_items

    # 5. Everything together.

    def parse(self):
        body = self.body_lines()
        blocks = self.blocks(body)
        if len(blocks) > MAX_BLOCKS:
            raise ArticleImportError(
                f"{self.name} has {len(blocks):,} paragraphs and lists; an article has at most "
                f"{MAX_BLOCKS:,}. Is this one article?"
            )
        blocks = self.assign(blocks)
        data = {
            "format": snapshots.FORMAT,
            "title": self.title,
            "slug": "",
            "alternate_names": "",
            "summary": "",
            "audience": "patient",
            "last_reviewed": None,
            "reviewer_name": "",
            "reviewer_credentials": "",
            "next_review_due": None,
            "update_notes": [],
            "tags": [],
            "related": [],
            "codes": [],
            "sections": [],
            "drug_groups": [],
            "references": [],
            "organizations": [],
            "figures": [],
        }
        org_names = set()
        for kind, heading, how, lines in self.sections(blocks):
            if kind == REFERENCES:
                self._references(lines, data)
            elif kind in REGION:
                self._organizations(lines, kind, data, org_names)
            else:
                self._section(kind, heading, how, lines, data)
            if kind in (REFERENCES, *REGION):
                label = (
                    heading
                    or {
                        REFERENCES: "References",
                        RESOURCES: "Resources",
                        CANADIAN: "Canadian resources",
                    }[kind]
                )
                self.report.sections.append(FoundSection(kind, label, how))
        self._check(data)
        if data["sections"]:
            first = data["sections"][0]["body"].split("\n\n", 1)[0]
            if not first.startswith("- "):
                data["summary"] = _first_sentence(first.replace("\n", " "))[:500]
        return data

    def _section(self, kind, heading, how, lines, data):
        if kind not in BODY_KINDS:
            kind = "other"
        display = KIND_LABELS[kind]
        if heading.casefold() in (display.casefold(), *STANDARD_HEADINGS):
            heading = ""  # a standard name: the page shows the kind's own label
        chunks = []
        intro_to_drugs = None
        for element in self.elements(lines):
            if element[0] == "p":
                chunks.append(_escape(element[1]))
            elif element[0] == "figure":
                caption, credit = element[1], element[2]
                data["figures"].append(
                    {
                        "caption": caption[:300],
                        "credit": credit[:300],
                        "alt_text": (caption or "Figure: image to be described")[:300],
                        "placement": kind,
                        "order": len(data["figures"]),
                    }
                )
                self.report.figures.append(FoundFigure(caption, credit, kind))
            elif kind != "treatment":
                chunks.append(_list_markdown(element[1]))
            else:
                intro = chunks[-1] if chunks and chunks[-1].endswith(":") else ""
                groups, text_items = self.split_medicines(element[1], intro, heading or display)
                if text_items:
                    chunks.append(_list_markdown(text_items))
                elif intro:
                    intro_to_drugs = intro
                for group_heading, names in groups:
                    self._drug_group(group_heading, names, data)
        body = "\n\n".join(chunks) + "\n" if chunks else ""
        order = len(data["sections"])
        data["sections"].append(
            {"kind": kind, "heading": heading[:200], "body": body, "order": order}
        )
        self.report.sections.append(FoundSection(kind, heading, how))
        label = heading or display
        for sentence in content_gaps(body) if ":" in body else ():
            if intro_to_drugs is None or not intro_to_drugs.endswith(sentence):
                self.report.gaps.append((label, sentence))

    def _drug_group(self, heading, names, data):
        seen, drugs = set(), []
        for name in names:
            if name.casefold() in seen:
                self.report.notes.append(f"“{name}” is listed twice under “{heading}”; kept once")
                continue
            seen.add(name.casefold())
            drugs.append({"name": name})
        data["drug_groups"].append(
            {"heading": heading[:200], "order": len(data["drug_groups"]), "drugs": drugs}
        )
        self.report.drug_groups.append(FoundGroup(heading, [FoundDrug(d["name"]) for d in drugs]))

    def _references(self, lines, data):
        for line in lines:
            if line.blank:
                continue
            fields, found = citations.parse_citation(line.text)
            fields["order"] = len(data["references"])
            data["references"].append({f: fields[f] for f in snapshots.REFERENCE_FIELDS})
            parsed = bool(fields["title"])
            text = citations.clean(line.text)
            self.report.references.append(FoundReference(text, parsed, found["kind"]))
            if not parsed:
                why = "kept whole: not read as a journal article, book or website"
                self.report.check.append(("References", text[:120], why))

    def _organizations(self, lines, kind, data, seen):
        for line in lines:
            if line.blank:
                continue
            raw = BULLET.sub(r"\2", line.text) if BULLET.match(line.text) else line.text
            text = _clean_text(raw)
            url_match = URL.search(text)
            url = url_match.group(0) if url_match else ""
            name = URL.sub("", text).strip(" -–—:,()[]") if url else text
            if not name and url and data["organizations"]:
                last = data["organizations"][-1]
                if not last.get("url"):
                    last["url"] = url[:500]
                    continue
            if not name or not _is_org_like(name):
                self.report.dropped.append((line.number, text))
                continue
            if name.casefold() in seen:
                continue
            seen.add(name.casefold())
            region = REGION[kind]
            data["organizations"].append({"name": name[:300], "region": region, "url": url[:500]})
            self.report.organizations.append(FoundOrganization(name, region))

    def _check(self, data):
        prose = [
            p
            for s in data["sections"]
            for p in s["body"].split("\n\n")
            if p.strip() and not p.startswith("- ")
        ]
        words = sum(len(p.split()) for p in prose)
        sentences = sum(1 for p in prose if re.search(r"[a-z][.!?:](\s|$)", p))
        if words < 12 or sentences == 0:
            raise ArticleImportError(
                f"{self.name}: no article found (expected paragraphs of text separated by "
                "blank lines, in the seed's plain-text format)."
            )


def _escape(text):
    """Plain text as a Markdown paragraph that renders as the same text."""
    if re.match(r"^(#|>|[-+*]\s|\d+[.)]\s|=+$|-+$)", text):
        return "\\" + text
    return text


def _deeper(item):
    """Has the group item a third level? Such a list is text, not drug groups."""
    return any(child.children for child in item.children)


def _list_markdown(items, depth=0):
    out = []
    for item in items:
        out.append(f"{'  ' * depth}- {item.text}")
        if item.children:
            out.append(_list_markdown(item.children, depth + 1))
    return "\n".join(out)


def parse_article(content, *, name, title=None, slug=None, known_drugs=()):
    """A ``ParsedArticle`` from the file's bytes; raises ``ArticleImportError``.

    ``known_drugs``: the names and other names of the library's drugs (or a
    function giving them, called once if needed); a Treatment bullet with
    one of them is a medicine whatever it looks like.
    """
    text = decode(content, name=name)
    title = " ".join((title or title_from_filename(name)).split())
    if not title:
        raise ArticleImportError(f"{name}: no title; give one with --title.")
    slug = slug or slugify(title)
    if not slug:
        raise ArticleImportError(f"{name}: the title “{title}” gives no address; use --slug.")
    parser = _Parser(text, name=name, title=title, known_drugs=known_drugs)
    data = parser.parse()
    data["title"] = title[:200]
    data["slug"] = slug[:200]
    return ParsedArticle(title=title, slug=slug, data=data, report=parser.report)
