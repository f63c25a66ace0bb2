"""The two search backends behind ``conditions.search``: SQLite FTS5 and
PostgreSQL full-text search. Both answer the same questions for a parsed
query, over every kind of document or one: how many match (in all and by
kind), which ones are on a page (best first: a match in the title or an
alternate name, then by relevance), and their highlighted snippets.
``backend()`` gives the one for the database in use and a language."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conditions.models import SearchDocument
from conditions.search import highlight, languages

# Beyond this many matches, ranking reads only the small "head" index
# (title, alternate names, summary, drugs): reading every matching body to
# rank a word most articles use costs more than it tells.
FULL_RANK_LIMIT = 1000


@dataclass
class Hit:
    slug: str
    title: str  # safe HTML with <mark>
    snippet: str  # safe HTML with <mark>
    also_called: str  # safe HTML; empty unless an alternate name matched
    kind: str = SearchDocument.Kind.ARTICLE
    url: str = ""
    lists: str = ""  # safe HTML: the drugs it lists that matched
    language: str = settings.LANGUAGE_CODE

    def get_absolute_url(self):
        if self.kind == SearchDocument.Kind.ARTICLE:
            # The article's address in its own language (/es/conditions/…).
            with translation.override(self.language):
                return reverse("conditions:detail", args=[self.slug])
        return self.url

    @property
    def kind_label(self):
        return _KIND_NAMES.get(self.kind, "")


# One of each kind, for the label on a result.
_KIND_NAMES = {
    SearchDocument.Kind.ARTICLE: _("Article"),
    SearchDocument.Kind.DRUG: _("Drug"),
    SearchDocument.Kind.TOPIC: _("Topic"),
    SearchDocument.Kind.RESEARCH: _("Research summary"),
}


def _hit(kind, url, slug, title, alternate_names, summary, body, drugs="", language=None):
    if highlight.has_mark(body) or not summary:
        # Readers see the words they searched for first, not the section
        # heading or the sentence before them.
        snippet = highlight.from_first_mark(body)
    else:
        snippet = highlight.from_first_mark(summary)
    also = ""
    if highlight.has_mark(alternate_names):
        names = [n for n in alternate_names.splitlines() if n.strip()]
        also = highlight.to_html(", ".join(names))
    # An article found by a drug it lists says so (its text may not name it).
    lists = ""
    if highlight.has_mark(drugs):
        lists = highlight.to_html(", ".join(n for n in drugs.splitlines() if highlight.has_mark(n)))
    return Hit(
        slug=slug,
        title=highlight.to_html(title),
        snippet=highlight.to_html(snippet),
        also_called=also,
        kind=kind,
        url=url,
        lists=lists,
        language=language or settings.LANGUAGE_CODE,
    )


def _marked_hits(language, parsed, rows):
    """Hits of a language searched through its folded, stemmed copy
    (``languages``): ``rows`` of (pk, kind, url, slug, title,
    alternate_names, summary, body, drugs) in the original text, the words
    matching the query marked here."""
    keys = frozenset(k for term in parsed.terms for k in language.keys(term.text))

    def whole(text):
        return highlight.mark(text, keys, language)

    hits = {}
    for pk, kind, url, slug, title, alternate_names, summary, body, drugs in rows:
        hits[pk] = _hit(
            kind,
            url,
            slug,
            whole(title),
            whole(alternate_names),
            whole(summary),
            highlight.marked_snippet(body, keys, language, SqliteBackend.snippet_tokens),
            whole(drugs),
            language.code,
        )
    return hits


_ORIGINAL_TEXT = (
    "pk",
    "kind",
    "url",
    "slug",
    "title",
    "alternate_names",
    "summary",
    "body",
    "drugs",
)


class SqliteBackend:
    """FTS5 (porter tokenizer) over ``conditions_search_fts``, ranked by
    ``bm25()`` with column weights."""

    table = "conditions_search_fts"
    head_table = "conditions_search_head_fts"
    # title, alternate_names, summary, body, drugs (the FTS5 column order)
    weights = (10.0, 10.0, 4.0, 1.0, 2.0)
    head_weights = (10.0, 10.0, 4.0, 2.0)  # the same without the body
    # Enough that, cut to start at the first match, a snippet still reads.
    snippet_tokens = 36

    # The columns whose match puts a result in the first tier.
    title_columns = "{title alternate_names}"
    language = languages.get(settings.LANGUAGE_CODE)

    def terms(self, parsed):
        # Every term a quoted string (only word characters inside), so the
        # reader's text is never FTS5 syntax.
        return [f'"{term.text}"' for term in parsed.terms]

    def restrict(self, expression):
        """``expression`` limited to this backend's language (the table
        holds no other)."""
        return expression

    def match(self, parsed):
        # Juxtaposed strings all must match.
        return self.restrict(" ".join(self.terms(parsed)))

    def _of_kind(self, kind):
        """A WHERE clause limiting matches to ``kind`` (a bound parameter)."""
        if kind is None:
            return "", []
        return (
            f" AND {self.table}.rowid IN "  # noqa: S608
            "(SELECT id FROM conditions_searchdocument WHERE kind = %s)",
            [kind],
        )

    def count(self, parsed, kind=None):
        where, params = self._of_kind(kind)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {self.table} WHERE {self.table} MATCH %s{where}",  # noqa: S608
                [self.match(parsed), *params],
            )
            return cursor.fetchone()[0]

    def counts_of(self, parsed, kinds):
        """{kind: matches} for ``kinds``, which are not articles: a few
        hundred rows, found by the index on ``kind``, each asked whether it
        matches (a seek in FTS5's doclists). Going the other way, from every
        match of a common word to its row's kind, reads each matching
        article's row, long body and all: 80 ms on 10,000 articles, not 5."""
        if not kinds:
            return {}
        t = self.table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.kind, count(*) FROM conditions_searchdocument d "  # noqa: S608
                f"WHERE d.kind IN ({', '.join(['%s'] * len(kinds))}) AND EXISTS ("
                f"SELECT 1 FROM {t} f WHERE f.rowid = d.id AND {t} MATCH %s) GROUP BY d.kind",
                [*kinds, self.match(parsed)],
            )
            return dict(cursor.fetchall())

    def page(self, parsed, offset, limit, count, kind=None):
        t, h = self.table, self.head_table
        match = self.match(parsed)
        where, kind_params = self._of_kind(kind)
        tier = f"{t}.rowid IN (SELECT rowid FROM {t} WHERE {t} MATCH %s) DESC"  # noqa: S608
        in_titles = f"{self.title_columns} : ({' '.join(self.terms(parsed))})"
        with connection.cursor() as cursor:
            if count <= FULL_RANK_LIMIT:
                bm25 = f"bm25({t}, {', '.join(str(w) for w in self.weights)})"
                cursor.execute(
                    f"SELECT rowid FROM {t} WHERE {t} MATCH %s{where} "  # noqa: S608
                    f"ORDER BY {tier}, {bm25}, rowid LIMIT %s OFFSET %s",
                    [match, *kind_params, in_titles, limit, offset],
                )
            else:
                head_bm25 = f"bm25({h}, {', '.join(str(w) for w in self.head_weights)})"
                cursor.execute(
                    f"SELECT {t}.rowid FROM {t} LEFT JOIN ("  # noqa: S608
                    f"SELECT rowid AS id, {head_bm25} AS score FROM {h} WHERE {h} MATCH %s"
                    f") head ON head.id = {t}.rowid WHERE {t} MATCH %s{where} "
                    f"ORDER BY {tier}, coalesce(head.score, 0), {t}.rowid LIMIT %s OFFSET %s",
                    [
                        self.restrict(" OR ".join(self.terms(parsed))),
                        match,
                        *kind_params,
                        in_titles,
                        limit,
                        offset,
                    ],
                )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return []
            rows = self._hits(cursor, parsed, match, ids)
        return [rows[pk] for pk in ids if pk in rows]

    def _hits(self, cursor, parsed, match, ids):
        """{rowid: Hit} of ``ids``, highlighted by FTS5."""
        t = self.table
        s, e = highlight.START, highlight.STOP
        cursor.execute(
            f"SELECT {t}.rowid, d.kind, d.url, d.slug, highlight({t}, 0, %s, %s), "  # noqa: S608
            f"highlight({t}, 1, %s, %s), highlight({t}, 2, %s, %s), "
            f"snippet({t}, 3, %s, %s, '…', {self.snippet_tokens}), "
            f"highlight({t}, 4, %s, %s) "
            f"FROM {t} JOIN conditions_searchdocument d ON d.id = {t}.rowid "
            f"WHERE {t} MATCH %s AND {t}.rowid IN ({', '.join(['%s'] * len(ids))})",
            [s, e, s, e, s, e, s, e, s, e, match, *ids],
        )
        return {row[0]: _hit(*row[1:]) for row in cursor.fetchall()}

    def after_write(self, doc_ids=None, language_codes=None):
        """Triggers keep FTS5 in step with ``SearchDocument``: nothing to do."""

    def optimize(self):
        with connection.cursor() as cursor:
            for table in (self.table, self.head_table):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608


class SqliteStemmedBackend(SqliteBackend):
    """A language other than English on SQLite: FTS5 tables with no stemmer
    of their own over the ``index_*`` columns, which hold each word's
    Snowball stem with its accents folded (``languages``); the query's words
    are stemmed the same way. Every such language shares the tables; a
    ``language`` column keeps them apart. The matched words are marked in
    the original text in Python."""

    table = "conditions_search_stemmed_fts"
    head_table = "conditions_search_stemmed_head_fts"
    title_columns = "{index_title index_alternate_names}"
    # language, then title, alternate_names, summary, body, drugs
    weights = (0.0, *SqliteBackend.weights)
    head_weights = (0.0, *SqliteBackend.head_weights)

    def __init__(self, language):
        self.language = language

    def terms(self, parsed):
        # Stems are letters and digits only: never FTS5 syntax. A term with
        # no word left is kept as an empty phrase, which matches nothing.
        return [f'"{self.language.query_text(term.text, "sqlite")}"' for term in parsed.terms]

    def restrict(self, expression):
        # The reader's words are looked for in the text, never in the
        # language column ("es" is a Spanish word too).
        return f'language : "{self.language.code}" AND (- language : ({expression}))'

    def _hits(self, cursor, parsed, match, ids):
        """{rowid: Hit} of ``ids``, their original text marked in Python."""
        cursor.execute(
            f"SELECT id, {', '.join(_ORIGINAL_TEXT[1:])} FROM conditions_searchdocument "  # noqa: S608
            f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        return _marked_hits(self.language, parsed, cursor.fetchall())


class PostgresBackend:
    """``django.contrib.postgres.search``: a weighted ``tsvector`` with a GIN
    index, ``SearchRank`` and ``SearchHeadline``."""

    snippet_lead = 200  # characters before the first match
    snippet_window = 1200  # characters given to ts_headline

    def __init__(self, language=None):
        # One language's documents and configuration: English's text as
        # shown, another language's accent-folded copy (``languages``).
        self.language = language or languages.get(settings.LANGUAGE_CODE)
        self.config = self.language.postgresql

    def _column(self, name):
        return f"index_{name}" if self.language.stemmed else name

    def query(self, parsed):
        combined = None
        for term in parsed.terms:
            text = term.text
            if self.language.stemmed:
                text = self.language.query_text(text, "postgresql")
            q = SearchQuery(text, search_type="phrase", config=self.config)
            combined = q if combined is None else combined & q
        return combined

    def vector(self):
        c, col = self.config, self._column
        return (
            SearchVector(col("title"), col("alternate_names"), weight="A", config=c)
            + SearchVector(col("summary"), weight="B", config=c)
            + SearchVector(col("drugs"), weight="C", config=c)
            + SearchVector(col("body"), weight="D", config=c)
        )

    def title_vector(self):
        col = self._column
        return SearchVector(col("title"), col("alternate_names"), config=self.config)

    def head_vector(self):
        c, col = self.config, self._column
        return (
            SearchVector(col("title"), col("alternate_names"), weight="A", config=c)
            + SearchVector(col("summary"), weight="B", config=c)
            + SearchVector(col("drugs"), weight="C", config=c)
        )

    @staticmethod
    def _use_the_index(cursor):
        # The planner prices a sequential scan without the cost of reading
        # each row's (TOASTed) vector, and picks it for common words; the
        # GIN index answers a plain match with no need to read the vectors.
        cursor.execute("SET LOCAL enable_seqscan = off")

    def _documents(self, kind=None):
        docs = SearchDocument.objects.filter(language=self.language.code)
        return docs if kind is None else docs.filter(kind=kind)

    def count(self, parsed, kind=None):
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            self._use_the_index(cursor)
            return self._documents(kind).filter(vector=self.query(parsed)).count()

    def counts_of(self, parsed, kinds):
        """{kind: matches} for ``kinds`` (few rows: not the articles)."""
        if not kinds:
            return {}
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            self._use_the_index(cursor)
            return dict(
                self._documents()
                .filter(kind__in=kinds, vector=self.query(parsed))
                .values_list("kind")
                .annotate(n=Count("pk"))
                .order_by()
                .values_list("kind", "n")
            )

    def page(self, parsed, offset, limit, count, kind=None):
        q = self.query(parsed)
        ranked = "vector" if count <= FULL_RANK_LIMIT else "head_vector"
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            self._use_the_index(cursor)
            ids = self._ids(q, ranked, offset, limit, kind)
        if not ids:
            return []
        return self._hits(parsed, q, ids)

    def _ids(self, q, ranked, offset, limit, kind=None):
        return list(
            self._documents(kind)
            .filter(vector=q)
            .annotate(
                rank=SearchRank(F(ranked), q),
                title_hit=Case(
                    When(title_vector=q, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
            .order_by("-title_hit", "-rank", "pk")
            .values_list("pk", flat=True)[offset : offset + limit]
        )

    def _snippet_window(self, parsed):
        """Where in the body the snippet is looked for: from a little before
        the first place any query word (or its stem) occurs. ts_headline
        parses all the text it is given, and bodies are long."""
        words = sorted({w for term in parsed.terms for w in term.words})
        start = RawSQL(
            "greatest(1, coalesce((SELECT min(nullif(strpos(lower(body), w), 0)) FROM unnest("
            "tsvector_to_array(to_tsvector(%s::regconfig, %s)) || %s::text[]) AS w), 1) - %s)",
            (self.config, " ".join(words), words, self.snippet_lead),
        )
        return Substr("body", start, self.snippet_window)

    def _hits(self, parsed, q, ids):
        if self.language.stemmed:
            # ts_headline would read the folded copy: the original text is
            # marked in Python, as on SQLite.
            rows = SearchDocument.objects.filter(pk__in=ids).values_list(*_ORIGINAL_TEXT)
            by_pk = _marked_hits(self.language, parsed, rows)
            return [by_pk[pk] for pk in ids if pk in by_pk]
        marks = {"start_sel": highlight.START, "stop_sel": highlight.STOP, "config": self.config}
        rows = SearchDocument.objects.filter(pk__in=ids).values_list(
            "pk",
            "kind",
            "url",
            "slug",
            SearchHeadline("title", q, highlight_all=True, **marks),
            SearchHeadline("alternate_names", q, highlight_all=True, **marks),
            SearchHeadline("summary", q, highlight_all=True, **marks),
            SearchHeadline(
                self._snippet_window(parsed),
                q,
                max_words=30,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
            SearchHeadline("drugs", q, highlight_all=True, **marks),
        )
        by_pk = {row[0]: row[1:] for row in rows}
        return [_hit(*by_pk[pk], language=self.language.code) for pk in ids if pk in by_pk]

    def after_write(self, doc_ids=None, language_codes=None):
        """Compute the vectors of ``doc_ids`` (every row when None) in the
        documents' languages (``language_codes``, every configured language
        when None), each with its language's configuration."""
        for language in languages.all_languages():
            if language_codes is not None and language.code not in language_codes:
                continue
            docs = SearchDocument.objects.filter(language=language.code)
            if doc_ids is not None:
                docs = docs.filter(pk__in=doc_ids)
            one = PostgresBackend(language)
            docs.update(
                vector=one.vector(), title_vector=one.title_vector(), head_vector=one.head_vector()
            )

    def optimize(self):
        # After a bulk load: flush GIN's pending list and refresh statistics
        # (VACUUM cannot run inside a transaction; ANALYZE alone then).
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute("ANALYZE conditions_searchdocument")
            else:
                cursor.execute("VACUUM ANALYZE conditions_searchdocument")


def backend(language=None):
    """The backend searching ``language``'s documents (English's when None;
    writing documents is the same for every language)."""
    language = languages.get(language or settings.LANGUAGE_CODE)
    if connection.vendor == "sqlite":
        return SqliteStemmedBackend(language) if language.stemmed else SqliteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend(language)
    raise ImproperlyConfigured(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.")
