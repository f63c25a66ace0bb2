"""All the site's content as one JSON document, and back.

The document (``"format": "healthlib-content"``, ``"version": 2``) is the
apps' parts side by side, each app writing, checking and loading its own
keys (``conditions.portability``, ``newsletter.portability``); this module
composes them, in dependency order: the newsletter refers to articles.

``export_content()`` gives a dict that ``dumps`` writes deterministically.
``import_content(doc)`` checks the whole document before writing anything:
first its shape and types against the published JSON Schema
(``schema.json`` here, with the apps' ``schema.json`` files), then what a
schema cannot say; it reports every problem with the path of the bad field
(``articles[3].sections[2].kind: …``), then loads in one transaction: all or
nothing.

Version 2 carries translations (see ``conditions.portability.export``);
version 1 files, from before there were any, still load: everything in
them is English (``upgrade`` reads them as version 2).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conditions.portability import export as conditions_export
from conditions.portability import load as conditions_load
from conditions.portability import validate as conditions_validate
from healthlib.lib.filecheck import Checker, nul_characters
from healthlib.lib.storage import atomic_with_files
from newsletter.portability import export as newsletter_export
from newsletter.portability import load as newsletter_load
from newsletter.portability import validate as newsletter_validate

FORMAT_NAME = "healthlib-content"
VERSION = 2
READABLE_VERSIONS = (1, 2)

SCHEMA_FILES = [
    Path(__file__).with_name("schema.json"),
    Path(conditions_export.__file__).with_name("schema.json"),
    Path(newsletter_export.__file__).with_name("schema.json"),
]
EXPORTS = [conditions_export, newsletter_export]
VALIDATORS = [conditions_validate, newsletter_validate]


def _schema_validator():
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_FILES]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    return Draft202012Validator(schemas[0], registry=registry)


SCHEMA = _schema_validator()


def export_content():
    """(document, missing file names). The document is JSON-serializable."""
    doc = {"format": FORMAT_NAME, "version": VERSION}
    missing = []
    for part in EXPORTS:
        keys, part_missing = part.export_part()
        doc.update(keys)
        missing += part_missing
    return doc, missing


def upgrade(doc):
    """A version 1 document's parts read as version 2's: every article
    English, no translated names. Keys version 1 did not have are dropped,
    so that a version 1 file cannot smuggle in half a translation. The
    version stays 1: a part may read it (the newsletter's does)."""
    if not isinstance(doc, dict) or doc.get("version") != 1:
        return doc
    for part in EXPORTS:
        upgrade_part = getattr(part, "upgrade_from_v1", None)
        doc = upgrade_part(doc) if upgrade_part else doc
    return doc


def dumps(doc):
    """The document as text; the same content always gives the same bytes."""
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


class ContentImportError(Exception):
    """The document cannot be loaded; ``errors`` are "path: problem" lines."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(
            self.errors[0] if len(self.errors) == 1 else f"{len(self.errors)} problems"
        )


def validate(doc):
    """Every problem in ``doc`` as "path: problem" lines; empty when it loads."""
    check = Checker()
    if not isinstance(doc, dict):
        check.add("(document)", "expected a JSON object")
        return check.errors
    if doc.get("format") != FORMAT_NAME:
        check.add("format", f"expected {json.dumps(FORMAT_NAME)}: this is not a healthlib export")
        return check.errors
    if doc.get("version") not in READABLE_VERSIONS or isinstance(doc.get("version"), bool):
        check.add(
            "version",
            f"{json.dumps(doc.get('version'))} is not supported; this healthlib reads "
            f"versions {' and '.join(map(str, READABLE_VERSIONS))}",
        )
        return check.errors
    doc = upgrade(doc)
    for path in nul_characters(doc):
        check.add(path, "contains a NUL character (U+0000), which cannot be stored")
    for error in SCHEMA.iter_errors(doc):
        check.schema_error(error)
        if check.full:
            break
    if check.errors:
        # The apps' checks rely on the shape and types the schema promises.
        return check.errors
    known = {}
    for part in VALIDATORS:
        part.validate(doc, check, known)
    return check.errors


@dataclass
class ImportSummary:
    articles: int = 0
    revisions: int = 0
    published: int = 0
    drugs: int = 0
    organizations: int = 0
    tags: int = 0
    files: int = 0
    editions: int = 0
    summaries: int = 0
    users_created: list = field(default_factory=list)

    def line(self):
        text = (
            f"Imported {self.articles} articles ({self.published} published, "
            f"{self.revisions} revisions), {self.drugs} drugs, {self.organizations} "
            f"organizations, {self.tags} tags, {self.files} files, {self.editions} newsletter "
            f"editions with {self.summaries} research summaries."
        )
        if self.users_created:
            text += (
                f" Revision authors without an account here were recorded as inactive users: "
                f"{', '.join(self.users_created)}."
            )
        return text


def database_content_counts():
    """What content the database holds; import_content needs all zeros."""
    counts = {}
    for part in EXPORTS:
        counts.update(part.counts())
    return counts


def import_content(doc):
    """Load ``doc`` into an empty database, all or nothing."""
    errors = validate(doc)
    doc = upgrade(doc)
    if errors:
        raise ContentImportError(errors)
    present = {k: v for k, v in database_content_counts().items() if v}
    if present:
        held = ", ".join(f"{v} {k}" for k, v in present.items())
        raise ContentImportError(
            [f"(database): it already holds content ({held}); import into an empty database"]
        )
    summary = ImportSummary()
    with atomic_with_files() as written:
        loaded = conditions_load.load(doc, summary, written)
        newsletter_load.load(doc, summary, written)
        conditions_load.finish(doc, loaded)
    return summary
