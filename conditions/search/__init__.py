"""Full-text search over the live articles.

One interface, two backends chosen by the database in use (see
``backends``): SQLite FTS5 with the porter tokenizer, or PostgreSQL's
full-text search. The index is written by ``conditions.live`` inside the
publishing transaction, so it always agrees with what readers can see.

    results = search("muscle twitching")   # Paginator-friendly, lazy
    results.count(); results[0:10]          # -> [Hit(slug, title, snippet, …)]
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Q

from ..models import SearchDocument
from . import query as query_parser
from .backends import PostgresBackend, SqliteBackend
from .documents import build_documents, document_fields, live_conditions
from .suggestions import did_you_mean as suggest
from .suggestions import invalidate


def backend():
    if connection.vendor == "sqlite":
        return SqliteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    raise ImproperlyConfigured(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.")


class SearchResults:
    """The matches of one query, best first. Sliced by the paginator: each
    slice is one database round trip, and the count is asked only once."""

    def __init__(self, parsed):
        self.parsed = parsed
        self._backend = backend()
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self._backend.count(self.parsed) if self.parsed else 0
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            hits = self[item : item + 1]
            if not hits:
                raise IndexError(item)
            return hits[0]
        start = item.start or 0
        stop = item.stop if item.stop is not None else self.count()
        if not self.parsed or stop <= start:
            return []
        return self._backend.page(self.parsed, start, stop - start, self.count())


def search(text):
    """Live articles matching ``text`` (anything a reader typed)."""
    return SearchResults(query_parser.parse(text))


def did_you_mean(text):
    return suggest(text)


def index(live):
    """(Re)write the index entry of a live copy."""
    doc, _ = SearchDocument.objects.update_or_create(condition=live, defaults=document_fields(live))
    backend().after_write([doc.pk])
    invalidate()
    return doc


def remove(condition):
    """Drop the index entry of ``condition``'s live copy (given either)."""
    SearchDocument.objects.filter(
        Q(condition=condition.pk) | Q(condition__source=condition.pk)
    ).delete()
    invalidate()


def rebuild(batch_size=500):
    """Index every live article from scratch; returns how many."""
    engine = backend()
    total = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        batch = []
        for condition in live_conditions().order_by("pk").iterator(chunk_size=batch_size):
            batch.append(condition)
            if len(batch) == batch_size:
                total += len(SearchDocument.objects.bulk_create(build_documents(batch)))
                batch = []
        if batch:
            total += len(SearchDocument.objects.bulk_create(build_documents(batch)))
        engine.after_write()
        invalidate()
    engine.optimize()
    return total
