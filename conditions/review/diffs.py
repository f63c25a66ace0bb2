"""The two diffs a reviewer's comparison is made of: a text's words (old
and new, in the reading order) and a list's order (which items kept their
place). Pure functions of strings and pairs; ``compare`` applies them to
every part of an article."""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

# SequenceMatcher is quadratic (or worse) in the number of tokens; a word
# diff of two pieces whose token counts multiply past this is done a
# sentence at a time instead, so a rewritten long section stays fast.
WORD_DIFF_BUDGET = 250_000
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n+|$)\s*")


# Two texts sharing less than this share of their words were rewritten, not
# edited: shown whole, the old struck through and then the new, since a word
# diff of them interleaves two sentences into one nobody can read.
REWRITTEN_BELOW = 0.5


def _diff_tokens(a, b, out):
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    words = sum(1 for t in a + b if not t.isspace())
    shared = sum(
        1 for op, i1, i2, _, _ in opcodes if op == "equal" for t in a[i1:i2] if not t.isspace()
    )
    if a and b and 2 * shared < REWRITTEN_BELOW * words:
        out.append(f"<del>{escape(''.join(a))}</del> <ins>{escape(''.join(b))}</ins>")
        return
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")


def _sentences(text):
    return [m for m in _SENTENCE.findall(text) if m]


def word_diff(old, new):
    """HTML of ``new`` with words removed from ``old`` in <del> and added in
    <ins>. Past ``WORD_DIFF_BUDGET`` the sentences are matched first and
    only changed sentences of a comparable size are diffed word by word."""
    old, new = old or "", new or ""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out = []
    if len(a) * len(b) <= WORD_DIFF_BUDGET:
        _diff_tokens(a, b, out)
        return mark_safe("".join(out))  # noqa: S308 - every piece is escaped
    sa, sb = _sentences(old), _sentences(new)
    matcher = SequenceMatcher(None, sa, sb, autojunk=len(sa) * len(sb) > WORD_DIFF_BUDGET)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(sa[i1:i2])))
            continue
        ta = _TOKEN.findall("".join(sa[i1:i2]))
        tb = _TOKEN.findall("".join(sb[j1:j2]))
        if op == "replace" and len(ta) * len(tb) <= WORD_DIFF_BUDGET:
            _diff_tokens(ta, tb, out)
            continue
        if ta:
            out.append(f"<del>{escape(''.join(ta))}</del>")
        if tb:
            out.append(f"<ins>{escape(''.join(tb))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


# What a reviewer calls each part of the snapshot ---------------------------


_PREFER_IN_PLACE_UP_TO = 1500


def kept_in_order(pairs):
    """The pairs (sorted by new place) that keep their relative order: the
    longest run of increasing old places. The others moved.

    Among runs of the same length, the one with the most children still in
    their own place (by rank among the children both revisions have) wins:
    in a reversed list the middle child stays put and the first and last are
    both moved, rather than the first one being called unchanged at the end.
    """
    if len(pairs) > _PREFER_IN_PLACE_UP_TO:
        return longest_run(pairs)
    rank = {i: r for r, i in enumerate(sorted(i for i, _ in pairs))}
    weight = [len(pairs) + 1 + (rank[i] == n) for n, (i, _) in enumerate(pairs)]
    best, links = [], []
    for n, (i, _) in enumerate(pairs):
        score, link = weight[n], None
        for m in range(n):
            if pairs[m][0] < i and best[m] + weight[n] > score:
                score, link = best[m] + weight[n], m
        best.append(score)
        links.append(link)
    kept, n = set(), max(range(len(pairs)), key=best.__getitem__, default=None)
    while n is not None:
        kept.add(n)
        n = links[n]
    return kept


def longest_run(pairs):
    """``kept_in_order`` for long lists: patience sorting, n log n."""
    tails, links = [], {}
    for n, (i, _) in enumerate(pairs):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if pairs[tails[mid]][0] < i:
                lo = mid + 1
            else:
                hi = mid
        links[n] = tails[lo - 1] if lo else None
        if lo == len(tails):
            tails.append(n)
        else:
            tails[lo] = n
    kept, n = set(), tails[-1] if tails else None
    while n is not None:
        kept.add(n)
        n = links[n]
    return kept
