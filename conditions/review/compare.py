"""Compare two revisions of an article: the whole snapshot, in a reviewer's words.

Everything ``snapshots.take`` writes is walked: the article's own fields,
and every field of every child (sections, drug groups and the drugs in
them, references, organizations, figures, tags, related articles, medical
codes, update notes). Children are matched old to new, so a child is shown
as added, removed, changed (field by field) or moved ("Clonazepam moved
from 3rd to 1st place"). Text is diffed word by word as readers read it;
figures show their old and new images side by side, with alt text and
credit as text.

``ARTICLE_FIELDS`` and ``KINDS`` name every key of the snapshot for a
reviewer; a test walks every leaf of a snapshot and fails when a change to
one is not shown, so a field added to the snapshot must be named here.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.storage import default_storage

from conditions.models import Condition, MedicalCode, Organization, Section
from conditions.publishing import snapshots
from conditions.review.diffs import (  # noqa: F401 (word_diff: part of this module's answer)
    REWRITTEN_BELOW,
    WORD_DIFF_BUDGET,
    kept_in_order,
    longest_run,
    word_diff,
)
from healthlib.lib.markdown import plain_text

ARTICLE_FIELDS = {
    "title": "Title",
    "slug": "Web address (slug)",
    "alternate_names": "Also called",
    "summary": "Summary",
    "audience": "Audience",
    "last_reviewed": "Last reviewed",
    "reviewer_name": "Reviewer",
    "reviewer_credentials": "Reviewer's credentials",
    "next_review_due": "Next review due",
    "format": "Version of the revision format",
}

_CHOICES = {
    "kind": dict(Section.Kind.choices),
    "placement": {"": "At the end of the article", **dict(Section.Kind.choices)},
    "audience": dict(Condition.Audience.choices),
    "region": dict(Organization.Region.choices),
    "system": dict(MedicalCode.System.choices),
}
_DATES = ("last_reviewed", "next_review_due", "date")
# Shown when they change, not listed for a whole added or removed child:
# they follow from its place in the list or from its image.
_DERIVED = ("order", "width", "height", "renditions", "id")


@dataclass(frozen=True)
class Kind:
    """One kind of child in the snapshot: a list under ``key``."""

    key: str
    label: str  # the heading of its part of the comparison
    fields: dict  # snapshot key -> what a reviewer calls it
    identity: object  # entry -> what makes two entries the same child
    title: object  # entry -> how a reviewer names one child
    # False for lists kept sorted by ``take`` (tags, codes): their order
    # means nothing, so nothing in them is ever "moved".
    ordered: bool = True
    scalar: bool = False  # entries are plain strings, not dicts


def _kind_label(kind):
    return _CHOICES["kind"].get(kind, kind)


def _section_title(s):
    return s.get("heading") or str(_kind_label(s.get("kind", "")))


def _reference_title(r):
    title = r.get("title") or r.get("citation_text") or "(untitled reference)"
    return f"{r['authors']}. {title}" if r.get("authors") else str(title)


def _code_title(c):
    return f"{_CHOICES['system'].get(c.get('system'), c.get('system'))} {c.get('code')}"


DRUGS = Kind(
    "drugs",
    "Drugs",
    {"name": "Drug name", "slug": "Drug's web address", "id": "Drug record number"},
    identity=lambda d: d.get("name"),
    title=lambda d: d.get("name") or "(unnamed drug)",
)
RENDITIONS = {
    "width": "width",
    "height": "height",
    "name": "file",
    "source": "made from",
}
KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            "sections",
            "Sections",
            {"kind": "Kind of section", "heading": "Heading", "body": "Text", "order": "Order"},
            identity=lambda s: (s.get("kind"), s.get("heading")),
            title=_section_title,
        ),
        Kind(
            "drug_groups",
            "Drug groups",
            {"heading": "Group heading", "order": "Order", "drugs": "Drugs"},
            identity=lambda g: g.get("heading"),
            title=lambda g: g.get("heading") or "(drugs without a group heading)",
        ),
        Kind(
            "references",
            "References",
            {
                "order": "Order",
                "authors": "Authors",
                "title": "Title",
                "journal": "Journal",
                "publisher": "Publisher or website",
                "edition": "Edition",
                "year": "Year",
                "month": "Month",
                "volume": "Volume",
                "issue": "Issue",
                "pages": "Pages",
                "doi": "DOI",
                "pmid": "PubMed ID",
                "url": "Web address",
                "accessed_on": "Read on",
                "citation_text": "Citation as written",
            },
            identity=lambda r: (r.get("title"), r.get("citation_text")),
            title=_reference_title,
        ),
        Kind(
            "organizations",
            "Organizations",
            {"name": "Name", "region": "Region", "id": "Organization record number"},
            identity=lambda o: o.get("name"),
            title=lambda o: o.get("name") or "(unnamed organization)",
        ),
        Kind(
            "figures",
            "Figures",
            {
                "image": "Image",
                "alt_text": "Alt text (what the image shows)",
                "caption": "Caption",
                "credit": "Credit",
                "placement": "Shown after",
                "order": "Order",
                "width": "Image width in pixels",
                "height": "Image height in pixels",
                "renditions": "Sizes prepared for screens",
            },
            identity=lambda f: f.get("image"),
            title=lambda f: f.get("caption") or f.get("alt_text") or "(figure)",
        ),
        Kind(
            "tags",
            "Tags",
            {"value": "Tag"},
            identity=lambda t: t["value"],
            title=lambda t: t["value"],
            ordered=False,
            scalar=True,
        ),
        Kind(
            "related",
            "Related articles",
            {"slug": "Web address", "id": "Article record number"},
            identity=lambda r: r.get("slug"),
            title=lambda r: r.get("slug") or "(article)",
            ordered=False,
        ),
        Kind(
            "codes",
            "Medical codes",
            {"system": "Code system", "code": "Code"},
            identity=lambda c: (c.get("system"), c.get("code")),
            title=_code_title,
            ordered=False,
        ),
        Kind(
            "update_notes",
            "Update notes shown to readers",
            {"date": "Date", "note": "Note", "reviewer": "Reviewed by"},
            identity=lambda n: (n.get("date"), n.get("note")),
            title=lambda n: f"{n.get('date', '')}: {n.get('note', '')}",
        ),
    )
}
NESTED = {"drugs": DRUGS}


def ordinal(n):
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# What a comparison is made of ------------------------------------------------


@dataclass
class FieldChange:
    label: str
    diff: str  # HTML: the new value with removed words in <del>, added in <ins>
    kind: str = "text"  # "text", or "image": old and new thumbnails side by side
    old: dict | None = None  # for images: {"url", "name", "alt"}
    new: dict | None = None
    note: str = ""


@dataclass
class Part:
    label: str
    items: list = field(default_factory=list)
    # Sections list their unchanged headings too, so a reviewer sees where a
    # change sits; other parts count them.
    show_unchanged: bool = False

    @property
    def changed(self):
        return [i for i in self.items if i.status != "unchanged"]

    @property
    def unchanged_count(self):
        return sum(1 for i in self.items if i.status == "unchanged")

    @property
    def has_changes(self):
        return bool(self.changed)


@dataclass
class ItemChange:
    title: str
    status: str  # "added", "removed", "changed", "moved", "unchanged"
    fields: list = field(default_factory=list)
    moved: str = ""  # "moved from 3rd to 1st place"
    parts: list = field(default_factory=list)  # children's own changes (drugs)

    @property
    def summary(self):
        if self.status in ("added", "removed", "unchanged"):
            return self.status
        if self.moved and (self.fields or any(p.has_changes for p in self.parts)):
            return f"{self.moved}, and changed"
        return self.moved or "changed"


@dataclass
class Comparison:
    fields: list  # the article's own fields that changed
    parts: list

    @property
    def has_changes(self):
        return bool(self.fields) or any(p.has_changes for p in self.parts)

    @property
    def sections(self):
        return self.parts[0].items


# Showing one value -------------------------------------------------------------


def _words(key, value):
    """A value as a reviewer reads it."""
    if value is None:
        return "(not set)"
    if value == "" and key != "placement":
        return "(blank)"
    if key in _CHOICES and isinstance(value, str):
        return str(_CHOICES[key].get(value, value))
    if key in _DATES and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).strftime("%B %-d, %Y")
        except ValueError:
            return value
    if key == "renditions" and isinstance(value, list):
        return "; ".join(_rendition_words(r) for r in value) or "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _rendition_words(r):
    if not isinstance(r, dict):
        return str(r)
    return ", ".join(f"{label} {r[key]}" for key, label in RENDITIONS.items() if key in r) + (
        "".join(f", {k} {v}" for k, v in r.items() if k not in RENDITIONS)
    )


def _shown(key, old, new):
    """The two values in words; their Python form when the words are the
    same (1 and "1"), so a difference is never invisible."""
    a, b = _words(key, old), _words(key, new)
    if a == b:
        a, b = repr(old), repr(new)
    return a, b


def _image(entry):
    name = entry.get("image") or ""
    # Renditions made from another file would show the wrong picture.
    renditions = [
        r
        for r in entry.get("renditions") or ()
        if isinstance(r, dict) and "name" in r and r.get("source", name) == name
    ]
    # The smallest copy that is still clear at thumbnail size.
    fitting = [r for r in renditions if r.get("width", 0) >= 240] or renditions
    shown = min(fitting, key=lambda r: r.get("width", 0))["name"] if fitting else name
    return {
        "url": default_storage.url(shown) if shown else "",
        "name": name,
        "alt": entry.get("alt_text") or "",
    }


def _field_change(key, label, old_entry, new_entry):
    old = old_entry.get(key) if old_entry is not None else None
    new = new_entry.get(key) if new_entry is not None else None
    if key == "image":
        a, b = _shown(key, old, new) if old_entry and new_entry else (old or "", new or "")
        return FieldChange(
            label,
            word_diff(a if old_entry else "", b if new_entry else ""),
            kind="image",
            old=_image(old_entry) if old_entry else None,
            new=_image(new_entry) if new_entry else None,
        )
    if key == "body":
        # As readers read it; if only links or formatting changed, the
        # Markdown itself, since readers would see the difference.
        a, b = plain_text(old or ""), plain_text(new or "")
        if old_entry and new_entry and a == b:
            return FieldChange(
                "Links or formatting in the text",
                word_diff(old or "", new or ""),
                note="The words are the same; the Markdown source is shown.",
            )
        return FieldChange(label, word_diff(a, b))
    if old_entry is None or new_entry is None:
        value = new if old_entry is None else old
        words = _words(key, value)
        return FieldChange(
            label, word_diff("", words) if old_entry is None else word_diff(words, "")
        )
    return FieldChange(label, word_diff(*_shown(key, old, new)))


def _labels(kind, entry):
    known = list(kind.fields)
    return [(k, kind.fields[k]) for k in known] + [
        # A key no one named yet is still shown, under its own name.
        (k, k.replace("_", " ").capitalize())
        for k in sorted(entry or {})
        if k not in kind.fields
    ]


# Matching children old to new --------------------------------------------------


def _entries(kind, snapshot):
    entries = list(snapshot.get(kind.key) or ())
    if kind.scalar:
        entries = [{"value": e} for e in entries]
    if kind.ordered and all(isinstance(e.get("order"), int) for e in entries):
        # Readers see children in this order (``ordering = ["order", "id"]``).
        entries = [e for _, e in sorted(enumerate(entries), key=lambda p: (p[1]["order"], p[0]))]
    return entries


def _match(kind, old, new):
    """Pairs (old index, new index) of the same child: identical entries
    first, then the same identity, then (ordered lists) what stands in the
    same place, renamed."""
    pairs, used_old, used_new = [], set(), set()

    def pair(test):
        for j, b in enumerate(new):
            if j in used_new:
                continue
            for i, a in enumerate(old):
                if i not in used_old and test(i, a, j, b):
                    pairs.append((i, j))
                    used_old.add(i)
                    used_new.add(j)
                    break

    pair(lambda i, a, j, b: a == b)
    pair(lambda i, a, j, b: kind.identity(a) == kind.identity(b))
    if kind.ordered:
        pair(lambda i, a, j, b: i == j)
    return sorted(pairs, key=lambda p: p[1]), used_old, used_new


# Above this many children, the longest run is found in n log n without
# preferring children in their own place (a hostile list, not an article).
def _whole(kind, entry, status):
    """A child added or removed: all it holds, in words."""
    fields = []
    for key, label in _labels(kind, entry):
        if key in _DERIVED or key not in entry or key in NESTED:
            continue
        if entry[key] in ("", None) and key not in ("image",):
            continue
        old, new = (None, entry) if status == "added" else (entry, None)
        fields.append(_field_change(key, label, old, new))
    parts = [
        _compare_list(
            NESTED[key],
            {} if status == "added" else entry,
            entry if status == "added" else {},
        )
        for key in NESTED
        if key in entry
    ]
    return ItemChange(str(kind.title(entry)), status, fields, parts=parts)


def _compare_list(kind, old_snapshot, new_snapshot):
    old, new = _entries(kind, old_snapshot), _entries(kind, new_snapshot)
    pairs, used_old, used_new = _match(kind, old, new)
    kept = kept_in_order(pairs) if kind.ordered else set(range(len(pairs)))
    # Out of the longest run but in its own place among the children both
    # revisions have (the two around it swapped) is not moved; some other
    # child then is, so the change still shows.
    old_rank = {i: r for r, i in enumerate(sorted(i for i, _ in pairs))}
    items = []
    for n, (i, j) in enumerate(pairs):
        a, b = old[i], new[j]
        in_place = n in kept or old_rank[i] == n
        moved = "" if in_place else f"moved from {ordinal(i + 1)} to {ordinal(j + 1)} place"
        fields, parts = [], []
        for key, label in _labels(kind, {**a, **b}):
            if (key in a) == (key in b) and a.get(key) == b.get(key):
                continue
            if key in NESTED:
                parts.append(_compare_list(NESTED[key], a, b))
            elif key == "order" and (moved or i != j):
                continue  # its change of place says it
            else:
                fields.append(_field_change(key, label, a, b))
        status = "changed" if fields or parts else "moved" if moved else "unchanged"
        title = kind.title(b)
        if kind.title(a) != title:
            title = f"{kind.title(a)} → {title}"
        items.append(ItemChange(str(title), status, fields, moved, parts))
    # Removed children where they were, added ones where they are now.
    for i, a in enumerate(old):
        if i not in used_old:
            items.append(_whole(kind, a, "removed"))
    for j, b in enumerate(new):
        if j not in used_new:
            items.append(_whole(kind, b, "added"))
    return Part(kind.label, items, show_unchanged=kind.key == "sections")


def _readable(snapshot):
    return {k: v for k, v in snapshot.items() if k not in KINDS}


def compare(old, new):
    """A Comparison of two snapshots (``old`` before ``new``). ``old`` None
    compares against nothing: a new article's first review, everything
    shown as added. Section text is compared as readers read it."""
    # Revisions stored before a field was added compare as if it were empty.
    old, new = snapshots.upgraded(old or {}), snapshots.upgraded(new or {})
    fields = []
    top_old, top_new = _readable(old), _readable(new)
    article = Kind("", "", ARTICLE_FIELDS, identity=None, title=None)
    for key, label in _labels(article, {**top_old, **top_new}):
        if top_old.get(key) != top_new.get(key) or (key in top_old) != (key in top_new):
            if not old and key == "format":
                continue  # nothing to compare it with: not news to a reviewer
            if not old:
                fields.append(_field_change(key, label, None, top_new))
            else:
                fields.append(_field_change(key, label, top_old, top_new))
    return Comparison(fields, [_compare_list(kind, old, new) for kind in KINDS.values()])
