"""What the index holds for an article: its text, flattened.

Title and alternate names, summary, section headings and text (from the
sanitized HTML, so Markdown syntax and link targets are not indexed), and
the drug group headings with their drugs' names and other names.
"""

import re
from collections import defaultdict

from django.db import connection

from conditions.models import Condition, DrugGroupItem, SearchDocument, Section
from conditions.search.languages import index_fields
from healthlib.lib.markdown import strip_html

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre|tr)>|<br\s*/?>", re.IGNORECASE)
# The highlighting markers must never come from the text itself.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000\ue001]")


def html_to_text(fragment):
    return plain(strip_html(_BLOCK_END.sub(lambda m: m.group(0) + "\n", fragment or "")))


def plain(text):
    text = _CONTROL.sub(" ", text or "")
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _fields(condition, sections, drug_items):
    kinds = dict(Section.Kind.choices)
    body = "\n".join(
        plain(str(heading or kinds.get(kind, ""))) + "\n" + html_to_text(body_html)
        for kind, heading, body_html in sections
    )
    names = []
    for group_heading, name, other_names, translated in drug_items:
        # A translation lists the drugs' names in its language too.
        local = (translated or {}).get(condition.language, "")
        names.extend([group_heading, local, name, *other_names.splitlines()])
    drugs = "\n".join(dict.fromkeys(plain(n) for n in names if n and n.strip()))
    fields = {
        "slug": condition.slug,
        "language": condition.language,
        "title": plain(condition.title),
        "alternate_names": plain(condition.alternate_names),
        "summary": plain(condition.summary),
        "body": body,
        "drugs": drugs,
    }
    return fields | index_fields(condition.language, fields, connection.vendor)


def _section_rows(condition_ids):
    rows = defaultdict(list)
    sections = (
        Section.objects.filter(condition_id__in=condition_ids)
        .order_by("condition_id", "order", "id")
        .values_list("condition_id", "kind", "heading", "body_html")
    )
    for condition_id, *row in sections:
        rows[condition_id].append(row)
    return rows


def _drug_rows(condition_ids):
    rows = defaultdict(list)
    items = (
        DrugGroupItem.objects.filter(group__condition_id__in=condition_ids)
        .order_by("group__condition_id", "group__order", "group_id", "order", "id")
        .values_list(
            "group__condition_id",
            "group__heading",
            "drug__name",
            "drug__other_names",
            "drug__names",
        )
    )
    for condition_id, *row in items:
        rows[condition_id].append(row)
    return rows


def document_fields(condition):
    """The indexed fields of one live article."""
    return _fields(
        condition,
        _section_rows([condition.pk])[condition.pk],
        _drug_rows([condition.pk])[condition.pk],
    )


def build_documents(conditions):
    """Unsaved ``SearchDocument`` rows for many live articles, in three queries."""
    conditions = list(conditions)
    ids = [c.pk for c in conditions]
    sections, drugs = _section_rows(ids), _drug_rows(ids)
    return [
        SearchDocument(condition=c, **_fields(c, sections[c.pk], drugs[c.pk])) for c in conditions
    ]


def live_conditions():
    """The live articles of every language."""
    return Condition.objects.live(language=None).only(
        "pk", "slug", "language", "title", "alternate_names", "summary"
    )
