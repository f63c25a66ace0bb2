"""The two search backends behind ``conditions.search``: SQLite FTS5 and
PostgreSQL full-text search. Both answer the same three questions for a
parsed query: how many articles match, which ones are on a page (best
first: a match in the title or an alternate name, then by relevance), and
their highlighted snippets."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When

from . import highlight
from .models import SearchDocument


@dataclass
class Hit:
    slug: str
    title: str  # safe HTML with <mark>
    snippet: str  # safe HTML with <mark>
    also_called: str  # safe HTML; empty unless an alternate name matched

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("conditions:detail", args=[self.slug])


def _hit(slug, title, alternate_names, summary, body):
    if highlight.has_mark(body) or not summary:
        snippet = body
    else:
        snippet = summary
    also = ""
    if highlight.has_mark(alternate_names):
        names = [n for n in alternate_names.splitlines() if n.strip()]
        also = highlight.to_html(", ".join(names))
    return Hit(
        slug=slug,
        title=highlight.to_html(title),
        snippet=highlight.to_html(snippet),
        also_called=also,
    )


class SqliteBackend:
    """FTS5 (porter tokenizer) over ``conditions_search_fts``, ranked by
    ``bm25()`` with column weights."""

    table = "conditions_search_fts"
    # title, alternate_names, summary, body, drugs (the FTS5 column order)
    weights = (10.0, 10.0, 4.0, 1.0, 2.0)
    snippet_tokens = 28

    @staticmethod
    def match(parsed):
        # Every term a quoted string (only word characters inside), so the
        # reader's text is never FTS5 syntax. Juxtaposed strings all must match.
        return " ".join(f'"{term.text}"' for term in parsed.terms)

    def count(self, parsed):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {self.table} WHERE {self.table} MATCH %s",  # noqa: S608
                [self.match(parsed)],
            )
            return cursor.fetchone()[0]

    def page(self, parsed, offset, limit):
        t = self.table
        match = self.match(parsed)
        bm25 = f"bm25({t}, {', '.join(str(w) for w in self.weights)})"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {t} WHERE {t} MATCH %s "  # noqa: S608
                f"ORDER BY rowid IN (SELECT rowid FROM {t} WHERE {t} MATCH %s) DESC, "
                f"{bm25}, rowid LIMIT %s OFFSET %s",
                [match, "{title alternate_names} : (" + match + ")", limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return []
            s, e = highlight.START, highlight.STOP
            cursor.execute(
                f"SELECT {t}.rowid, d.slug, highlight({t}, 0, %s, %s), "  # noqa: S608
                f"highlight({t}, 1, %s, %s), highlight({t}, 2, %s, %s), "
                f"snippet({t}, 3, %s, %s, '…', {self.snippet_tokens}) "
                f"FROM {t} JOIN conditions_searchdocument d ON d.id = {t}.rowid "
                f"WHERE {t} MATCH %s AND {t}.rowid IN ({', '.join(['%s'] * len(ids))})",
                [s, e, s, e, s, e, s, e, match, *ids],
            )
            rows = {row[0]: row[1:] for row in cursor.fetchall()}
        return [_hit(*rows[pk]) for pk in ids if pk in rows]

    def after_write(self, doc_ids=None):
        """Triggers keep FTS5 in step with ``SearchDocument``: nothing to do."""

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.table}({self.table}) VALUES ('optimize')")  # noqa: S608


class PostgresBackend:
    """``django.contrib.postgres.search``: a weighted ``tsvector`` with a GIN
    index, ``SearchRank`` and ``SearchHeadline``."""

    config = "english"

    def query(self, parsed):
        combined = None
        for term in parsed.terms:
            q = SearchQuery(term.text, search_type="phrase", config=self.config)
            combined = q if combined is None else combined & q
        return combined

    def vector(self):
        c = self.config
        return (
            SearchVector("title", "alternate_names", weight="A", config=c)
            + SearchVector("summary", weight="B", config=c)
            + SearchVector("drugs", weight="C", config=c)
            + SearchVector("body", weight="D", config=c)
        )

    def title_vector(self):
        return SearchVector("title", "alternate_names", config=self.config)

    def count(self, parsed):
        return SearchDocument.objects.filter(vector=self.query(parsed)).count()

    def page(self, parsed, offset, limit):
        q = self.query(parsed)
        ids = list(
            SearchDocument.objects.filter(vector=q)
            .annotate(
                rank=SearchRank(F("vector"), q),
                title_hit=Case(
                    When(title_vector=q, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
            .order_by("-title_hit", "-rank", "pk")
            .values_list("pk", flat=True)[offset : offset + limit]
        )
        if not ids:
            return []
        marks = {"start_sel": highlight.START, "stop_sel": highlight.STOP, "config": self.config}
        rows = SearchDocument.objects.filter(pk__in=ids).values_list(
            "pk",
            "slug",
            SearchHeadline("title", q, highlight_all=True, **marks),
            SearchHeadline("alternate_names", q, highlight_all=True, **marks),
            SearchHeadline("summary", q, highlight_all=True, **marks),
            SearchHeadline(
                "body",
                q,
                max_words=30,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        by_pk = {row[0]: row[1:] for row in rows}
        return [_hit(*by_pk[pk]) for pk in ids if pk in by_pk]

    def after_write(self, doc_ids=None):
        docs = SearchDocument.objects.all()
        if doc_ids is not None:
            docs = docs.filter(pk__in=doc_ids)
        docs.update(vector=self.vector(), title_vector=self.title_vector())

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE conditions_searchdocument")
