"""Compare two revisions of an article: section by section, word by word,
and the lists (drugs, references, organizations, tags, figures) as sets."""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe

from healthlib.markdown import plain_text

from .models import Reference, Section

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

FIELDS = [
    ("title", "Title"),
    ("slug", "Slug"),
    ("alternate_names", "Also called"),
    ("summary", "Summary"),
    ("audience", "Audience"),
]


# SequenceMatcher is quadratic (or worse) in the number of tokens; a word
# diff of two pieces whose token counts multiply past this is done a
# sentence at a time instead, so a rewritten long section stays fast.
WORD_DIFF_BUDGET = 250_000
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n+|$)\s*")


def _diff_tokens(a, b, out):
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
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


@dataclass
class SectionChange:
    heading: str
    status: str  # "changed", "added", "removed", "moved", "unchanged"
    diff: str
    text: str = ""  # the section's text as readers read it (added/removed)


@dataclass
class ListChange:
    label: str
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.added or self.removed)


@dataclass
class Comparison:
    fields: list
    sections: list
    lists: list

    @property
    def has_changes(self):
        return (
            any(changed for _, _, changed in self.fields)
            or any(s.status != "unchanged" for s in self.sections)
            or any(lst.changed for lst in self.lists)
        )


def _section_key(section):
    return (section["kind"], section.get("heading", ""))


def _section_heading(section):
    return section.get("heading") or str(Section.Kind(section["kind"]).label)


def _drug_entries(snapshot):
    return [
        f"{g['heading'] or '(no group)'}: {d['name']}"
        for g in snapshot.get("drug_groups", ())
        for d in g["drugs"]
    ]


def _reference_entries(snapshot):
    fields = [f.name for f in Reference._meta.fields if f.name not in ("id", "condition")]
    return [
        str(Reference(**{k: v for k, v in ref.items() if k in fields}).ama())
        for ref in snapshot.get("references", ())
    ]


def _set_change(label, old, new):
    old_set, new_set = set(old), set(new)
    return ListChange(
        label,
        added=[x for x in new if x not in old_set],
        removed=[x for x in old if x not in new_set],
    )


def _reader_sections(snapshot):
    """Sections with their bodies as readers read them (no Markdown)."""
    return [
        {**section, "body": plain_text(section.get("body", ""))}
        for section in snapshot.get("sections", [])
    ]


def _moved(sections):
    """A section removed in one place and added unchanged in another was
    moved: show it once, where it is now."""
    removed = {}
    for change in sections:
        if change.status == "removed":
            removed.setdefault((change.heading, change.text), change)
    moved_from = set()
    for change in sections:
        source = removed.get((change.heading, change.text))
        if change.status == "added" and source is not None and id(source) not in moved_from:
            moved_from.add(id(source))
            change.status, change.diff = "moved", ""
    return [c for c in sections if id(c) not in moved_from]


def compare(old, new):
    """A Comparison of two snapshots (``old`` before ``new``). ``old`` None
    compares against nothing: a new article's first review, every section
    shown as added. Section text is compared as readers read it."""
    old = old or {}
    fields = [
        (
            label,
            word_diff(str(old.get(name, "")), str(new.get(name, ""))),
            old.get(name) != new.get(name),
        )
        for name, label in FIELDS
    ]

    old_sections, new_sections = _reader_sections(old), _reader_sections(new)
    matcher = SequenceMatcher(
        None,
        [_section_key(s) for s in old_sections],
        [_section_key(s) for s in new_sections],
        autojunk=False,
    )
    sections = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for a, b in zip(old_sections[i1:i2], new_sections[j1:j2], strict=True):
                status = "unchanged" if a["body"] == b["body"] else "changed"
                sections.append(
                    SectionChange(_section_heading(b), status, word_diff(a["body"], b["body"]))
                )
            continue
        pairs = list(zip(old_sections[i1:i2], new_sections[j1:j2], strict=False))
        if op == "replace" and len(pairs) == (i2 - i1) == (j2 - j1):
            # Same positions, renamed or re-kinded: still compare the text.
            for a, b in pairs:
                sections.append(
                    SectionChange(
                        f"{_section_heading(a)} → {_section_heading(b)}",
                        "changed",
                        word_diff(a["body"], b["body"]),
                    )
                )
            continue
        for a in old_sections[i1:i2]:
            sections.append(
                SectionChange(_section_heading(a), "removed", word_diff(a["body"], ""), a["body"])
            )
        for b in new_sections[j1:j2]:
            sections.append(
                SectionChange(_section_heading(b), "added", word_diff("", b["body"]), b["body"])
            )

    sections = _moved(sections)
    lists = [
        _set_change("Drugs", _drug_entries(old), _drug_entries(new)),
        _set_change("References", _reference_entries(old), _reference_entries(new)),
        _set_change(
            "Organizations",
            [o["name"] for o in old.get("organizations", ())],
            [o["name"] for o in new.get("organizations", ())],
        ),
        _set_change("Tags", old.get("tags", []), new.get("tags", [])),
        _set_change(
            "Figures",
            [f.get("caption") or f.get("alt_text") for f in old.get("figures", ())],
            [f.get("caption") or f.get("alt_text") for f in new.get("figures", ())],
        ),
        _set_change(
            "Medical codes",
            [f"{c['system']} {c['code']}" for c in old.get("codes", ())],
            [f"{c['system']} {c['code']}" for c in new.get("codes", ())],
        ),
    ]
    return Comparison(fields=fields, sections=sections, lists=lists)
