"""Load the health library's part of a checked document into an empty
database (inside healthlib's transaction: all or nothing)."""

import base64
import copy

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.dateparse import parse_datetime
from taggit.models import Tag

from conditions.models import Condition, Drug, Organization, Revision, TopicName
from conditions.pages.translations import SOURCE_LANGUAGE
from conditions.portability.export import DRUG_FIELDS, ORGANIZATION_FIELDS, REVISION_FIELDS
from conditions.publishing import live as live_copy
from conditions.publishing import snapshots
from conditions.review import content_checks as checks


def _key(entry):
    """An article's natural key: its slug is unique in its language."""
    return (entry.get("language", SOURCE_LANGUAGE), entry["slug"])


def _time(value):
    return parse_datetime(value) if value else None


def _sources_first(articles):
    # A translation points at its English article, which must exist first.
    return sorted(articles, key=lambda e: e.get("language", SOURCE_LANGUAGE) != SOURCE_LANGUAGE)


def load(doc, summary, written):
    """Write tags, drugs, organizations, files and articles; ``written``
    collects the stored file names (deleted again if anything fails)."""
    loader = _Loader(doc, summary, written)
    loader.run()
    return loader


def finish(doc, loader):
    """After every part is loaded: the articles' own times (loading the
    other parts touches them), their content checks (which need every
    article in place to judge links), and the live-change event."""
    for entry in doc.get("articles") or ():
        loader.times(loader.working[_key(entry)], entry)
    for condition in Condition.objects.editable(language=None).select_related("latest_revision"):
        if condition.latest_revision is not None:
            found = checks.to_store(condition.latest_revision.snapshot)
            Condition.objects.filter(pk=condition.pk).update(check_problems=found)
    live_copy.loaded(loader.lives)


class _Loader:
    def __init__(self, doc, summary, written):
        self.doc = doc
        self.written = written
        self.summary = summary
        self.drugs = {}
        self.orgs = {}
        self.working = {}  # (language, slug) → working copy
        self.revisions = {}  # (language, slug) → its revisions, in the document's order
        self.renamed = {}  # file name in the document → name in storage
        self.users = {}
        self.lives = []

    def run(self):
        doc = self.doc
        tags = doc.get("tags") or ()
        created = Tag.objects.bulk_create(Tag(name=t["name"], slug=t["slug"]) for t in tags)
        by_slug = {t.slug: t for t in Tag.objects.filter(slug__in=[t.slug for t in created])}
        TopicName.objects.bulk_create(
            TopicName(tag=by_slug[t["slug"]], language=language, name=name)
            for t in tags
            for language, name in sorted((t.get("names") or {}).items())
        )
        self.summary.tags = len(tags)
        self._drugs()
        self._organizations()
        self._files()
        articles = _sources_first(doc.get("articles") or ())
        for entry in articles:
            self._working_copy(entry)
        for entry in articles:
            self._links_and_history(entry)

    def _drugs(self):
        entries = self.doc.get("drugs") or ()
        drugs = Drug.objects.bulk_create(
            Drug(**{f: e.get(f, "") for f in DRUG_FIELDS}, names=e.get("names") or {})
            for e in entries
        )
        for drug, entry in zip(drugs, entries, strict=True):
            drug.updated_at = parse_datetime(entry["updated_at"])
        Drug.objects.bulk_update(drugs, ["updated_at"])
        self.drugs = {d.slug: d for d in Drug.objects.all()}
        self.summary.drugs = len(drugs)

    def _organizations(self):
        entries = self.doc.get("organizations") or ()
        orgs = Organization.objects.bulk_create(
            Organization(**{f: e[f] for f in ORGANIZATION_FIELDS}, names=e.get("names") or {})
            for e in entries
        )
        for org, entry in zip(orgs, entries, strict=True):
            org.updated_at = parse_datetime(entry["updated_at"])
        Organization.objects.bulk_update(orgs, ["updated_at"])
        self.orgs = {o.name: o for o in Organization.objects.all()}
        self.summary.organizations = len(orgs)

    def _files(self):
        for name, encoded in sorted((self.doc.get("files") or {}).items()):
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

    def _content(self, data, language):
        """A document snapshot with natural keys turned back into ids (an
        article's related articles are in its language)."""
        data = copy.deepcopy(data)
        for group in data.get("drug_groups", ()):
            for drug in group.get("drugs", ()):
                found = self.drugs.get(drug.pop("ref"))
                drug["id"] = found.pk if found else None
        for org in data.get("organizations", ()):
            found = self.orgs.get(org.pop("ref"))
            org["id"] = found.pk if found else None
        for related in data.get("related", ()):
            found = self.working.get((language, related.pop("ref")))
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

    def _language(self, entry, condition):
        condition.language = entry.get("language", SOURCE_LANGUAGE)
        source = entry.get("translation_of")
        condition.translation_of = self.working[(SOURCE_LANGUAGE, source)] if source else None
        condition.source_updated_at = _time(entry.get("source_updated_at"))

    def _working_copy(self, entry):
        condition = Condition(
            status=entry["status"], has_unpublished_changes=entry["has_unpublished_changes"]
        )
        self._language(entry, condition)
        for name in ("published_at", "first_published_at"):
            setattr(condition, name, parse_datetime(entry[name]) if entry.get(name) else None)
        data = self._content(self._snapshot_fields(entry), condition.language)
        data["related"] = []  # once every article exists
        snapshots.materialize(data, condition)
        self.working[_key(entry)] = condition
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

    def _translated_from(self, entry, item):
        """The source revision ``item`` (a working or live copy) was translated from."""
        index = item.get("translated_from")
        if index is None or not entry.get("translation_of"):
            return None
        return self.revisions[(SOURCE_LANGUAGE, entry["translation_of"])][index]

    def _links_and_history(self, entry):
        language, _ = key = _key(entry)
        condition = self.working[key]
        condition.related.set(
            [
                self.working[(language, r["ref"])]
                for r in entry.get("related", ())
                if (language, r["ref"]) in self.working
            ]
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
                snapshot=self._content(item["snapshot"], language),
                **{f: item[f] for f in REVISION_FIELDS},
            )
            for item in entry.get("revisions", ())
        )
        self.summary.revisions += len(revisions)
        self.revisions[key] = revisions

        def pick(index):
            return revisions[index] if index is not None else None

        Condition.objects.filter(pk=condition.pk).update(
            replaced_by=self.working.get((language, entry.get("replaced_by"))),
            latest_revision=pick(entry.get("latest_revision")),
            live_revision=pick(entry.get("live_revision")),
            translated_from=self._translated_from(entry, entry),
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
            translated_from=self._translated_from(entry, live_entry),
        )
        self._language(entry, live)
        live.source_updated_at = _time(live_entry.get("source_updated_at"))
        for name in ("published_at", "first_published_at"):
            value = live_entry.get(name)
            setattr(live, name, parse_datetime(value) if value else None)
        snapshots.materialize(self._content(self._snapshot_fields(live_entry), language), live)
        self.summary.published += 1
        self.lives.append(live)
        self.times(live, live_entry)

    def times(self, condition, entry):
        Condition.objects.filter(pk=condition.pk).update(
            created_at=parse_datetime(entry["created_at"]),
            updated_at=parse_datetime(entry["updated_at"]),
        )
