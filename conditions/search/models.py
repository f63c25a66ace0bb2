"""The search index's table: one row per live article, holding the text
search looks at, already flattened (Markdown stripped, drug names joined).

On PostgreSQL the rows also hold their weighted ``tsvector`` (GIN indexed).
On SQLite two FTS5 tables (porter tokenizer) use this table as their
external content and triggers keep them in step: ``conditions_search_fts``
over every column, ``conditions_search_head_fts`` over all but the body.
The vector columns stay empty there. Migrations 0002 and 0003 create them.

Careful on SQLite: altering this table with a migration rebuilds it and
drops the triggers; such a migration must create them again.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    condition = models.OneToOneField(
        "conditions.Condition",
        on_delete=models.CASCADE,
        related_name="search_document",
        limit_choices_to={"is_live": True},
    )
    slug = models.SlugField(max_length=200)
    title = models.CharField(max_length=200)
    alternate_names = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    drugs = models.TextField(blank=True)
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
        app_label = "conditions"

    def __str__(self):
        return self.title
