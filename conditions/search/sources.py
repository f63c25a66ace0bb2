"""Documents other than articles in the search index, and where they come from.

A *source* gives the index the documents of one kind (drugs, topics,
research summaries…): ``register(kind, label, documents)`` where
``documents(ids)`` returns a ``Document`` for each of ``ids`` that readers
can currently see (all of them when ``ids`` is None). The search code calls
the sources; it never imports the apps that own them, so an app such as the
newsletter contributes its documents by being registered by the project
(``healthlib.search_sources``), and tells the index about changes by calling
``sync(kind, ids)``.

A document is in English unless its source says otherwise: a source may
give, for one object, a document per language (``Document.language``),
each found only by searches in its language.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conditions.models import SearchDocument
from conditions.search.backends import backend
from conditions.search.documents import plain
from conditions.search.languages import index_fields


@dataclass(frozen=True)
class Document:
    object_id: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    alternate_names: str = ""
    slug: str = ""
    language: str = settings.LANGUAGE_CODE

    def fields(self):
        fields = {
            "title": plain(self.title)[:200],
            "alternate_names": plain(self.alternate_names),
            "summary": plain(self.summary),
            "body": plain(self.body),
            "drugs": "",
            "slug": self.slug[:200],
            "url": self.url[:500],
            "language": self.language,
        }
        return fields | index_fields(self.language, fields, connection.vendor)


@dataclass(frozen=True)
class Source:
    kind: str
    label: str  # plural, for readers, lazily translated: _("Research summaries")
    documents: object  # callable(ids or None) -> iterable of Document


_sources = {}


def register(kind, label, documents):
    """Make ``documents`` the source of ``kind``; registering again replaces it."""
    _sources[kind] = Source(kind=kind, label=label, documents=documents)


def registered():
    return dict(_sources)


def labels():
    """{kind: label} of articles and every registered source, in search order."""
    return {SearchDocument.Kind.ARTICLE: _("Articles")} | {k: s.label for k, s in _sources.items()}


def sync(kind, ids=None):
    """Rewrite the index rows of ``kind`` for ``ids`` (every one when None):
    rows of objects readers can no longer see go, the others are rewritten.
    Returns the ids of the rows written."""
    source = _sources.get(kind)
    if source is None:
        return []
    keys = None if ids is None else {str(i) for i in ids}
    if keys is not None and not keys:
        return []
    # Addresses are reversed in the source language, whatever language the
    # request that changed the object was in (an editor's admin in Spanish
    # must not give English documents /es/ addresses); a source giving
    # documents in another language reverses those in it.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        docs = {
            (d.language, d.object_id): d
            for d in source.documents(None if keys is None else list(keys))
        }
        rows = SearchDocument.objects.filter(kind=kind)
        if keys is not None:
            rows = rows.filter(object_id__in=keys)
        existing = {}
        stale = []
        for pk, language, object_id in rows.values_list("pk", "language", "object_id"):
            if (language, object_id) in docs:
                existing[language, object_id] = pk
            else:
                stale.append(pk)
        if stale:
            SearchDocument.objects.filter(pk__in=stale).delete()
        written, new = [], []
        for key, doc in docs.items():
            if key in existing:
                SearchDocument.objects.filter(pk=existing[key]).update(**doc.fields())
                written.append(existing[key])
            else:
                new.append(SearchDocument(kind=kind, object_id=doc.object_id, **doc.fields()))
        written += [d.pk for d in SearchDocument.objects.bulk_create(new)]
        if written:
            backend().after_write(written, {d.language for d in docs.values()})
    return written
