"""The search index holds every kind of page readers read: articles, and
documents from registered sources (drugs, topics, research summaries),
named by kind and object_id, with their own address.

Altering conditions_searchdocument on SQLite rebuilds the table, which drops
the FTS5 triggers of migrations 0002 and 0003: they are dropped first and
created again afterwards (the same SQL, frozen here), and both FTS5 tables
rebuilt from the content table. Drugs, topics and research summaries are
indexed by ``rebuild_search_index`` (or as they next change)."""

import django.db.models.deletion
from django.db import migrations, models

FTS = ("conditions_search_fts", "title, alternate_names, summary, body, drugs")
HEAD = ("conditions_search_head_fts", "title, alternate_names, summary, drugs")


def _triggers(table, columns, prefix):
    new = ", ".join(f"new.{c}" for c in columns.split(", "))
    old = ", ".join(f"old.{c}" for c in columns.split(", "))
    return [
        f"""CREATE TRIGGER {prefix}_ai AFTER INSERT ON conditions_searchdocument BEGIN
            INSERT INTO {table}(rowid, {columns}) VALUES (new.id, {new});
        END""",
        f"""CREATE TRIGGER {prefix}_ad AFTER DELETE ON conditions_searchdocument BEGIN
            INSERT INTO {table}({table}, rowid, {columns}) VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER {prefix}_au AFTER UPDATE ON conditions_searchdocument BEGIN
            INSERT INTO {table}({table}, rowid, {columns}) VALUES ('delete', old.id, {old});
            INSERT INTO {table}(rowid, {columns}) VALUES (new.id, {new});
        END""",
    ]


PREFIXES = {FTS[0]: "conditions_search_fts", HEAD[0]: "conditions_search_head_fts"}


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for prefix in PREFIXES.values():
        for suffix in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {prefix}_{suffix}")


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, columns in (FTS, HEAD):
        for sql in _triggers(table, columns, PREFIXES[table]):
            schema_editor.execute(sql)
        # The table was rebuilt under the FTS5 tables: reread its content.
        schema_editor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'conditions_search_%'"
        )
        if cursor.fetchone()[0] != 6:
            raise RuntimeError("The search index triggers are missing; the index would go stale.")


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0011_drug_reader_fields"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AddField(
            model_name="searchdocument",
            name="kind",
            field=models.CharField(db_index=True, default="article", max_length=20),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="object_id",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="url",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name="searchdocument",
            name="condition",
            field=models.OneToOneField(
                blank=True,
                limit_choices_to={"is_live": True},
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="search_document",
                to="conditions.condition",
            ),
        ),
        migrations.AlterField(
            model_name="searchdocument",
            name="slug",
            field=models.SlugField(blank=True, max_length=200),
        ),
        migrations.AddConstraint(
            model_name="searchdocument",
            constraint=models.UniqueConstraint(
                condition=models.Q(("object_id", ""), _negated=True),
                fields=("kind", "object_id"),
                name="searchdocument_unique_source_object",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
