"""The search index's table (``SearchDocument``), kept by
``conditions.search``; the search code itself lives in that package.

It sits here, not in ``conditions/search/``, because that package's
``__init__`` imports this model: a model module inside it would make
``conditions.models`` and ``conditions.search`` import each other.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """The search index's table: one row per live article, holding the text
    search looks at, already flattened (Markdown stripped, drug names joined).

    On PostgreSQL the rows also hold their weighted ``tsvector`` (GIN indexed).
    On SQLite two FTS5 tables (porter tokenizer) use this table as their
    external content and triggers keep them in step: ``conditions_search_fts``
    over every column, ``conditions_search_head_fts`` over all but the body.
    The vector columns stay empty there. Migrations 0002 and 0003 create them.

    Each row is in one language (``language``). English rows are indexed as
    above. Rows in the other languages of ``settings.SEARCH_LANGUAGES`` are
    searched through their ``index_*`` columns, the text with its accents
    folded (``conditions.search.languages``): on PostgreSQL with the
    language's configuration; on SQLite, where the columns hold each word's
    Snowball stem, by two more FTS5 tables without a stemmer,
    ``conditions_search_stemmed_fts`` and ``…_stemmed_head_fts`` (migration
    0017). The triggers put a row in the English tables or in the stemmed
    ones by its language.

    Careful on SQLite: altering this table with a migration rebuilds it and
    drops the triggers; such a migration must create them again (see 0017).
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "Articles"
        DRUG = "drug", "Drugs"
        TOPIC = "topic", "Topics"
        RESEARCH = "research", "Research summaries"

    # What the row is: a live article (``condition`` set), or a document
    # from a source registered with ``conditions.search.sources`` (a drug, a
    # topic, another app's research summary), named by kind and object_id.
    kind = models.CharField(max_length=20, default=Kind.ARTICLE, db_index=True)
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    url = models.CharField(max_length=500, blank=True)
    condition = models.OneToOneField(
        "conditions.Condition",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_document",
        limit_choices_to={"is_live": True},
    )
    slug = models.SlugField(max_length=200, blank=True)
    title = models.CharField(max_length=200)
    alternate_names = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    drugs = models.TextField(blank=True)
    # What the index reads for a language other than English: the columns
    # above with accents folded (PostgreSQL), or as folded Snowball stems,
    # one per word (SQLite). Empty for English.
    index_title = models.TextField(blank=True)
    index_alternate_names = models.TextField(blank=True)
    index_summary = models.TextField(blank=True)
    index_body = models.TextField(blank=True)
    index_drugs = models.TextField(blank=True)
    # PostgreSQL only: everything, weighted (A title and alternate names,
    # B summary, C drugs, D body), and the title and alternate names alone,
    # which decide the first tier of the ranking.
    vector = SearchVectorField(null=True, editable=False)
    title_vector = SearchVectorField(null=True, editable=False)
    # Everything but the body, weighted as above: small enough to rank every
    # match of a very common word without reading each article's body.
    head_vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "object_id"],
                condition=~Q(object_id=""),
                name="searchdocument_unique_source_object_language",
            )
        ]

    def __str__(self):
        return self.title
