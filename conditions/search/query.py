"""Turning what a reader typed into search terms, safely.

Nothing the reader types reaches a query language as syntax: the text is
split into words here, and each backend builds its query from these words
as quoted strings or bound parameters. So quotes, ``AND(``, ``*``,
``NEAR(``, NUL bytes and very long input are just text.

Rules: every term must match; text in double quotes is a phrase; a word
written with hyphens or apostrophes ("5-HTP", "Parkinson's") is a phrase of
its parts, as the index splits it the same way. Common English words are
dropped outside phrases (PostgreSQL's English configuration does the same),
unless nothing else is left; in another language, its own common words.
"""

import re
import unicodedata
from dataclasses import dataclass

from conditions.search.languages import STOP_WORDS, get

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_WORD_CHARS = 60

_WORD = re.compile(r"\w+")
_PHRASE_OR_CHUNK = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    words: tuple  # lower-case words; more than one makes a phrase

    @property
    def is_phrase(self):
        return len(self.words) > 1

    @property
    def text(self):
        return " ".join(self.words)


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the cleaned query, fit to show back to the reader
    terms: tuple

    def __bool__(self):
        return bool(self.terms)


def clean(text):
    """The query without control characters, spaces collapsed, cut short."""
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in str(text or ""))
    # Only the start is normalized, twice what is kept: NFKC makes some
    # characters many ("ﷺ" is eighteen), and normalizing all of a long
    # query to keep its first 200 characters made 1.8 million of them.
    text = unicodedata.normalize("NFKC", " ".join(text.split())[: 2 * MAX_QUERY_CHARS])
    return text[:MAX_QUERY_CHARS].strip()


def _words(chunk):
    return tuple(w[:MAX_WORD_CHARS] for w in _WORD.findall(chunk.casefold()))


def parse(text, language=None):
    """The terms of ``text``; the common words of ``language`` (English when
    None; see ``languages``) dropped outside phrases."""
    stop = get(language).is_stop_word if language else STOP_WORDS.__contains__
    text = clean(text)
    terms = []
    for match in _PHRASE_OR_CHUNK.finditer(text):
        quoted, bare = match.groups()
        words = _words(quoted if quoted is not None else bare)
        if not words:
            continue
        terms.append((Term(words), quoted is not None))
    kept = [t for t, quoted in terms if quoted or t.is_phrase or not stop(t.words[0])]
    if not kept:
        kept = [t for t, _ in terms]
    unique = list(dict.fromkeys(kept))[:MAX_TERMS]
    return ParsedQuery(text=text, terms=tuple(unique))
