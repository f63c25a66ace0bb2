"""Highlighted text for result pages.

The database marks matches with two private-use characters (which the
indexed text never contains, see ``documents``); everything is HTML-escaped
first and only then do the markers become ``<mark>`` elements, so a snippet
can never carry markup from the article or the query.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

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
