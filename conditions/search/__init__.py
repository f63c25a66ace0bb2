"""Full-text search over everything readers read.

Live articles, and the documents of registered sources (``sources``): the
library's drugs and topics (``library``) and whatever the project adds,
such as the newsletter's research summaries. One interface, two backends
chosen by the database in use (see ``backends``): SQLite FTS5 with the
porter tokenizer, or PostgreSQL's full-text search. Articles are indexed
by ``conditions.search.indexing``, a receiver of the live-change event, inside
the publishing transaction, so the index always agrees with what readers can see.

    results = search("muscle twitching")   # Paginator-friendly, lazy
    results.count(); results[0:10]          # -> [Hit(kind, url, title, snippet, …)]
    results.counts_by_kind()                # {"article": 12, "drug": 1, …}
    search("clonazepam", kind="drug")       # one kind only
    search("mioclonía", language="es")      # Spanish documents only

Each document has a language (``SearchDocument.language``): an article's,
or English for the other kinds unless their source says otherwise. A
search looks at one language's documents, read the way
``settings.SEARCH_LANGUAGES`` says (``languages``): English as shown,
other languages through an accent-folded, stemmed copy.
"""

from django.db import transaction
from django.db.models import Q

from conditions.models import SearchDocument
from conditions.search import query as query_parser
from conditions.search.backends import backend
from conditions.search.documents import build_documents, document_fields, live_conditions
from conditions.search.sources import labels, registered, sync
from conditions.search.suggestions import did_you_mean as suggest
from conditions.search.suggestions import invalidate


class SearchResults:
    """The matches of one query, best first. Sliced by the paginator: each
    slice is one database round trip, and the count is asked only once."""

    def __init__(self, parsed, kind=None, language=None):
        self.parsed = parsed
        self.kind = kind
        self._backend = backend(language)
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self._backend.count(self.parsed, self.kind) if self.parsed else 0
        return self._count

    def counts_by_kind(self):
        """{kind: matches} over every kind, whatever ``kind`` this is limited
        to. Articles are most of the index, so they are counted as the rest:
        every match less the few drugs, topics and summaries."""
        if not self.parsed:
            return {}
        total = self.count() if self.kind is None else self._backend.count(self.parsed)
        others = [k for k in labels() if k != SearchDocument.Kind.ARTICLE]
        counts = self._backend.counts_of(self.parsed, others)
        counts[SearchDocument.Kind.ARTICLE] = total - sum(counts.values())
        return {k: n for k, n in counts.items() if n}

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
        return self._backend.page(self.parsed, start, stop - start, self.count(), self.kind)


def search(text, kind=None, language=None):
    """What readers can see matching ``text`` (anything a reader typed),
    of one ``kind`` or (None) of every kind, in ``language`` (English when
    None)."""
    return SearchResults(
        query_parser.parse(text, language), kind if kind in labels() else None, language=language
    )


def did_you_mean(text, language=None):
    return suggest(text, language)


def index(live):
    """(Re)write the index entry of a live copy, in its language."""
    doc, _ = SearchDocument.objects.update_or_create(condition=live, defaults=document_fields(live))
    backend().after_write([doc.pk], [doc.language])
    invalidate()
    return doc


def remove(condition):
    """Drop the index entry of ``condition``'s live copy (given either)."""
    SearchDocument.objects.filter(
        Q(condition=condition.pk) | Q(condition__source=condition.pk)
    ).delete()
    invalidate()


def rebuild(batch_size=500):
    """Index every live article and every source's documents from scratch;
    returns how many rows."""
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
        for kind in registered():
            total += len(sync(kind))
        invalidate()
    engine.optimize()
    return total
