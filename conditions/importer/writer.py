"""Writing a parsed article through the services: a new article, or a new
revision of the one with the same slug, never a duplicate."""

import re
from dataclasses import dataclass

from django.utils.text import slugify

from healthlib.storage import atomic_with_files

from .. import services, snapshots
from ..images import placeholder_image, store_figure_image
from ..models import Condition, Drug, Organization, Revision
from .parser import ParsedArticle, parse_article
from .report import ImportReport

_ABBREVIATION = re.compile(r"^(?P<name>.+?)\s*\((?P<short>[^()]+)\)$")


@dataclass
class ImportResult:
    condition: Condition
    created: bool
    revision: Revision
    report: ImportReport
    published: bool = False
    dry_run: bool = False

    def summary_line(self, name):
        if self.dry_run:
            what = "would create" if self.created else "would update"
            return (
                f"Dry run, nothing was written: the import {what} “{self.condition.title}” "
                f"at /conditions/{self.condition.slug}/ from {name}."
            )
        what = "Created" if self.created else "Updated"
        line = (
            f"{what} “{self.condition.title}” at /conditions/{self.condition.slug}/ from {name} "
            f"(revision “{self.revision.comment}”)"
        )
        if self.published:
            return f"{line}, and published it."
        if self.condition.live_revision_id:
            return f"{line}; the published version is unchanged until a reviewer publishes."
        return f"{line} as a {self.condition.get_status_display().lower()}."


def _names(name):
    """The name as written, and its parts: "5-hydroxytryptophan (5-HTP)"."""
    match = _ABBREVIATION.match(name)
    if match:
        return [name, match.group("name"), match.group("short")]
    return [name]


def _find_drug(name):
    for candidate in _names(name):
        drug = Drug.objects.filter(name__iexact=candidate).first()
        if drug is not None:
            return drug
    for candidate in _names(name):
        for drug in Drug.objects.filter(other_names__icontains=candidate):
            if candidate.casefold() in (n.casefold() for n in drug.other_name_list):
                return drug
    return None


def known_drugs():
    """Every name and other name of the library's drugs, for the parser to
    recognize a medicine by."""
    names = []
    for name, other_names in Drug.objects.values_list("name", "other_names").iterator():
        names.append(name)
        names.extend(other_names.splitlines())
    return names


def _unique_slug(model, base, max_length=200):
    base = (base or "item")[:max_length]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug


def _resolve_drugs(data, report):
    resolved = {}
    for group, found in zip(data["drug_groups"], report.drug_groups, strict=True):
        entries = []
        for entry, found_drug in zip(group["drugs"], found.drugs, strict=True):
            key = entry["name"].casefold()
            if key not in resolved:
                drug = _find_drug(entry["name"])
                if drug is None:
                    parts = _names(entry["name"])
                    drug = Drug.objects.create(
                        name=entry["name"],
                        slug=_unique_slug(Drug, slugify(parts[1] if len(parts) > 1 else parts[0])),
                        other_names=parts[2] if len(parts) > 1 else "",
                    )
                    status = "new"
                elif drug.name.casefold() == key:
                    status = "matched"
                else:
                    status = f"matched “{drug.name}”"
                resolved[key] = (drug, status)
            drug, status = resolved[key]
            found_drug.status = status
            entries.append({"id": drug.pk, "name": drug.name, "slug": drug.slug})
        # Two names in one group may be the same drug ("Valproate", "Depakote").
        unique = {e["id"]: e for e in reversed(entries)}
        group["drugs"] = [e for e in entries if unique.pop(e["id"], None) is not None]


def _resolve_organizations(data, report):
    entries = []
    for entry, found in zip(data["organizations"], report.organizations, strict=True):
        org = Organization.objects.filter(name__iexact=entry["name"]).first()
        if org is None:
            org = Organization.objects.create(
                name=entry["name"], region=entry["region"], url=entry.get("url", "")
            )
            found.status = "new"
        else:
            found.status = "matched"
        if all(e["id"] != org.pk for e in entries):
            entries.append({"id": org.pk, "name": org.name, "region": org.region})
    data["organizations"] = entries


def _figures(data, report, existing, stored):
    """Figure entries: the one already there with the same caption is kept
    (an editor may have put the real image in), others get a placeholder."""
    kept = {f["caption"].casefold(): f for f in existing if f.get("caption")}
    entries = []
    for entry, found in zip(data["figures"], report.figures, strict=True):
        old = kept.pop(entry["caption"].casefold(), None) if entry["caption"] else None
        if old is not None:
            entries.append({**old, "placement": entry["placement"], "order": entry["order"]})
            found.status = "kept the existing image"
            continue
        image = placeholder_image(entry["caption"] or "Figure")
        entries.append({**entry, **store_figure_image(image.name, image, stored)})
        found.status = "placeholder image; an editor completes the image and alt text"
    data["figures"] = entries


class _RolledBack(Exception):
    def __init__(self, result):
        self.result = result


def save_parsed(
    parsed,
    *,
    name,
    publish=False,
    user=None,
    explicit_title=False,
    extra=None,
    review=None,
    dry_run=False,
):
    """Write ``parsed`` (a ``ParsedArticle``); all or nothing.

    ``extra`` adds to what the file gives (tags, codes, alternate names);
    ``review`` ({reviewer_name, reviewer_credentials, update_note}) is used
    when publishing. With ``dry_run`` everything is done and then rolled
    back, so the report says exactly what an import would do.
    """
    try:
        with atomic_with_files() as stored:
            result = _save(
                parsed, name, publish, user, explicit_title, extra or {}, review or {}, stored
            )
            if dry_run:
                result.dry_run = True
                raise _RolledBack(result)
            return result
    except _RolledBack as rolled_back:
        return rolled_back.result


def _save(parsed: ParsedArticle, name, publish, user, explicit_title, extra, review, stored):
    data = {**parsed.data, **extra}
    comment = f"Imported from {name}"
    existing = Condition.objects.editable().select_for_update().filter(slug=parsed.slug).first()
    _resolve_drugs(data, parsed.report)
    _resolve_organizations(data, parsed.report)
    before = snapshots.take(existing) if existing is not None else None
    _figures(data, parsed.report, before["figures"] if before else [], stored)

    if existing is None:
        condition = services.create_article(data=data, user=user, comment=comment)
        revision = condition.latest_revision
    else:
        # What the file cannot say (tags, codes, related articles, other
        # names, a summary an editor wrote) stays as the editors left it.
        merged = {**before}
        for key in ("sections", "drug_groups", "references", "organizations", "figures"):
            merged[key] = data[key]
        if explicit_title:
            merged["title"] = data["title"]
        if not merged["summary"]:
            merged["summary"] = data["summary"]
        merged.update(extra)
        condition = services.update_article(
            condition=existing, data=merged, user=user, comment=comment
        )
        revision = condition.latest_revision
    if publish:
        services.publish(
            condition=condition,
            user=user,
            update_note=review.get("update_note") or comment,
            reviewer_name=review.get("reviewer_name", ""),
            reviewer_credentials=review.get("reviewer_credentials", ""),
        )
        condition.refresh_from_db()
    return ImportResult(
        condition=condition,
        created=existing is None,
        revision=revision,
        report=parsed.report,
        published=publish,
    )


def import_article(
    *,
    content,
    name,
    title=None,
    slug=None,
    publish=False,
    user=None,
    extra=None,
    review=None,
    dry_run=False,
):
    """Parse ``content`` (bytes) and write it: see ``save_parsed``."""
    parsed = parse_article(content, name=name, title=title, slug=slug, known_drugs=known_drugs)
    return save_parsed(
        parsed,
        name=name,
        publish=publish,
        user=user,
        explicit_title=bool(title),
        extra=extra,
        review=review,
        dry_run=dry_run,
    )
