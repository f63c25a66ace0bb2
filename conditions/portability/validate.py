"""Check the health library's part of a document whose shape and types
``schema.json`` has already checked: the models' own rules, references
between records, uniqueness inside the document (the database would refuse
a duplicate with a traceback), and the embedded images.
"""

import base64
import binascii
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from taggit.models import Tag

from conditions.models import (
    Condition,
    Drug,
    Figure,
    MedicalCode,
    Organization,
    Reference,
    Revision,
    Section,
)
from conditions.models.images import validate_figure_image
from conditions.pages.translations import SOURCE_LANGUAGE, language_name, translation_languages
from conditions.portability.export import (
    DRUG_FIELDS,
    DRUG_FIELDS_ADDED,
    ORGANIZATION_FIELDS,
    REVISION_FIELDS,
    TIME_FIELDS,
    WORKFLOW_FIELDS,
)
from conditions.publishing import snapshots
from healthlib.lib.filecheck import items

CONTENT_SCALARS = tuple(f for f in snapshots.CONDITION_FIELDS if f != "update_notes")
FIGURE_FIELDS = ("alt_text", "caption", "credit", "placement", "order")
_NOT_WORKFLOW = [f.name for f in Condition._meta.fields if f.name not in WORKFLOW_FIELDS]


def validate(doc, check, known):
    """Add this part's problems to ``check``; leave in ``known`` what the
    other parts refer to (article slugs, tag names)."""
    _Validator(doc, check).run(known)


class _Validator:
    def __init__(self, doc, check):
        self.doc = doc
        self.check = check
        self.tag_names = set()
        self.drug_slugs = set()
        self.org_names = set()
        self.article_slugs = set()
        self.slugs_by_language = {}  # language → the slugs of its articles
        self.english = {}  # English article slug → its entry
        self.file_names = set()
        self.image_files = set()

    def run(self, known):
        doc, check = self.doc, self.check
        self.files()
        tags = items(doc, "tags")
        check.unique(tags, ("name", "slug"))
        for path, entry in tags:
            check.fields(entry, path, ("name", "slug"), Tag)
            self.names(entry, path)
        self.tag_names = {e["name"].casefold() for _, e in tags}
        drugs, orgs = items(doc, "drugs"), items(doc, "organizations")
        check.unique(drugs, ("name", "slug"))
        check.unique(orgs, ("name",))
        for path, entry in drugs:
            present = dict.fromkeys(DRUG_FIELDS_ADDED, "") | entry
            check.fields(present, path, DRUG_FIELDS, Drug)
            check.time(entry, "updated_at", path)
            self.names(entry, path)
        for path, entry in orgs:
            check.fields(entry, path, ORGANIZATION_FIELDS, Organization)
            check.time(entry, "updated_at", path)
            self.names(entry, path)
        self.drug_slugs = {e["slug"] for _, e in drugs}
        self.org_names = {e["name"] for _, e in orgs}
        articles = items(doc, "articles")
        languages = {code for code, _ in settings.LANGUAGES}
        for path, entry in articles:
            language = entry.get("language", SOURCE_LANGUAGE)
            if language not in languages:
                check.add(
                    f"{path}.language",
                    f"{json.dumps(language)} is not one of this site's languages "
                    f"({', '.join(sorted(languages))})",
                )
            self.slugs_by_language.setdefault(language, set()).add(entry["slug"])
        self.english = {
            e["slug"]: e
            for _, e in articles
            if e.get("language", SOURCE_LANGUAGE) == SOURCE_LANGUAGE
        }
        self.article_slugs = set(self.english)
        # A slug is an article's address in its language: unique per language.
        for language in sorted(self.slugs_by_language):
            check.unique(
                [(p, e) for p, e in articles if e.get("language", SOURCE_LANGUAGE) == language],
                ("slug",),
                fold=(),
            )
        live_slugs = {}
        translated = {}
        for path, entry in articles:
            if check.full:
                break
            language = entry.get("language", SOURCE_LANGUAGE)
            self.article(path, entry)
            self.translation(path, entry, translated)
            live = entry.get("live")
            if live is not None:
                key = (language, live["slug"])
                if key in live_slugs:
                    check.add(
                        f"{path}.live.slug",
                        f"{json.dumps(live['slug'])} is also the address of the published "
                        f"{live_slugs[key]}",
                    )
                live_slugs.setdefault(key, path)
        # The newsletter refers to English articles.
        known["article_slugs"] = self.article_slugs
        known["tag_names"] = self.tag_names
        # Only figure images travel in a document: nothing else lands in media.
        for name in sorted(self.file_names - self.image_files):
            check.add(f"files[{json.dumps(name)}]", "not the image of any figure")

    def names(self, entry, path):
        """A shared record's names in other languages: only in languages
        articles are translated into."""
        for language in entry.get("names") or {}:
            if language not in translation_languages():
                self.check.add(
                    f"{path}.names",
                    f"{json.dumps(language)} is not a language articles are translated into "
                    f"({', '.join(translation_languages())})",
                )

    def translation(self, path, entry, translated):
        """A translation names an English article of the document, at most
        one translation per language each, and a revision of it."""
        check = self.check
        language = entry.get("language", SOURCE_LANGUAGE)
        source_slug = entry.get("translation_of")
        if language == SOURCE_LANGUAGE:
            if source_slug is not None:
                check.add(
                    f"{path}.translation_of",
                    "an English article is not a translation: must be null",
                )
            for name in ("translated_from", "source_updated_at"):
                if entry.get(name) is not None:
                    check.add(f"{path}.{name}", "only a translation has one: must be null")
            return
        if source_slug is None:
            check.add(
                f"{path}.translation_of",
                f"a {language_name(language)} article is a translation: name the English "
                "article it translates",
            )
            return
        source = self.english.get(source_slug)
        if source is None:
            # Not English: either another translation's slug, or nothing's.
            reason = (
                "a translation of a translation: name the English article"
                if any(source_slug in slugs for slugs in self.slugs_by_language.values())
                else "no English article with this slug in this document"
            )
            check.add(f"{path}.translation_of", f"{json.dumps(source_slug)}: {reason}")
            return
        key = (source_slug, language)
        if key in translated:
            check.add(
                f"{path}.translation_of",
                f"{json.dumps(source_slug)} already has a {language_name(language)} "
                f"translation ({translated[key]})",
            )
        translated.setdefault(key, path)
        count = len(source.get("revisions") or ())
        of = f" of the English article {json.dumps(source_slug)}"
        self.revision_index(entry.get("translated_from"), count, f"{path}.translated_from", of)
        check.time(entry, "source_updated_at", path, required=False)
        live = entry.get("live")
        if live is not None:
            self.revision_index(
                live.get("translated_from"), count, f"{path}.live.translated_from", of
            )
            check.time(live, "source_updated_at", f"{path}.live", required=False)

    def files(self):
        for name, encoded in (self.doc.get("files") or {}).items():
            try:
                base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                self.check.add(f"files[{json.dumps(name)}]", "not valid base64")
                continue
            self.file_names.add(name)

    def image(self, name, path):
        if name in self.image_files or name not in self.file_names:
            self.image_files.add(name)
            return
        self.image_files.add(name)
        data = base64.b64decode(self.doc["files"][name])
        try:
            validate_figure_image(ContentFile(data, name=name))
        except ValidationError as exc:
            self.check.add(path, " ".join(exc.messages))

    def content(self, path, data, *, materialized, language=SOURCE_LANGUAGE):
        """A snapshot-shaped object: an article's content or a revision's."""
        check = self.check
        # is_live=True: uniqueness is checked over the whole document, not
        # against the (empty) database.
        check.fields(data, path, CONTENT_SCALARS, Condition, exclude=("status",), is_live=True)
        for tpath, tag in items(data, "tags", path):
            if tag.casefold() not in self.tag_names:
                check.add(tpath, f"the tag {json.dumps(tag)} is not in tags")
        codes = items(data, "codes", path)
        for cpath, code in codes:
            check.fields(code, cpath, ("system", "code"), MedicalCode, exclude=("condition",))
        self.once(codes, lambda c: (c["system"], c["code"]), "the code")
        for spath, section in items(data, "sections", path):
            check.fields(section, spath, snapshots.SECTION_FIELDS, Section, exclude=("condition",))
        for gpath, group in items(data, "drug_groups", path):
            drugs = items(group, "drugs", gpath)
            for dpath, drug in drugs:
                self.ref(drug, dpath, self.drug_slugs, "drug", required=materialized)
            # A drug may be in two groups (Clonazepam), not twice in one.
            self.once(drugs, lambda d: d["ref"], "the drug")
        for rpath, ref in items(data, "references", path):
            # Fields added after the format was published load empty.
            present = snapshots.upgraded({"references": [ref]})["references"][0]
            check.fields(
                present, rpath, snapshots.REFERENCE_FIELDS, Reference, exclude=("condition",)
            )
        orgs = items(data, "organizations", path)
        for opath, org in orgs:
            self.ref(org, opath, self.org_names, "organization", required=materialized)
        self.once(orgs, lambda o: o["ref"], "the organization")
        for rpath, related in items(data, "related", path):
            # Related articles are in the article's own language.
            slugs = self.slugs_by_language.get(language, set())
            self.ref(related, rpath, slugs, "article", required=False)
        for fpath, figure in items(data, "figures", path):
            check.fields(figure, fpath, FIGURE_FIELDS, Figure, exclude=("condition", "image"))
            self.image(figure["image"], f"{fpath}.image")
            for npath, rendition in items(figure, "renditions", fpath):
                self.image(rendition["name"], f"{npath}.name")

    def once(self, entries, key, what):
        """No two of ``entries`` share ``key`` (None keys aside)."""
        seen = {}
        for path, entry in entries:
            value = key(entry)
            if value is None:
                continue
            if value in seen:
                shown = " ".join(value) if isinstance(value, tuple) else value
                self.check.add(path, f"{what} {shown} is listed twice (also {seen[value]})")
            else:
                seen[value] = path

    def ref(self, entry, path, known, what, *, required):
        ref = entry["ref"]
        if ref is None:
            if required:
                self.check.add(f"{path}.ref", "must not be null")
            return
        if ref not in known:
            self.check.add(f"{path}.ref", f"no {what} {json.dumps(ref)} in this document")

    def revision_index(self, value, count, path, of=""):
        if value is not None and not value < count:
            self.check.add(path, f"{value} is not the index of one of the {count} revisions{of}")

    def workflow(self, entry, path, **fixed):
        check = self.check
        check.fields(entry, path, WORKFLOW_FIELDS, Condition, exclude=_NOT_WORKFLOW, **fixed)
        for name in TIME_FIELDS:
            check.time(entry, name, path, required=name in ("created_at", "updated_at"))

    def article(self, path, entry):
        check = self.check
        language = entry.get("language", SOURCE_LANGUAGE)
        self.content(path, entry, materialized=True, language=language)
        self.workflow(entry, path, is_live=True)
        replaced_by = entry.get("replaced_by")
        if replaced_by is not None and replaced_by not in self.slugs_by_language.get(
            language, set()
        ):
            check.add(
                f"{path}.replaced_by", f"no article {json.dumps(replaced_by)} in this document"
            )
        revisions = items(entry, "revisions", path)
        for rpath, revision in revisions:
            check.fields(
                revision, rpath, REVISION_FIELDS, Revision, exclude=("condition", "snapshot")
            )
            check.time(revision, "created_at", rpath)
            check.time(revision, "approved_go_live_at", rpath, required=False)
            self.content(
                f"{rpath}.snapshot", revision["snapshot"], materialized=False, language=language
            )
        for name in ("latest_revision", "live_revision"):
            self.revision_index(entry.get(name), len(revisions), f"{path}.{name}")
        live = entry.get("live")
        if live is not None:
            self.content(f"{path}.live", live, materialized=True, language=language)
            self.workflow(live, f"{path}.live")
            for name in ("latest_revision", "live_revision"):
                self.revision_index(live.get(name), len(revisions), f"{path}.live.{name}")
