"""Documents other than articles in the search index, and where they come from.

A *source* gives the index the documents of one kind (drugs, topics,
research summaries…): ``register(kind, label, documents)`` where
``documents(ids)`` returns a ``Document`` for each of ``ids`` that readers
can currently see (all of them when ``ids`` is None). The search code calls
the sources; it never imports the apps that own them, so an app such as the
newsletter contributes its documents by being registered by the project
(``healthlib.search_sources``), and tells the index about changes by calling
``sync(kind, ids)``.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import SearchDocument
from .documents import plain


@dataclass(frozen=True)
class Document:
    object_id: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    alternate_names: str = ""
    slug: str = ""

    def fields(self):
        return {
            "title": plain(self.title)[:200],
            "alternate_names": plain(self.alternate_names),
            "summary": plain(self.summary),
            "body": plain(self.body),
            "drugs": "",
            "slug": self.slug[:200],
            "url": self.url[:500],
        }


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
    from . import backend

    source = _sources.get(kind)
    if source is None:
        return []
    keys = None if ids is None else {str(i) for i in ids}
    if keys is not None and not keys:
        return []
    with transaction.atomic():
        docs = {d.object_id: d for d in source.documents(None if keys is None else list(keys))}
        stale = SearchDocument.objects.filter(kind=kind)
        if keys is not None:
            stale = stale.filter(object_id__in=keys)
        stale.exclude(object_id__in=docs.keys()).delete()
        existing = dict(
            SearchDocument.objects.filter(kind=kind, object_id__in=docs.keys()).values_list(
                "object_id", "pk"
            )
        )
        written, new = [], []
        for object_id, doc in docs.items():
            if object_id in existing:
                SearchDocument.objects.filter(pk=existing[object_id]).update(**doc.fields())
                written.append(existing[object_id])
            else:
                new.append(SearchDocument(kind=kind, object_id=object_id, **doc.fields()))
        written += [d.pk for d in SearchDocument.objects.bulk_create(new)]
        if written:
            backend().after_write(written)
    return written
