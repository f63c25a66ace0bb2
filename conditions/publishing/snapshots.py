"""An article as one JSON document, and back.

``take`` turns a working copy with all its parts into a snapshot (what a
``Revision`` stores); ``materialize`` writes a snapshot into a ``Condition``
row and replaces its parts. Publishing materializes into the live copy,
restoring into the working copy, so both go through the same code.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.text import slugify

from conditions.models import (
    ArticleOrganization,
    Condition,
    Drug,
    DrugGroup,
    DrugGroupItem,
    Figure,
    MedicalCode,
    Organization,
    Reference,
    Section,
)

FORMAT = 1

CONDITION_FIELDS = (
    "title",
    "slug",
    "alternate_names",
    "summary",
    "audience",
    "last_reviewed",
    "reviewer_name",
    "reviewer_credentials",
    "next_review_due",
    "update_notes",
)
# Review metadata and public notes belong to the article's history, not to
# one version of its text: restoring old text must not roll them back.
KEPT_ON_RESTORE = (
    "last_reviewed",
    "reviewer_name",
    "reviewer_credentials",
    "next_review_due",
    "update_notes",
)
SECTION_FIELDS = ("kind", "heading", "body", "order")
REFERENCE_FIELDS = (
    "order",
    "authors",
    "title",
    "journal",
    "publisher",
    "edition",
    "year",
    "month",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "accessed_on",
    "citation_text",
)
# Added to REFERENCE_FIELDS after snapshots were first stored: an older
# snapshot (a revision, an export) lacks them, and they load empty.
REFERENCE_FIELDS_ADDED = ("publisher", "edition", "accessed_on")
# The fields that are null when empty, not "".
REFERENCE_NULLS = ("year", "accessed_on")
FIGURE_FIELDS = (
    "alt_text",
    "caption",
    "credit",
    "placement",
    "order",
    "width",
    "height",
    "renditions",
)
DATE_FIELDS = ("last_reviewed", "next_review_due")


def _value(obj, field):
    value = getattr(obj, field)
    if field in (*DATE_FIELDS, "accessed_on") and value is not None:
        return value.isoformat()
    return value


def take(condition):
    """The whole article as a JSON-serializable dict."""
    groups = condition.drug_groups.prefetch_related("items__drug")
    return {
        "format": FORMAT,
        **{field: _value(condition, field) for field in CONDITION_FIELDS},
        "tags": sorted(tag.name for tag in condition.tags.all()),
        "related": sorted(
            ({"id": c.pk, "slug": c.slug} for c in condition.related.all()),
            key=lambda r: r["slug"],
        ),
        "codes": [{"system": c.system, "code": c.code} for c in condition.codes.all()],
        "sections": [
            {field: getattr(s, field) for field in SECTION_FIELDS} for s in condition.sections.all()
        ],
        "drug_groups": [
            {
                "heading": g.heading,
                "order": g.order,
                "drugs": [
                    {"id": i.drug_id, "name": i.drug.name, "slug": i.drug.slug}
                    for i in g.items.all()
                ],
            }
            for g in groups
        ],
        "references": [
            {field: _value(r, field) for field in REFERENCE_FIELDS}
            for r in condition.references.all()
        ],
        "organizations": [
            {
                "id": link.organization_id,
                "name": link.organization.name,
                "region": link.organization.region,
            }
            for link in condition.organization_links.select_related("organization")
        ],
        "figures": [
            {"image": f.image.name, **{field: getattr(f, field) for field in FIGURE_FIELDS}}
            for f in condition.figures.all()
        ],
    }


def as_stored(snapshot):
    """``snapshot`` as a revision gives it back from the database (JSON)."""
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def _drug_for(entry):
    drug = Drug.objects.filter(pk=entry.get("id")).first() if entry.get("id") else None
    if drug is None:
        # The drug was deleted since the snapshot: bring it back by name.
        drug, _ = Drug.objects.get_or_create(
            name=entry["name"], defaults={"slug": entry.get("slug") or slugify(entry["name"])}
        )
    return drug


def _organization_for(entry):
    org = Organization.objects.filter(pk=entry.get("id")).first() if entry.get("id") else None
    if org is None:
        org, _ = Organization.objects.get_or_create(
            name=entry["name"], defaults={"region": entry.get("region") or "US"}
        )
    return org


def upgraded(data):
    """``data`` (a snapshot stored earlier) with the reference fields added
    since filled in empty, as ``take`` would give them: an older revision
    then compares equal to the same content taken now."""
    references = data.get("references") or ()
    if all(f in r for r in references for f in REFERENCE_FIELDS_ADDED):
        return data
    empty = {f: None if f in REFERENCE_NULLS else "" for f in REFERENCE_FIELDS_ADDED}
    return {**data, "references": [{**empty, **r} for r in references]}


def reference_fields(entry):
    """A snapshot's reference as model field values: what an older snapshot
    lacks is empty, the date it was read a date."""
    fields = {f: entry.get(f, None if f in REFERENCE_NULLS else "") for f in REFERENCE_FIELDS}
    if fields["accessed_on"]:
        fields["accessed_on"] = parse_date(fields["accessed_on"])
    return fields


@transaction.atomic
def materialize(data, into, *, keep=()):
    """Make ``into`` (a saved or unsaved Condition) hold exactly ``data``."""
    for field in CONDITION_FIELDS:
        if field in keep or field not in data:
            continue
        value = data[field]
        if field in DATE_FIELDS and value:
            value = parse_date(value)
        setattr(into, field, value)
    into.save()
    condition = into

    condition.sections.all().delete()
    condition.drug_groups.all().delete()
    condition.references.all().delete()
    condition.organization_links.all().delete()
    condition.figures.all().delete()
    condition.codes.all().delete()

    for entry in data.get("sections", ()):
        # save(), not bulk_create: each body is rendered and sanitized again.
        Section(condition=condition, **{f: entry[f] for f in SECTION_FIELDS}).save()

    for entry in data.get("drug_groups", ()):
        group = DrugGroup.objects.create(
            condition=condition, heading=entry["heading"], order=entry["order"]
        )
        DrugGroupItem.objects.bulk_create(
            DrugGroupItem(group=group, drug=_drug_for(d), order=n)
            for n, d in enumerate(entry["drugs"])
        )

    Reference.objects.bulk_create(
        Reference(condition=condition, **reference_fields(entry))
        for entry in data.get("references", ())
    )
    ArticleOrganization.objects.bulk_create(
        ArticleOrganization(condition=condition, organization=_organization_for(entry), order=n)
        for n, entry in enumerate(data.get("organizations", ()))
    )
    Figure.objects.bulk_create(
        Figure(condition=condition, image=entry["image"], **{f: entry[f] for f in FIGURE_FIELDS})
        for entry in data.get("figures", ())
    )
    MedicalCode.objects.bulk_create(
        MedicalCode(condition=condition, system=c["system"], code=c["code"])
        for c in data.get("codes", ())
    )
    condition.tags.set(data.get("tags", []), clear=True)
    related_ids = [r["id"] for r in data.get("related", ())]
    condition.related.set(Condition.objects.editable().filter(pk__in=related_ids))
    return condition
