"""Export the health library's part of the content document.

No primary key is exported: records refer to each other by natural keys
(a drug's slug, an organization's name, an article's language and slug), so
the document loads into any empty database, and exporting it again gives
the same bytes.

Version 2 adds languages: each article says its ``language``; a
translation names the English article it translates (``translation_of``,
its slug), the index of the English revision it was made from among that
article's ``revisions`` (``translated_from``) and ``source_updated_at``;
drugs and organizations carry their translated ``names`` and tags their
``names`` ({language: name}). References between articles (related,
replaced_by) name articles of the same language.
"""

import base64
import copy
import datetime

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from taggit.models import Tag

from conditions.models import Condition, Drug, Organization, TopicName
from conditions.pages.translations import SOURCE_LANGUAGE
from conditions.publishing import snapshots

WORKFLOW_FIELDS = ("status", "has_unpublished_changes")
TIME_FIELDS = ("created_at", "updated_at", "published_at", "first_published_at")
REVISION_FIELDS = ("comment", "status_before", "status_after", "update_note")
# A drug's name and address, and everything a reviewer approves of it.
DRUG_FIELDS = ("name", "slug", *Drug.REVIEWED_FIELDS)
# Added after the format was first published: an older export lacks them,
# and they load empty.
DRUG_FIELDS_ADDED = (
    "uses",
    "usual_use",
    "side_effects",
    "serious_side_effects",
    "label_url",
    "medlineplus_url",
)
ORGANIZATION_FIELDS = ("name", "url", "region")


def time(value):
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat()


class _Exporter:
    def __init__(self):
        self.drug_slugs = dict(Drug.objects.values_list("pk", "slug"))
        self.org_names = dict(Organization.objects.values_list("pk", "name"))
        # Every language's: a translation's related articles are translations.
        self.article_slugs = dict(
            Condition.objects.editable(language=None).values_list("pk", "slug")
        )
        # Each article's revisions in order, for a translation's translated_from.
        self.revision_index = {}
        for condition_id, pk in (
            Condition.objects.editable(language=None)
            .values_list("pk", "revisions__pk")
            .order_by("pk", "revisions__created_at", "revisions__pk")
        ):
            if pk is not None:
                numbered = self.revision_index.setdefault(condition_id, {})
                numbered[pk] = len(numbered)
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
            **{f: time(getattr(condition, f)) for f in TIME_FIELDS},
            **self.language_fields(condition),
            "replaced_by": self.article_slugs.get(condition.replaced_by_id),
            "latest_revision": index.get(condition.latest_revision_id),
            "live_revision": index.get(condition.live_revision_id),
            "revisions": [
                {
                    **{f: getattr(r, f) for f in REVISION_FIELDS},
                    "created_at": time(r.created_at),
                    "approved_go_live_at": time(r.approved_go_live_at),
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
                **{f: time(getattr(live, f)) for f in TIME_FIELDS},
                "live_revision": index.get(live.live_revision_id),
                "latest_revision": index.get(live.latest_revision_id),
                "translated_from": self.translated_from(live),
                "source_updated_at": time(live.source_updated_at),
            }
        return entry

    def translated_from(self, condition):
        """The index of the source revision among the source's revisions."""
        if condition.translated_from_id is None:
            return None
        numbered = self.revision_index.get(condition.translation_of_id, {})
        return numbered.get(condition.translated_from_id)

    def language_fields(self, condition):
        return {
            "language": condition.language,
            "translation_of": self.article_slugs.get(condition.translation_of_id),
            "translated_from": self.translated_from(condition),
            "source_updated_at": time(condition.source_updated_at),
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


def export_part():
    """(this app's keys of the document, names of files missing from storage)."""
    exporter = _Exporter()
    # English first (translations name them), then each language, by slug.
    articles = [
        exporter.article(c)
        for c in sorted(
            Condition.objects.editable(language=None),
            key=lambda c: (c.language != SOURCE_LANGUAGE, c.language, c.slug),
        )
    ]
    topic_names = {}
    for tag_id, language, name in TopicName.objects.values_list("tag_id", "language", "name"):
        topic_names.setdefault(tag_id, {})[language] = name
    files, missing = exporter.embedded_files()
    part = {
        "tags": sorted(
            (
                {"name": t.name, "slug": t.slug, "names": topic_names.get(t.pk, {})}
                for t in Tag.objects.all()
            ),
            key=lambda t: t["slug"],
        ),
        "drugs": sorted(
            (
                {
                    **{f: getattr(d, f) for f in DRUG_FIELDS},
                    "names": d.names,
                    "updated_at": time(d.updated_at),
                }
                for d in Drug.objects.all()
            ),
            key=lambda d: d["slug"],
        ),
        "organizations": sorted(
            (
                {
                    **{f: getattr(o, f) for f in ORGANIZATION_FIELDS},
                    "names": o.names,
                    "updated_at": time(o.updated_at),
                }
                for o in Organization.objects.all()
            ),
            key=lambda o: o["name"],
        ),
        "articles": articles,
        "files": files,
    }
    return part, missing


def counts():
    """What this app's content the database holds (import needs zeros)."""
    return {
        # Working copies: a live copy never exists without its own.
        "articles": Condition.objects.editable(language=None).count(),
        "drugs": Drug.objects.count(),
        "organizations": Organization.objects.count(),
        "tags": Tag.objects.count(),
    }


LANGUAGE_KEYS = ("language", "translation_of", "translated_from", "source_updated_at")


def upgrade_from_v1(doc):
    """This part of a version 1 document as version 2: every article English
    and no translation, no translated names (keys version 1 did not have,
    which it ignored, are dropped)."""
    doc = dict(doc)
    for key in ("tags", "drugs", "organizations"):
        if isinstance(doc.get(key), list):
            doc[key] = [
                {k: v for k, v in e.items() if k != "names"} if isinstance(e, dict) else e
                for e in doc[key]
            ]
    if isinstance(doc.get("articles"), list):
        doc["articles"] = [_english(e) for e in doc["articles"]]
    return doc


def _english(entry):
    if not isinstance(entry, dict):
        return entry
    entry = {k: v for k, v in entry.items() if k not in LANGUAGE_KEYS}
    entry["language"] = SOURCE_LANGUAGE
    if isinstance(entry.get("live"), dict):
        entry["live"] = {k: v for k, v in entry["live"].items() if k not in LANGUAGE_KEYS}
    return entry
