"""Check the health library's part of a document whose shape and types
``schema.json`` has already checked: the models' own rules, references
between records, uniqueness inside the document (the database would refuse
a duplicate with a traceback), and the embedded images.
"""

import base64
import binascii
import json

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from taggit.models import Tag

from healthlib.portability.checker import items

from .. import snapshots
from ..images import validate_figure_image
from ..models import (
    Condition,
    Drug,
    Figure,
    MedicalCode,
    Organization,
    Reference,
    Revision,
    Section,
)
from .export import (
    DRUG_FIELDS,
    DRUG_FIELDS_ADDED,
    ORGANIZATION_FIELDS,
    REVISION_FIELDS,
    TIME_FIELDS,
    WORKFLOW_FIELDS,
)

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
        self.file_names = set()
        self.image_files = set()

    def run(self, known):
        doc, check = self.doc, self.check
        self.files()
        tags = items(doc, "tags")
        check.unique(tags, ("name", "slug"))
        for path, entry in tags:
            check.fields(entry, path, ("name", "slug"), Tag)
        self.tag_names = {e["name"].casefold() for _, e in tags}
        drugs, orgs = items(doc, "drugs"), items(doc, "organizations")
        check.unique(drugs, ("name", "slug"))
        check.unique(orgs, ("name",))
        for path, entry in drugs:
            present = dict.fromkeys(DRUG_FIELDS_ADDED, "") | entry
            check.fields(present, path, DRUG_FIELDS, Drug)
            check.time(entry, "updated_at", path)
        for path, entry in orgs:
            check.fields(entry, path, ORGANIZATION_FIELDS, Organization)
            check.time(entry, "updated_at", path)
        self.drug_slugs = {e["slug"] for _, e in drugs}
        self.org_names = {e["name"] for _, e in orgs}
        articles = items(doc, "articles")
        self.article_slugs = {e["slug"] for _, e in articles}
        check.unique(articles, ("slug",), fold=())
        live_slugs = {}
        for path, entry in articles:
            if check.full:
                break
            self.article(path, entry)
            live = entry.get("live")
            if live is not None:
                if live["slug"] in live_slugs:
                    check.add(
                        f"{path}.live.slug",
                        f"{json.dumps(live['slug'])} is also the address of the published "
                        f"{live_slugs[live['slug']]}",
                    )
                live_slugs.setdefault(live["slug"], path)
        known["article_slugs"] = self.article_slugs
        known["tag_names"] = self.tag_names
        # Only figure images travel in a document: nothing else lands in media.
        for name in sorted(self.file_names - self.image_files):
            check.add(f"files[{json.dumps(name)}]", "not the image of any figure")

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

    def content(self, path, data, *, materialized):
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
            check.fields(ref, rpath, snapshots.REFERENCE_FIELDS, Reference, exclude=("condition",))
        orgs = items(data, "organizations", path)
        for opath, org in orgs:
            self.ref(org, opath, self.org_names, "organization", required=materialized)
        self.once(orgs, lambda o: o["ref"], "the organization")
        for rpath, related in items(data, "related", path):
            self.ref(related, rpath, self.article_slugs, "article", required=False)
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

    def revision_index(self, value, count, path):
        if value is not None and not value < count:
            self.check.add(path, f"{value} is not the index of one of the {count} revisions")

    def workflow(self, entry, path, **fixed):
        check = self.check
        check.fields(entry, path, WORKFLOW_FIELDS, Condition, exclude=_NOT_WORKFLOW, **fixed)
        for name in TIME_FIELDS:
            check.time(entry, name, path, required=name in ("created_at", "updated_at"))

    def article(self, path, entry):
        check = self.check
        self.content(path, entry, materialized=True)
        self.workflow(entry, path, is_live=True)
        replaced_by = entry.get("replaced_by")
        if replaced_by is not None and replaced_by not in self.article_slugs:
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
            self.content(f"{rpath}.snapshot", revision["snapshot"], materialized=False)
        for name in ("latest_revision", "live_revision"):
            self.revision_index(entry.get(name), len(revisions), f"{path}.{name}")
        live = entry.get("live")
        if live is not None:
            self.content(f"{path}.live", live, materialized=True)
            self.workflow(live, f"{path}.live")
            for name in ("latest_revision", "live_revision"):
                self.revision_index(live.get(name), len(revisions), f"{path}.live.{name}")
