"""How search reads each language: ``settings.SEARCH_LANGUAGES``.

English (no stemmer named) is indexed as shown: SQLite FTS5's porter
tokenizer and PostgreSQL's ``english`` configuration stem it. Every other
language names a Snowball stemmer and a PostgreSQL configuration, and its
documents are searched through a copy of their text (``SearchDocument``'s
``index_*`` columns) with the accents folded here, in Python, so both
databases treat "mioclonía" and "mioclonia" alike: on PostgreSQL the
folded text, which the language's configuration stems; on SQLite the
folded words' Snowball stems, one per word in the order of the text, which
a stemming-free FTS5 table indexes.

Readers still see the original text: the matched words of these languages
are marked in Python (``mark``), by comparing each word's key (folded,
stemmed) with the query's.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.conf import settings

# Words as the index sees them: letters and digits (FTS5's unicode61
# tokenizer splits on everything else, underscores included).
WORD = re.compile(r"[^\W_]+")

INDEX_COLUMNS = ("title", "alternate_names", "summary", "body", "drugs")

# English's common words, dropped from queries outside phrases
# (PostgreSQL's english configuration drops the same); every other
# language names its own in settings.SEARCH_LANGUAGES.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with you your yours
    yourself yourselves
    """.split()  # noqa: SIM905
)


class _Folding(dict):
    """``str.translate`` table, filled as characters are met: each
    character lower-cased and without its accents, one character for one,
    so positions in the folded text are positions in the original."""

    def __missing__(self, codepoint):
        ch = chr(codepoint)
        base = "".join(
            c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)
        ).lower()
        self[codepoint] = base if len(base) == 1 else ch
        return self[codepoint]


_folding = _Folding()


def fold(text):
    """``text`` lower-cased without accents, the same length."""
    return (text or "").translate(_folding)


@dataclass(frozen=True)
class SearchLanguage:
    code: str
    postgresql: str  # text search configuration
    stemmer: str | None  # Snowball stemmer, None: the text is indexed as shown
    stop_words: frozenset  # folded; ignored outside phrases

    def is_stop_word(self, word):
        return (fold(word) if self.stemmed else word) in self.stop_words

    @property
    def stemmed(self):
        """Searched through the folded copy of the text, not the text itself."""
        return self.stemmer is not None

    def key(self, word):
        """What a (folded) word is indexed and compared as on SQLite."""
        return _stem(self.stemmer, word)

    def keys(self, text):
        return [self.key(w) for w in WORD.findall(fold(text))]

    def index_text(self, text, vendor):
        """The copy of ``text`` the index reads on the database ``vendor``."""
        if vendor == "sqlite":
            return " ".join(self.keys(text))
        return fold(text)

    def query_text(self, text, vendor):
        return self.index_text(text, vendor)


@lru_cache(maxsize=200_000)
def _stem(name, word):
    return _stemmer(name).stemWord(word)


_local = threading.local()


def _stemmer(name):
    # A Snowball stemmer keeps the word it is working on in itself: one per
    # thread, never shared between requests served at once.
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if name not in stemmers:
        stemmers[name] = snowballstemmer.stemmer(name)
    return stemmers[name]


def get(code):
    """The search settings of language ``code`` (the source language's for
    a language search does not know)."""
    config = (
        settings.SEARCH_LANGUAGES.get(code) or settings.SEARCH_LANGUAGES[settings.LANGUAGE_CODE]
    )
    code = code if code in settings.SEARCH_LANGUAGES else settings.LANGUAGE_CODE
    return SearchLanguage(
        code=code,
        postgresql=config["postgresql"],
        stemmer=config["stemmer"],
        stop_words=_stop_words(config["stemmer"], config.get("stop_words", "")),
    )


@lru_cache(maxsize=16)
def _stop_words(stemmer, words):
    if stemmer is None:
        # English, indexed as shown: the list above.
        return STOP_WORDS
    return frozenset(fold(words).split())


def all_languages():
    return [get(code) for code in settings.SEARCH_LANGUAGES]


def index_fields(language, fields, vendor):
    """The ``index_*`` columns of a document in ``language`` with ``fields``
    (title, alternate_names, summary, body, drugs): empty for a language
    indexed as shown."""
    lang = get(language)
    return {
        f"index_{name}": lang.index_text(fields.get(name, ""), vendor) if lang.stemmed else ""
        for name in INDEX_COLUMNS
    }
