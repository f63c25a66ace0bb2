"""Writing a parsed article through the services: a new article, or a new
revision of the one with the same slug, never a duplicate; and a
translation of an English article: a new translation, or a new revision of
the one it has in that language (``import_translation``)."""

import re
from dataclasses import dataclass

from django.utils.text import slugify

from conditions import services
from conditions.importer.parser import ParsedArticle, parse_article, title_from_filename
from conditions.importer.report import ImportReport
from conditions.importer.source import ArticleImportError
from conditions.importer.vocabulary import supported
from conditions.models import Condition, Drug, Figure, Organization, Revision
from conditions.models.images import placeholder_image
from conditions.pages import translations
from conditions.publishing import snapshots
from healthlib.lib.storage import atomic_with_files

_ABBREVIATION = re.compile(r"^(?P<name>.+?)\s*\((?P<short>[^()]+)\)$")


@dataclass
class ImportResult:
    condition: Condition
    created: bool
    revision: Revision
    report: ImportReport
    published: bool = False
    dry_run: bool = False
    source_title: str = ""  # a translation's English article

    def summary_line(self, name):
        address = self.condition.get_absolute_url()
        if self.dry_run:
            what = "would create" if self.created else "would update"
            return (
                f"Dry run, nothing was written: the import {what} “{self.condition.title}” "
                f"at {address} from {name}."
            )
        what = "Created" if self.created else "Updated"
        line = f"{what} “{self.condition.title}” at {address} from {name} "
        if self.condition.translation_of_id:
            line += (
                f"as the translation into {self.condition.language_name} "
                f"({self.condition.language}) of “{self.source_title}” "
            )
        line += f"(revision “{self.revision.comment}”)"
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


def _find_drug(name, language=None):
    """The drug named ``name``: by its name, its other names, or (for a
    translation) its name in ``language``."""
    for candidate in _names(name):
        drug = Drug.objects.filter(name__iexact=candidate).first()
        if drug is not None:
            return drug
    for candidate in _names(name):
        for drug in Drug.objects.filter(other_names__icontains=candidate):
            if candidate.casefold() in (n.casefold() for n in drug.other_name_list):
                return drug
    if language:
        for candidate in _names(name):
            # JSON text search first (both databases), then the exact check.
            for drug in Drug.objects.filter(names__icontains=candidate):
                if (drug.names.get(language) or "").casefold() == candidate.casefold():
                    return drug
    return None


def known_drugs(language=None):
    """Every name and other name of the library's drugs (and their names in
    ``language``), for the parser to recognize a medicine by."""
    names = []
    rows = Drug.objects.values_list("name", "other_names", "names").iterator()
    for name, other_names, translated in rows:
        names.append(name)
        names.extend(other_names.splitlines())
        if language and (translated or {}).get(language):
            names.append(translated[language])
    return names


def _unique_slug(model, base, max_length=200):
    base = (base or "item")[:max_length]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug


def _by_place(source_groups, group_index, drug_index, group):
    """The English article's drug at the same place as a translation's, when
    the translated group lists as many drugs as the English one: a faithful
    translation keeps the order."""
    if group_index >= len(source_groups):
        return None
    english = source_groups[group_index]["drugs"]
    if len(english) != len(group["drugs"]):
        return None
    return Drug.objects.filter(pk=english[drug_index]["id"]).first()


def _resolve_drugs(data, report, language=None, source_groups=None):
    """Drug entries for the groups: existing drugs matched by name, other
    names or name in ``language``; for a translation, the English article's
    drug at the same place, which then gets its name in ``language``; a
    new drug otherwise."""
    resolved = {}
    for g, (group, found) in enumerate(zip(data["drug_groups"], report.drug_groups, strict=True)):
        entries = []
        for d, (entry, found_drug) in enumerate(zip(group["drugs"], found.drugs, strict=True)):
            key = entry["name"].casefold()
            if key not in resolved and language and source_groups is not None:
                drug = _find_drug(entry["name"], language)
                placed = _by_place(source_groups, g, d, group) if drug is None else None
                if placed is not None:
                    names = dict(placed.names or {})
                    names[language] = entry["name"]
                    Drug.objects.filter(pk=placed.pk).update(names=names)
                    status = (
                        f"matched “{placed.name}” by its place in the English article; "
                        f"its {translations.language_name(language)} name recorded"
                    )
                    resolved[key] = (placed, status)
            if key not in resolved:
                drug = _find_drug(entry["name"], language)
                if drug is None:
                    parts = _names(entry["name"])
                    drug = Drug.objects.create(
                        name=entry["name"],
                        slug=_unique_slug(Drug, slugify(parts[1] if len(parts) > 1 else parts[0])),
                        other_names=parts[2] if len(parts) > 1 else "",
                        names={language: entry["name"]} if language else {},
                    )
                    status = "new"
                elif drug.name.casefold() == key or (
                    language and (drug.names.get(language) or "").casefold() == key
                ):
                    status = "matched"
                elif language and not (drug.names or {}).get(language):
                    # Found by a part of its name ("5-HTP" in
                    # "5-hidroxitriptófano (5-HTP)"): the way this language
                    # names it, for its pages, unless it has a name there.
                    names = {**(drug.names or {}), language: entry["name"]}
                    Drug.objects.filter(pk=drug.pk).update(names=names)
                    drug.names = names
                    status = (
                        f"matched “{drug.name}”; its "
                        f"{translations.language_name(language)} name recorded"
                    )
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
        entries.append({**entry, **Figure.store_image(image.name, image, stored)})
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
    return _all_or_nothing(
        lambda stored: _save(
            parsed, name, publish, user, explicit_title, extra or {}, review or {}, stored
        ),
        dry_run=dry_run,
    )


def _all_or_nothing(save, *, dry_run):
    """Run ``save(stored)`` in one transaction (files stored on the way are
    removed if it rolls back); with ``dry_run``, roll back after it and
    return its result all the same."""
    try:
        with atomic_with_files() as stored:
            result = save(stored)
            if dry_run:
                result.dry_run = True
                raise _RolledBack(result)
            return result
    except _RolledBack as rolled_back:
        return rolled_back.result


# The parts a file says; what it cannot say (tags, codes, related
# articles, other names, a summary an editor wrote) stays as editors left it.
FILE_PARTS = ("sections", "drug_groups", "references", "organizations", "figures")


def _merged(before, data, *, title):
    """An existing article's snapshot ``before`` with what the file says
    (``data``) in place of its parts, and of its title if ``title``."""
    merged = {**before, **{key: data[key] for key in FILE_PARTS}}
    if title:
        merged["title"] = data["title"]
    if not merged["summary"]:
        merged["summary"] = data["summary"]
    return merged


def _finish(condition, revision, parsed, existing, publish, user, review, comment, **extra):
    """Publish the imported revision if asked, and say what was done."""
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
        **extra,
    )


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
    else:
        merged = _merged(before, data, title=explicit_title)
        merged.update(extra)
        condition = services.update_article(
            condition=existing, data=merged, user=user, comment=comment
        )
    revision = condition.latest_revision
    return _finish(condition, revision, parsed, existing, publish, user, review, comment)


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


def _translation_figures(data, report, source_figures, existing):
    """A translation's figures: the image of its own figure with the same
    caption when it has one, else the English article's figure at the same
    place (the translation captions and describes the same picture), else
    a placeholder. The caption and credit are the file's; the alt text is
    the caption until an editor describes the image in the language."""
    kept = {f["caption"].casefold(): f for f in existing if f.get("caption")}
    entries, placeholders = [], []
    for index, (entry, found) in enumerate(zip(data["figures"], report.figures, strict=True)):
        old = kept.pop(entry["caption"].casefold(), None) if entry["caption"] else None
        if old is not None:
            entries.append({**old, "placement": entry["placement"], "order": entry["order"]})
            found.status = "kept the existing image"
        elif index < len(source_figures):
            image = {k: v for k, v in source_figures[index].items() if k not in entry}
            entries.append({**entry, **image, "image": source_figures[index]["image"]})
            found.status = (
                "the English article's image; an editor checks the alt text in this language"
            )
        else:
            entries.append(entry)
            placeholders.append((len(entries) - 1, found))
    data["figures"] = entries
    return placeholders


def _english_source(slug):
    """The English working copy at ``slug``; ``ArticleImportError`` naming
    what is wrong otherwise."""
    source = Condition.objects.editable().filter(slug=slug).first()
    if source is not None:
        return source
    other = Condition.objects.editable(language=None).filter(slug=slug).first()
    if other is not None and other.translation_of_id:
        english = other.translation_of
        raise ArticleImportError(
            f"--translation-of {slug}: that is the translation into {other.language_name} "
            f"({other.language}) of “{english.title}”; a translation is made of the English "
            f"article (--translation-of {english.slug})."
        )
    raise ArticleImportError(f"--translation-of {slug}: there is no English article at that slug.")


def import_translation(
    *,
    content,
    name,
    language,
    translation_of,
    title=None,
    slug=None,
    publish=False,
    user=None,
    review=None,
    dry_run=False,
):
    """Import ``content`` as the ``language`` translation of the English
    article with the slug ``translation_of``: a new translation, or a new
    revision of the one it has; all or nothing (see ``save_parsed``)."""
    languages = translations.translation_languages()
    if language not in languages or language not in supported():
        codes = ", ".join(code for code in languages if code in supported()) or "none"
        raise ArticleImportError(
            f"--language {language}: the library is not translated into that language "
            f"(translations can be imported in: {codes})."
        )
    source = _english_source(translation_of)
    existing = source.translations.filter(language=language, is_live=False).first()
    # "mioclonia.txt", or "myoclonus.es.txt" beside its English "myoclonus.txt".
    stem = title_from_filename(re.sub(rf"\.{language}(?=\.\w+$)", "", name))
    parsed = parse_article(
        content,
        name=name,
        title=title or (existing.title if existing is not None else stem),
        slug=slug or (existing.slug if existing is not None else None),
        known_drugs=lambda: known_drugs(language),
        language=language,
    )
    return _all_or_nothing(
        lambda stored: _save_translation(
            parsed, name, source, existing, language, publish, user, review or {}, stored
        ),
        dry_run=dry_run,
    )


def _save_translation(parsed, name, source, existing, language, publish, user, review, stored):
    comment = f"Imported from {name}"
    english = (source.live_revision or source.latest_revision).snapshot
    # The topics are the English article's (their names are translated).
    data = {**parsed.data, "tags": english["tags"]}
    _resolve_drugs(data, parsed.report, language, english["drug_groups"])
    _resolve_organizations(data, parsed.report)
    before = snapshots.take(existing) if existing is not None else None
    placeholders = _translation_figures(
        data, parsed.report, english["figures"], before["figures"] if before else []
    )
    for index, found in placeholders:
        image = placeholder_image(data["figures"][index]["caption"] or "Figure")
        data["figures"][index].update(Figure.store_image(image.name, image, stored))
        found.status = "placeholder image; an editor completes the image and alt text"

    if existing is None:
        condition = services.create_translation(
            source=source, language=language, user=user, data=data, comment=comment
        )
    else:
        merged = _merged(before, data, title=parsed.title != existing.title)
        condition = services.update_article(
            condition=existing, data=merged, user=user, comment=comment
        )
    revision = condition.latest_revision
    return _finish(
        condition,
        revision,
        parsed,
        existing,
        publish,
        user,
        review,
        comment,
        source_title=source.title,
    )
