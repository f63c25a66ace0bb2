"""Highlighted text for result pages.

The database marks matches with two private-use characters (which the
indexed text never contains, see ``documents``); everything is HTML-escaped
first and only then do the markers become ``<mark>`` elements, so a snippet
can never carry markup from the article or the query.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from conditions.search.languages import WORD, fold

START = "\ue000"
STOP = "\ue001"


def to_html(marked):
    """Safe HTML from text with START/STOP markers."""
    text = escape(marked or "")
    # Unbalanced markers (a snippet cut inside a match) are closed or dropped.
    out, open_ = [], False
    for ch in text:
        if ch == START:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif ch == STOP:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(ch)
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out).replace("</mark> <mark>", " "))  # noqa: S308


def has_mark(marked):
    return START in (marked or "")


def from_first_mark(marked):
    """``marked`` from its first match on, with "…" for what was cut: a
    snippet starts at the words the reader searched for."""
    marked = marked or ""
    at = marked.find(START)
    if at <= 0:
        return marked
    before = marked[:at].rstrip()
    rest = marked[at:]
    if not before or before.endswith("…"):
        return ("…" if before else "") + rest
    return "…" + rest


# Languages searched through a folded, stemmed copy of the text
# (``languages``): the database cannot say where the matches are in the
# text readers see, so the words are marked here.


def _matches(text, keys, language):
    """(start, end) of each word of ``text`` whose key is one of ``keys``."""
    # Snowball stemmers remove suffixes only, after at least two letters:
    # a word whose first two letters start no key cannot match, and most
    # words are skipped without being stemmed.
    starts = {k[:2] for k in keys}
    for m in WORD.finditer(fold(text)):
        word = m.group()
        if word[:2] in starts and language.key(word) in keys:
            yield m.span()


def mark(text, keys, language):
    """``text`` with START/STOP around every word matching ``keys``."""
    text = text or ""
    out, at = [], 0
    for start, end in _matches(text, keys, language):
        out += [text[at:start], START, text[start:end], STOP]
        at = end
    out.append(text[at:])
    return "".join(out)


def marked_snippet(text, keys, language, words=36):
    """About ``words`` words of ``text`` from its first match (from its
    start if nothing matches), marked, with "…" where it was cut."""
    text = text or ""
    first = next(_matches(text, keys, language), None)
    start = first[0] if first else 0
    end = len(text)
    for n, m in enumerate(WORD.finditer(text, start)):
        if n == words - 1:
            end = m.end()
            break
    cut = text[start:end]
    return ("…" if start else "") + mark(cut, keys, language) + ("…" if end < len(text) else "")
