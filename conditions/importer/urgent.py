"""Emergency blocks: a sentence that sends the reader to emergency care
("Get medical help right away if there is:", "Call 911 or go to the
emergency room if …", "Busque atención médica de inmediato si …") with the
list it introduces. Wherever they are in the text, they become the
article's "When to get urgent help" section, which readers see first; the
rest of the text stays where it was.

A sentence leads such a block when, in its main clause (not the clause of
its condition: "If you get care right away, most people recover" is no
emergency block):

* it names emergency care: a service by itself (911, the emergency room,
  an ambulance), or help with a word of urgency ("medical help right
  away", "your doctor immediately");
* a verb of going for care comes just before the care ("get medical
  help", "call 911", "go to the nearest emergency department"), or the
  care "is needed";
* it is said to the reader: an imperative, "you", or care that someone
  needs;

and it is conditional: "if", "when", …, or it ends in a colon before its
list. The words are each language's (``languages/``, ``URGENT``); every
pattern is an alternation of words searched once per sentence, and the
rest is a single pass: linear in the text.
"""

import bisect
import dataclasses
import re
from dataclasses import dataclass, field

from conditions.importer import citations
from conditions.importer.vocabulary import (
    BULLET,
    CITATION_HINT,
    ENGLISH,
    clean_text,
    for_language,
)

URGENT_HELP = "urgent_help"
# How far (in words) the care may come after the verb that goes for it:
# "go to the nearest hospital emergency department".
REACH = 5
_WORD = re.compile(r"\S+")
_CLAUSE = re.compile(r"[,;:()—–]")
_LEADING = 1  # words before a condition that still start the sentence ("But if …")


@dataclass
class Emergencies:
    """What ``extract`` took: the lines of the urgent-help section (blocks
    apart by a blank line) and where each block was (line number, and the
    block it was taken from, ``None`` when the whole block moved)."""

    lines: list = field(default_factory=list)
    sources: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.lines)


def sentences(text, language=ENGLISH):
    """``text`` (one paragraph) as its sentences, each as written."""
    words = for_language(language)
    out, start = [], 0
    for match in words.sentence_break.finditer(text):
        end = match.start() + 1
        token = text[start:end].rsplit(None, 1)[-1].casefold().strip("([\"'“")
        if token[:-1] in words.abbreviations or len(token) == 2:
            continue  # "Dr. Lee", the initial in "J. Smith"
        out.append(text[start:end])
        start = match.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def _main_clause(sentence, condition):
    """The part of ``sentence`` its condition is not in, or None when it has
    no condition (and does not end in a colon before a list)."""
    found = condition.search(sentence)
    if found is None:
        return sentence if sentence.endswith(":") else None
    head = sentence[: found.start()]
    if len(head.split()) > _LEADING:
        return head  # "Call 911 if …"
    # "If your child has trouble breathing, call 911": after the comma.
    comma = sentence.find(",", found.end())
    return sentence[comma + 1 :] if comma >= 0 else None


def is_emergency(sentence, language=ENGLISH):
    """Does ``sentence`` send the reader to emergency care, on a condition?"""
    words = for_language(language).urgent
    sentence = sentence[:1000]
    main = _main_clause(sentence, words.condition)
    if not main:
        return False
    starts = [m.start() for m in _WORD.finditer(main)]

    def index(match):
        return bisect.bisect_right(starts, match.start()) - 1

    targets = [index(m) for m in words.services.finditer(main)]
    if words.urgency.search(main):
        targets += [index(m) for m in words.help.finditer(main)]
    if not targets:
        return False
    seeking = {index(m): bool(words.need.fullmatch(m.group(0))) for m in words.seek.finditer(main)}
    needed = {index(m) for m in words.needed.finditer(main)}
    reached = [
        seeking[at] for target in targets for at in range(target - REACH, target) if at in seeking
    ]
    needed_after = any(at in needed for target in targets for at in range(target + 1, target + 5))
    if not (reached or needed_after):
        return False
    if needed_after or any(reached) or words.addressed.search(main):
        return True
    clauses = _CLAUSE.split(main)
    return any(words.imperative.match(clause.strip(' ¿¡"“')) for clause in clauses)


def _introduces_list(sentence):
    return sentence.endswith(":") or sentence[-1:] not in '.!?"”)'


def _list_after(lines, i):
    """The index after the list starting at ``lines[i]`` (its bullets, their
    indented continuations, blank lines between bullets); ``i`` if none."""
    j = i
    while j < len(lines):
        line = lines[j]
        if line.blank:
            k = j
            while k < len(lines) and lines[k].blank:
                k += 1
            if k < len(lines) and BULLET.match(lines[k].text) and j > i:
                j = k
                continue
            break
        if BULLET.match(line.text) or (j > i and line.text[:1].isspace()):
            j += 1
            continue
        break
    return j


def _is_citation(text, language):
    return bool(CITATION_HINT.search(text)) and citations.looks_like_citation(text, language)


def _take(lines, language, unglue):
    """(lines kept, [(line number, lines taken)]) of one block."""
    kept, taken = [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        if line.blank or BULLET.match(text) or text[:1].isspace() or _is_citation(text, language):
            kept.append(line)
            i += 1
            continue
        parts = [sentences(piece, language) for piece in unglue(clean_text(text))]
        if not any(is_emergency(s, language) for part in parts for s in part):
            kept.append(line)
            i += 1
            continue
        # The rest of each paragraph stays one paragraph, where it was.
        moved, last = [], None
        for part in parts:
            rest = []
            for sentence in part:
                if is_emergency(sentence, language):
                    moved.append(dataclasses.replace(line, text=sentence))
                    last = sentence
                else:
                    rest.append(sentence)
                    last = None
            if rest:
                kept.append(dataclasses.replace(line, text=" ".join(rest)))
        i += 1
        if last is not None and _introduces_list(last):
            end = _list_after(lines, i)
            moved.extend(lines[i:end])
            i = end
        taken.append((line.number, moved))
    return kept, taken


def extract(blocks, *, language=ENGLISH, unglue=None, heading_kind=URGENT_HELP):
    """(blocks, ``Emergencies``): the blocks without their emergency
    sentences and lists (a block left empty is gone), and what was taken,
    in the order of the text. A block under an urgent-help heading moves
    whole. ``unglue``: splits a line's glued sentences (the parser's)."""
    unglue = unglue or (lambda text: [text])
    found = Emergencies()
    out = []

    def add(number, lines, block):
        if found.lines:
            found.lines.append(dataclasses.replace(lines[0], text=""))
        found.lines.extend(lines)
        found.sources.append((number, block))

    for block in blocks:
        if block.anchor == heading_kind:
            content = [ln for ln in block.lines if not ln.blank]
            if content:
                add(content[0].number, block.lines, None)
            continue
        kept, taken = _take(block.lines, language, unglue)
        for number, lines in taken:
            add(number, lines, block)
        if not taken:
            out.append(block)
        elif any(not ln.blank for ln in kept):
            block.lines = kept
            out.append(block)
    # A block that lost all its text is gone: name it by what it was.
    remaining = {id(b) for b in out}
    found.sources = [
        (n, b if b is not None and id(b) in remaining else None) for n, b in found.sources
    ]
    return out, found
