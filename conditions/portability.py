"""All the library's content as one JSON document, and back.

``export_content()`` gives a dict that ``dumps`` writes deterministically:
articles (working copy, live copy and every revision), drugs,
organizations, tags, figures with their image files embedded, and the
newsletters with their editions and research summaries. Subscribers and
deliveries are never exported.

No primary key is exported: records refer to each other by natural keys
(a drug's slug, an organization's name, an article's slug), so the document
loads into any empty database, and exporting it again gives the same bytes.

``import_content(doc)`` checks the whole document first and reports every
problem with the path of the bad field (``articles[3].sections[2].kind: …``),
then loads it in one transaction: all or nothing.
"""

import base64
import binascii
import copy
import datetime
import json
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.dateparse import parse_datetime
from taggit.models import Tag

from healthlib.pagecache import bump
from newsletter.models import Edition, Newsletter, ResearchSummary

from . import hooks, invalidation, rendering, snapshots
from .images import validate_figure_image
from .models import (
    Condition,
    Drug,
    Figure,
    MedicalCode,
    Organization,
    Reference,
    Revision,
    Section,
)

FORMAT_NAME = "healthlib-content"
VERSION = 1

WORKFLOW_FIELDS = ("status", "has_unpublished_changes")
TIME_FIELDS = ("created_at", "updated_at", "published_at", "first_published_at")
REVISION_FIELDS = ("comment", "status_before", "status_after", "update_note")
DRUG_FIELDS = ("name", "slug", "other_names", "rxnorm_code", "description")
ORGANIZATION_FIELDS = ("name", "url", "region")
NEWSLETTER_FIELDS = ("name", "description", "from_email")
EDITION_FIELDS = ("title", "slug", "intro", "status")
SUMMARY_FIELDS = ("order", "headline", "body", "journal", "doi", "url")
_SAFE_FILE_NAME = re.compile(
    r"^(?!/)(?!.*(?:^|/)\.\.?(?:/|$))[\w\-./ ]{1,250}\.(?:png|jpe?g|webp|gif)$", re.IGNORECASE
)


def _time(value):
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat()


def _date(value):
    return value.isoformat() if value is not None else None


# Export.


class _Exporter:
    def __init__(self):
        self.drug_slugs = dict(Drug.objects.values_list("pk", "slug"))
        self.org_names = dict(Organization.objects.values_list("pk", "name"))
        self.article_slugs = dict(Condition.objects.editable().values_list("pk", "slug"))
        self.usernames = {}
        self.files = set()

    def content(self, data):
        """A snapshot with its database ids replaced by natural keys."""
        data = copy.deepcopy(data)
        if "codes" in data:  # the database's collation must not decide the bytes
            data["codes"] = sorted(data["codes"], key=lambda c: (c["system"], c["code"]))
        for group in data.get("drug_groups", ()):
            for drug in group.get("drugs", ()):
                drug["ref"] = self.drug_slugs.get(drug.pop("id", None))
        for org in data.get("organizations", ()):
            org["ref"] = self.org_names.get(org.pop("id", None))
        for related in data.get("related", ()):
            related["ref"] = self.article_slugs.get(related.pop("id", None))
        for figure in data.get("figures", ()):
            self.files.add(figure.get("image"))
            self.files.update(r.get("name") for r in figure.get("renditions", ()))
        return data

    def user(self, user_id):
        if user_id is None:
            return None
        if user_id not in self.usernames:
            User = get_user_model()
            user = User.objects.filter(pk=user_id).first()
            self.usernames[user_id] = user.get_username() if user else None
        return self.usernames[user_id]

    def article(self, condition):
        revisions = sorted(condition.revisions.all(), key=lambda r: (r.created_at, r.pk))
        index = {r.pk: n for n, r in enumerate(revisions)}
        entry = {
            **self.content(snapshots.take(condition)),
            **{f: getattr(condition, f) for f in WORKFLOW_FIELDS},
            **{f: _time(getattr(condition, f)) for f in TIME_FIELDS},
            "replaced_by": self.article_slugs.get(condition.replaced_by_id),
            "latest_revision": index.get(condition.latest_revision_id),
            "live_revision": index.get(condition.live_revision_id),
            "revisions": [
                {
                    **{f: getattr(r, f) for f in REVISION_FIELDS},
                    "created_at": _time(r.created_at),
                    "approved_go_live_at": _time(r.approved_go_live_at),
                    "author": self.user(r.author_id),
                    "approved_by": self.user(r.approved_by_id),
                    "snapshot": self.content(r.snapshot),
                }
                for r in revisions
            ],
            "live": None,
        }
        live = Condition.objects.filter(source=condition).first()
        if live is not None:
            entry["live"] = {
                **self.content(snapshots.take(live)),
                **{f: getattr(live, f) for f in WORKFLOW_FIELDS},
                **{f: _time(getattr(live, f)) for f in TIME_FIELDS},
                "live_revision": index.get(live.live_revision_id),
                "latest_revision": index.get(live.latest_revision_id),
            }
        return entry

    def newsletters(self):
        out = []
        for newsletter in Newsletter.objects.order_by("pk"):
            editions = sorted(newsletter.editions.all(), key=lambda e: e.slug)
            out.append(
                {
                    **{f: getattr(newsletter, f) for f in NEWSLETTER_FIELDS},
                    "created_at": _time(newsletter.created_at),
                    "editions": [self.edition(e) for e in editions],
                }
            )
        return out

    def edition(self, edition):
        summaries = edition.summaries.prefetch_related("related_articles", "tags")
        return {
            **{f: getattr(edition, f) for f in EDITION_FIELDS},
            "issue_date": _date(edition.issue_date),
            "sent_at": _time(edition.sent_at),
            "created_at": _time(edition.created_at),
            "updated_at": _time(edition.updated_at),
            "summaries": [
                {
                    **{f: getattr(s, f) for f in SUMMARY_FIELDS},
                    "source_date": _date(s.source_date),
                    "related_articles": sorted(c.slug for c in s.related_articles.all()),
                    "tags": sorted(t.name for t in s.tags.all()),
                }
                for s in summaries.order_by("order", "pk")
            ],
        }

    def embedded_files(self):
        out, missing = {}, []
        for name in sorted(n for n in self.files if n):
            try:
                with default_storage.open(name, "rb") as fh:
                    out[name] = base64.b64encode(fh.read()).decode("ascii")
            except (FileNotFoundError, OSError):
                missing.append(name)
        return out, missing


def export_content():
    """(document, missing file names). The document is JSON-serializable."""
    exporter = _Exporter()
    articles = [
        exporter.article(c) for c in sorted(Condition.objects.editable(), key=lambda c: c.slug)
    ]
    newsletters = exporter.newsletters()
    files, missing = exporter.embedded_files()
    doc = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "tags": sorted(
            ({"name": t.name, "slug": t.slug} for t in Tag.objects.all()), key=lambda t: t["slug"]
        ),
        "drugs": sorted(
            (
                {**{f: getattr(d, f) for f in DRUG_FIELDS}, "updated_at": _time(d.updated_at)}
                for d in Drug.objects.all()
            ),
            key=lambda d: d["slug"],
        ),
        "organizations": sorted(
            (
                {
                    **{f: getattr(o, f) for f in ORGANIZATION_FIELDS},
                    "updated_at": _time(o.updated_at),
                }
                for o in Organization.objects.all()
            ),
            key=lambda o: o["name"],
        ),
        "articles": articles,
        "newsletters": newsletters,
        "files": files,
    }
    return doc, missing


def dumps(doc):
    """The document as text; the same content always gives the same bytes."""
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# Import.


class ContentImportError(Exception):
    """The document cannot be loaded; ``errors`` are "path: problem" lines."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(
            self.errors[0] if len(self.errors) == 1 else f"{len(self.errors)} problems"
        )


@dataclass
class _Checker:
    """Collects "path: problem" lines while walking the document."""

    errors: list = field(default_factory=list)
    limit: int = 200

    def add(self, path, message):
        error = f"{path}: {message}"
        if len(self.errors) < self.limit and error not in self.errors:
            self.errors.append(error)

    def typed(self, value, kind, path, *, null=False):
        if value is None and null or kind is object:
            return True
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            names = {
                dict: "an object",
                list: "a list",
                str: "a string",
                int: "a whole number",
                bool: "true or false",
            }
            self.add(path, f"expected {names.get(kind, kind.__name__)}, got {json.dumps(value)}")
        return ok

    def items(self, parent, key, path="", kind=dict):
        """The list under ``key``, each item checked to be ``kind``."""
        value = parent.get(key, [])
        if not self.typed(value, list, f"{path}.{key}" if path else key):
            return []
        good = []
        for n, item in enumerate(value):
            item_path = f"{path}.{key}[{n}]" if path else f"{key}[{n}]"
            if self.typed(item, kind, item_path):
                good.append((item_path, item))
        return good

    def model(self, instance, path, exclude=()):
        try:
            instance.full_clean(
                exclude=list(exclude), validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                where = path if name == "__all__" else f"{path}.{name}"
                for message in messages:
                    self.add(where, message)

    def time(self, entry, key, path, *, required=True):
        """Check ``entry[key]``: an ISO date and time with a time zone
        (or null, when not ``required``)."""
        path = f"{path}.{key}"
        if key not in entry:
            self.add(path, "missing")
            return None
        value = entry[key]
        if value is None:
            if required:
                self.add(path, "must not be null")
            return None
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.add(path, f"expected a date and time with a time zone, got {json.dumps(value)}")
        return parsed

    def fields(self, entry, path, names, instance_class, exclude=(), **fixed):
        """Build an unsaved ``instance_class`` from ``entry`` and validate it."""
        values = {}
        for name in names:
            if name not in entry:
                self.add(f"{path}.{name}", "missing")
                continue
            model_field = instance_class._meta.get_field(name)
            if self.typed(
                entry[name], _json_type(model_field), f"{path}.{name}", null=model_field.null
            ):
                values[name] = entry[name]
        try:
            instance = instance_class(**values, **fixed)
        except (TypeError, ValueError) as exc:
            self.add(path, str(exc))
            return None
        self.model(instance, path, exclude)
        return instance


def _json_type(model_field):
    """The JSON type a document holds for ``model_field``."""
    if isinstance(model_field, models.BooleanField):
        return bool
    if isinstance(model_field, models.IntegerField):
        return int
    if isinstance(model_field, models.JSONField):
        return object
    return str  # text, slugs, URLs, e-mail addresses, ISO dates


CONTENT_SCALARS = tuple(f for f in snapshots.CONDITION_FIELDS if f != "update_notes")


def _strings(values):
    return {v for v in values if isinstance(v, str)}


class _Validator:
    def __init__(self, doc):
        self.doc = doc
        self.check = _Checker()
        self.tag_names = set()
        self.drug_slugs = set()
        self.org_names = set()
        self.article_slugs = set()
        self.file_names = set()
        self.image_files = set()

    def run(self):
        doc, check = self.doc, self.check
        if not isinstance(doc, dict):
            check.add("(document)", "expected a JSON object")
            return check.errors
        if doc.get("format") != FORMAT_NAME:
            check.add(
                "format", f"expected {json.dumps(FORMAT_NAME)}: this is not a healthlib export"
            )
            return check.errors
        if doc.get("version") != VERSION:
            check.add(
                "version",
                f"{json.dumps(doc.get('version'))} is not supported; this healthlib reads "
                f"version {VERSION}",
            )
            return check.errors
        self.files()
        self.unique("tags", ("name", "slug"))
        for path, entry in check.items(doc, "tags"):
            check.fields(entry, path, ("name", "slug"), Tag)
        self.tag_names = {
            e["name"].casefold()
            for _, e in check.items(doc, "tags")
            if isinstance(e.get("name"), str)
        }
        self.unique("drugs", ("name", "slug"))
        self.unique("organizations", ("name",))
        for path, entry in check.items(doc, "drugs"):
            check.fields(entry, path, DRUG_FIELDS, Drug)
            check.time(entry, "updated_at", path)
        for path, entry in check.items(doc, "organizations"):
            check.fields(entry, path, ORGANIZATION_FIELDS, Organization)
            check.time(entry, "updated_at", path)
        self.drug_slugs = _strings(e.get("slug") for _, e in check.items(doc, "drugs"))
        self.org_names = _strings(e.get("name") for _, e in check.items(doc, "organizations"))
        articles = check.items(doc, "articles")
        self.article_slugs = _strings(e.get("slug") for _, e in articles)
        self.unique("articles", ("slug",))
        live_slugs = {}
        for path, entry in articles:
            self.article(path, entry)
            live = entry.get("live")
            if isinstance(live, dict) and isinstance(live.get("slug"), str):
                if live["slug"] in live_slugs:
                    check.add(
                        f"{path}.live.slug",
                        f"{json.dumps(live['slug'])} is also the address of the published "
                        f"{live_slugs[live['slug']]}",
                    )
                live_slugs.setdefault(live["slug"], path)
        for path, entry in check.items(doc, "newsletters"):
            self.newsletter(path, entry)
        # Only figure images travel in a document: nothing else lands in media.
        for name in sorted(self.file_names - self.image_files):
            check.add(f"files[{json.dumps(name)}]", "not the image of any figure")
        return check.errors

    def unique(self, key, fields_):
        seen = {f: {} for f in fields_}
        for path, entry in self.check.items(self.doc, key):
            for f in fields_:
                value = entry.get(f)
                if not isinstance(value, str):
                    continue
                folded = value.casefold() if f == "name" else value
                if folded in seen[f]:
                    self.check.add(
                        f"{path}.{f}", f"{json.dumps(value)} is used twice (also {seen[f][folded]})"
                    )
                else:
                    seen[f][folded] = path

    def files(self):
        files = self.doc.get("files", {})
        if not self.check.typed(files, dict, "files"):
            return
        for name, encoded in files.items():
            path = f"files[{json.dumps(name)}]"
            if not _SAFE_FILE_NAME.match(name):
                self.check.add(
                    path, "not a safe file name (a relative path to a .png, .jpg, .webp or .gif)"
                )
                continue
            if not self.check.typed(encoded, str, path):
                continue
            try:
                base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                self.check.add(path, "not valid base64")
                continue
            self.file_names.add(name)

    def image(self, name, path):
        if not self.check.typed(name, str, path):
            return
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
        condition = check.fields(
            data, path, CONTENT_SCALARS, Condition, exclude=("status",), is_live=True
        )
        if condition is not None and not isinstance(data.get("update_notes", []), list):
            check.add(f"{path}.update_notes", "expected a list")
        for tpath, tag in check.items(data, "tags", path, kind=str):
            if tag.casefold() not in self.tag_names:
                check.add(tpath, f"the tag {json.dumps(tag)} is not in tags")
        for cpath, code in check.items(data, "codes", path):
            check.fields(code, cpath, ("system", "code"), MedicalCode, exclude=("condition",))
        for spath, section in check.items(data, "sections", path):
            check.fields(section, spath, snapshots.SECTION_FIELDS, Section, exclude=("condition",))
        for gpath, group in check.items(data, "drug_groups", path):
            for name in ("heading", "order"):
                if name not in group:
                    check.add(f"{gpath}.{name}", "missing")
            check.typed(group.get("heading", ""), str, f"{gpath}.heading")
            check.typed(group.get("order", 0), int, f"{gpath}.order")
            if "drugs" not in group:
                check.add(f"{gpath}.drugs", "missing")
            for dpath, drug in check.items(group, "drugs", gpath):
                self.ref(drug, dpath, self.drug_slugs, "drug", required=materialized)
        for rpath, ref in check.items(data, "references", path):
            check.fields(ref, rpath, snapshots.REFERENCE_FIELDS, Reference, exclude=("condition",))
        for opath, org in check.items(data, "organizations", path):
            self.ref(org, opath, self.org_names, "organization", required=materialized)
        for rpath, related in check.items(data, "related", path):
            self.ref(related, rpath, self.article_slugs, "article", required=False)
        for fpath, figure in check.items(data, "figures", path):
            check.fields(
                figure,
                fpath,
                ("alt_text", "caption", "credit", "placement", "order"),
                Figure,
                exclude=("condition", "image"),
            )
            if "image" not in figure:
                check.add(f"{fpath}.image", "missing")
            else:
                self.image(figure["image"], f"{fpath}.image")
            for name in ("width", "height", "renditions"):
                if name not in figure:
                    check.add(f"{fpath}.{name}", "missing")
            check.typed(figure.get("width", 0), int, f"{fpath}.width")
            check.typed(figure.get("height", 0), int, f"{fpath}.height")
            for npath, rendition in check.items(figure, "renditions", fpath):
                self.image(rendition.get("name"), f"{npath}.name")
                for name in ("width", "height"):
                    check.typed(rendition.get(name), int, f"{npath}.{name}")
                check.typed(rendition.get("source", ""), str, f"{npath}.source")

    def ref(self, entry, path, known, what, *, required):
        if "ref" not in entry:
            self.check.add(f"{path}.ref", "missing")
            return
        ref = entry["ref"]
        if ref is None and not required:
            return
        if not self.check.typed(ref, str, f"{path}.ref", null=not required):
            return
        if ref not in known:
            self.check.add(f"{path}.ref", f"no {what} {json.dumps(ref)} in this document")

    def revision_index(self, value, count, path):
        if value is None:
            return
        if not self.check.typed(value, int, path):
            return
        if not 0 <= value < count:
            self.check.add(path, f"{value} is not the index of one of the {count} revisions")

    def article(self, path, entry):
        check = self.check
        self.content(path, entry, materialized=True)
        others = [f.name for f in Condition._meta.fields if f.name not in WORKFLOW_FIELDS]
        check.fields(entry, path, WORKFLOW_FIELDS, Condition, exclude=others, is_live=True)
        for name in TIME_FIELDS:
            check.time(entry, name, path, required=name in ("created_at", "updated_at"))
        replaced_by = entry.get("replaced_by")
        if not check.typed(replaced_by, str, f"{path}.replaced_by", null=True):
            pass
        elif replaced_by is not None and replaced_by not in self.article_slugs:
            check.add(
                f"{path}.replaced_by", f"no article {json.dumps(replaced_by)} in this document"
            )
        revisions = check.items(entry, "revisions", path)
        for rpath, revision in revisions:
            check.fields(
                revision, rpath, REVISION_FIELDS, Revision, exclude=("condition", "snapshot")
            )
            check.time(revision, "created_at", rpath)
            check.time(revision, "approved_go_live_at", rpath, required=False)
            for who in ("author", "approved_by"):
                check.typed(revision.get(who), str, f"{rpath}.{who}", null=True)
            if check.typed(revision.get("snapshot"), dict, f"{rpath}.snapshot"):
                self.content(f"{rpath}.snapshot", revision["snapshot"], materialized=False)
        count = len(entry.get("revisions") or [])
        for name in ("latest_revision", "live_revision"):
            self.revision_index(entry.get(name), count, f"{path}.{name}")
        live = entry.get("live")
        if live is not None and check.typed(live, dict, f"{path}.live"):
            self.content(f"{path}.live", live, materialized=True)
            others = [f.name for f in Condition._meta.fields if f.name not in WORKFLOW_FIELDS]
            check.fields(live, f"{path}.live", WORKFLOW_FIELDS, Condition, exclude=others)
            for name in TIME_FIELDS:
                check.time(
                    live, name, f"{path}.live", required=name in ("created_at", "updated_at")
                )
            for name in ("latest_revision", "live_revision"):
                self.revision_index(live.get(name), count, f"{path}.live.{name}")

    def newsletter(self, path, entry):
        check = self.check
        check.fields(entry, path, NEWSLETTER_FIELDS, Newsletter)
        check.time(entry, "created_at", path)
        for epath, edition in check.items(entry, "editions", path):
            check.fields(
                edition, epath, (*EDITION_FIELDS, "issue_date"), Edition, exclude=("newsletter",)
            )
            for name in ("sent_at", "created_at", "updated_at"):
                check.time(edition, name, epath, required=name != "sent_at")
            for spath, summary in check.items(edition, "summaries", epath):
                check.fields(
                    summary,
                    spath,
                    (*SUMMARY_FIELDS, "source_date"),
                    ResearchSummary,
                    exclude=("edition",),
                )
                for apath, slug in check.items(summary, "related_articles", spath, kind=str):
                    if slug not in self.article_slugs:
                        check.add(apath, f"no article {json.dumps(slug)} in this document")
                for tpath, tag in check.items(summary, "tags", spath, kind=str):
                    if tag.casefold() not in self.tag_names:
                        check.add(tpath, f"the tag {json.dumps(tag)} is not in tags")


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
    return {
        "articles": Condition.objects.count(),
        "drugs": Drug.objects.count(),
        "organizations": Organization.objects.count(),
        "tags": Tag.objects.count(),
        "newsletters": Newsletter.objects.count(),
    }


def validate(doc):
    """Every problem in ``doc`` as "path: problem" lines; empty when it loads."""
    return _Validator(doc).run()


def import_content(doc):
    """Load ``doc`` into an empty database, all or nothing."""
    errors = validate(doc)
    if errors:
        raise ContentImportError(errors)
    present = {k: v for k, v in database_content_counts().items() if v}
    if present:
        held = ", ".join(f"{v} {k}" for k, v in present.items())
        raise ContentImportError(
            [f"(database): it already holds content ({held}); import into an empty database"]
        )
    written = []
    try:
        with transaction.atomic():
            return _Loader(doc, written).run()
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


class _Loader:
    def __init__(self, doc, written):
        self.doc = doc
        self.written = written
        self.summary = ImportSummary()
        self.drugs = {}
        self.orgs = {}
        self.working = {}  # slug → working copy
        self.renamed = {}  # file name in the document → name in storage
        self.users = {}
        self.live_slugs = []

    def run(self):
        doc = self.doc
        Tag.objects.bulk_create(Tag(name=t["name"], slug=t["slug"]) for t in doc.get("tags", ()))
        self.summary.tags = len(doc.get("tags", ()))
        self._drugs()
        self._organizations()
        self._files()
        articles = doc.get("articles", ())
        for entry in articles:
            self._working_copy(entry)
        for entry in articles:
            self._links_and_history(entry)
        for newsletter in doc.get("newsletters", ()):
            self._newsletter(newsletter)
        for entry in articles:
            self._times(self.working[entry["slug"]], entry)
        # Rendered once everything they show (related articles too) is in.
        rendering.rerender(Condition.objects.live().filter(slug__in=self.live_slugs))
        # Every page that could have been cached while the library was empty.
        bump(
            invalidation.HOME,
            invalidation.AZ,
            invalidation.DRUGS,
            *(invalidation.article_tag(slug) for slug in self.live_slugs),
            *(invalidation.drug_tag(slug) for slug in self.drugs),
            *(invalidation.topic_tag(t["slug"]) for t in doc.get("tags", ())),
        )
        return self.summary

    def _drugs(self):
        entries = self.doc.get("drugs", ())
        drugs = Drug.objects.bulk_create(Drug(**{f: e[f] for f in DRUG_FIELDS}) for e in entries)
        for drug, entry in zip(drugs, entries, strict=True):
            drug.updated_at = parse_datetime(entry["updated_at"])
        Drug.objects.bulk_update(drugs, ["updated_at"])
        self.drugs = {d.slug: d for d in Drug.objects.all()}
        self.summary.drugs = len(drugs)

    def _organizations(self):
        entries = self.doc.get("organizations", ())
        orgs = Organization.objects.bulk_create(
            Organization(**{f: e[f] for f in ORGANIZATION_FIELDS}) for e in entries
        )
        for org, entry in zip(orgs, entries, strict=True):
            org.updated_at = parse_datetime(entry["updated_at"])
        Organization.objects.bulk_update(orgs, ["updated_at"])
        self.orgs = {o.name: o for o in Organization.objects.all()}
        self.summary.organizations = len(orgs)

    def _files(self):
        for name, encoded in sorted(self.doc.get("files", {}).items()):
            data = base64.b64decode(encoded)
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as fh:
                    if fh.read() == data:
                        self.renamed[name] = name
                        continue
            stored = default_storage.save(name, ContentFile(data))
            self.written.append(stored)
            self.renamed[name] = stored
            self.summary.files += 1

    def _content(self, data):
        """A document snapshot with natural keys turned back into ids."""
        data = copy.deepcopy(data)
        for group in data.get("drug_groups", ()):
            for drug in group.get("drugs", ()):
                found = self.drugs.get(drug.pop("ref"))
                drug["id"] = found.pk if found else None
        for org in data.get("organizations", ()):
            found = self.orgs.get(org.pop("ref"))
            org["id"] = found.pk if found else None
        for related in data.get("related", ()):
            found = self.working.get(related.pop("ref"))
            related["id"] = found.pk if found else None
        for figure in data.get("figures", ()):
            figure["image"] = self.renamed.get(figure["image"], figure["image"])
            for rendition in figure.get("renditions", ()):
                for key in ("name", "source"):
                    if key in rendition:
                        rendition[key] = self.renamed.get(rendition[key], rendition[key])
        return data

    def _snapshot_fields(self, entry):
        keep = {*snapshots.CONDITION_FIELDS, "format", "tags", "codes", "sections"}
        keep |= {"drug_groups", "references", "organizations", "figures", "related"}
        return {k: v for k, v in entry.items() if k in keep}

    def _working_copy(self, entry):
        condition = Condition(
            status=entry["status"], has_unpublished_changes=entry["has_unpublished_changes"]
        )
        for name in ("published_at", "first_published_at"):
            setattr(condition, name, parse_datetime(entry[name]) if entry.get(name) else None)
        data = self._content(self._snapshot_fields(entry))
        data["related"] = []  # once every article exists
        snapshots.materialize(data, condition)
        self.working[condition.slug] = condition
        self.summary.articles += 1

    def _user(self, username):
        if username is None:
            return None
        if username not in self.users:
            User = get_user_model()
            user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
            if user is None:
                # Revisions keep their author's name; the account cannot log in.
                user = User(**{User.USERNAME_FIELD: username}, is_active=False)
                user.set_unusable_password()
                user.save()
                self.summary.users_created.append(username)
            self.users[username] = user
        return self.users[username]

    def _links_and_history(self, entry):
        condition = self.working[entry["slug"]]
        condition.related.set(
            [self.working[r["ref"]] for r in entry.get("related", ()) if r["ref"] in self.working]
        )
        revisions = Revision.objects.bulk_create(
            Revision(
                condition=condition,
                created_at=parse_datetime(item["created_at"]),
                author=self._user(item.get("author")),
                approved_by=self._user(item.get("approved_by")),
                approved_go_live_at=parse_datetime(item["approved_go_live_at"])
                if item.get("approved_go_live_at")
                else None,
                snapshot=self._content(item["snapshot"]),
                **{f: item[f] for f in REVISION_FIELDS},
            )
            for item in entry.get("revisions", ())
        )
        self.summary.revisions += len(revisions)

        def pick(index):
            return revisions[index] if index is not None else None

        Condition.objects.filter(pk=condition.pk).update(
            replaced_by=self.working.get(entry.get("replaced_by")),
            latest_revision=pick(entry.get("latest_revision")),
            live_revision=pick(entry.get("live_revision")),
        )
        live_entry = entry.get("live")
        if live_entry is None:
            return
        live = Condition(
            is_live=True,
            source=condition,
            status=live_entry["status"],
            has_unpublished_changes=live_entry["has_unpublished_changes"],
            live_revision=pick(live_entry.get("live_revision")),
            latest_revision=pick(live_entry.get("latest_revision")),
        )
        for name in ("published_at", "first_published_at"):
            value = live_entry.get(name)
            setattr(live, name, parse_datetime(value) if value else None)
        snapshots.materialize(self._content(self._snapshot_fields(live_entry)), live)
        self.summary.published += 1
        # Whatever follows a publication (the search index) follows this one.
        hooks.live_changed(live, old_slug=None)
        self.live_slugs.append(live.slug)
        self._times(live, live_entry)

    def _times(self, condition, entry):
        Condition.objects.filter(pk=condition.pk).update(
            created_at=parse_datetime(entry["created_at"]),
            updated_at=parse_datetime(entry["updated_at"]),
        )

    def _newsletter(self, entry):
        newsletter = Newsletter.objects.create(**{f: entry[f] for f in NEWSLETTER_FIELDS})
        Newsletter.objects.filter(pk=newsletter.pk).update(
            created_at=parse_datetime(entry["created_at"])
        )
        for item in entry.get("editions", ()):
            edition = Edition.objects.create(
                newsletter=newsletter,
                issue_date=item["issue_date"],
                sent_at=parse_datetime(item["sent_at"]) if item.get("sent_at") else None,
                **{f: item[f] for f in EDITION_FIELDS},
            )
            self.summary.editions += 1
            for summary_entry in item.get("summaries", ()):
                summary = ResearchSummary(
                    edition=edition,
                    source_date=summary_entry.get("source_date"),
                    **{f: summary_entry[f] for f in SUMMARY_FIELDS},
                )
                summary.save()
                summary.related_articles.set(
                    [self.working[s] for s in summary_entry.get("related_articles", ())]
                )
                summary.tags.set(summary_entry.get("tags", []))
                self.summary.summaries += 1
            Edition.objects.filter(pk=edition.pk).update(
                created_at=parse_datetime(item["created_at"]),
                updated_at=parse_datetime(item["updated_at"]),
            )
