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
    in_other_languages("mioclonía", "en")   # [("es", [Hit(…Mioclonía…)])]

Each document has a language (``SearchDocument.language``): an article's,
or English for the other kinds unless their source says otherwise. A
search looks at one language's documents, read the way
``settings.SEARCH_LANGUAGES`` says (``languages``): English as shown,
other languages through an accent-folded, stemmed copy.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from conditions.models import SearchDocument
from conditions.search import backends
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


# Matches offered from each other language when a search finds nothing.
OTHER_LANGUAGE_HITS = 3


def in_other_languages(text, language, limit=OTHER_LANGUAGE_HITS):
    """For a search in ``language`` that found nothing (a Spanish word on the
    English site): ``[(code, hits)]`` for each other language of the site
    whose documents match ``text`` as that language reads it, in the order
    of ``settings.LANGUAGES``, with its best ``limit`` hits. Ranked on the
    small head index (title, alternate names, summary, drugs) however many
    match, so each language costs the same few queries."""
    found = []
    for code, _ in settings.LANGUAGES:
        if code == language or code not in settings.SEARCH_LANGUAGES:
            continue
        parsed = query_parser.parse(text, code)
        if not parsed:
            continue
        hits = backend(code).page(parsed, 0, limit, count=backends.FULL_RANK_LIMIT + 1)
        if hits:
            found.append((code, hits))
    return found


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
