"""Content that takes seconds to build, built once per test process.

Loading the demo runs the importer, the workflow, rendering and the search
index: seconds each time, in a hundred tests. ``build_once(key, build)``
runs ``build()`` the first time and records what it changed, in the
database (every table's rows) and in ``MEDIA_ROOT`` (the files it wrote).
Later, from the same starting state, it writes those rows and files back
instead of building again, which takes milliseconds.

"The same starting state" is checked, not assumed: a digest of every row of
every table before the build is part of the key, so a test whose fixtures
made a user or a drug first gets a build of its own (and its own record).
The rows Django makes again whenever a transactional test empties the
database (content types, permissions, the role groups) come back with new
primary keys each time: they, and the columns that point at them, are
compared and restored by natural key, so the browser tests' demo is built
once per process too, not once per test.
What ``build()`` returned is recorded too (the command's output).

Rows go back with their own primary keys, foreign keys included; the
database checks those at commit (Django creates them deferred on both
SQLite and PostgreSQL). PostgreSQL's sequences are then moved past the
keys written. The search index's full-text tables on SQLite are kept by
their triggers on ``conditions_searchdocument``, so they are not copied.
Caches are not recorded: the suite clears them around each test, and what
the build left there is rebuilt on demand.

``tests/test_dbstate.py`` checks that a restore leaves every row of every
table, and every file, as a real build does.
"""

import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction

_records = {}
# A column value that stands for a row of a remade table (below) by its
# natural key, not by its primary key.
_NATURAL = "natural key"


def build_once(key, build):
    """``build()``'s result, with the database and media as it leaves them."""
    before = _state()
    full_key = (key, connection.vendor, _digest(before))
    record = _records.get(full_key)
    if record is not None:
        _restore(record)
        return record["result"]
    media_before = _media()
    result = build()
    after = _state()
    changed = {t: rows for t, rows in after.items() if rows != before.get(t)}
    if changed.keys() & _remade_tables():
        return result  # not recorded: see _remade_tables
    _records[full_key] = {
        "result": result,
        "tables": changed,
        "media": {p: _media_root().joinpath(p).read_bytes() for p in _media() - media_before},
    }
    return result


def _remade_models():
    """The models whose rows Django makes again after a test database is
    emptied (a transactional test's flush runs post_migrate: content types,
    permissions, and the role groups with their permissions). The rows are
    the same each time, their primary keys are new: so they are compared by
    natural key, and so are the columns that point at them, or every
    transactional test would start from a "different" state and build
    again."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    return (ContentType, Permission, Group, Group.permissions.through)


def _remade_tables():
    return {model._meta.db_table for model in _remade_models()}


def _natural_keys():
    """{table: {primary key: natural key}} of the remade tables that other
    rows point at, as the database holds them now."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    types = {
        pk: (app, model)
        for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")
    }
    permissions = {
        pk: (codename, types.get(type_id))
        for pk, codename, type_id in Permission.objects.values_list(
            "pk", "codename", "content_type_id"
        )
    }
    groups = {pk: (name,) for pk, name in Group.objects.values_list("pk", "name")}
    return {
        ContentType._meta.db_table: types,
        Permission._meta.db_table: permissions,
        Group._meta.db_table: groups,
    }


def _references(targets):
    """{(table, column): target table} for every foreign key column that
    points at one of ``targets``."""
    references = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.local_fields:
            target = getattr(field, "related_model", None)
            if field.is_relation and target is not None and target._meta.db_table in targets:
                references[(model._meta.db_table, field.column)] = target._meta.db_table
    return references


def _tables():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            found = cursor.fetchall()
            virtual = [n for n, sql in found if (sql or "").upper().startswith("CREATE VIRTUAL")]
            return sorted(
                name
                for name, _ in found
                if name not in ("django_migrations", "sqlite_sequence")
                and name not in virtual
                and not any(name.startswith(f"{v}_") for v in virtual)
            )
    return sorted(t for t in connection.introspection.table_names() if t != "django_migrations")


def _state():
    """{table: (columns, sorted rows)} of every table, with the remade rows
    (see _remade_models) and the columns pointing at them by natural key."""
    keys = _natural_keys()
    references = _references(keys)
    remade = _remade_tables()
    pk_columns = {m._meta.db_table: m._meta.pk.column for m in _remade_models()}
    state = {}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608 - names from the schema
            columns = [c[0] for c in cursor.description]
            natural = {
                i: keys[references[(table, c)]]
                for i, c in enumerate(columns)
                if (table, c) in references
            }
            rows = [
                tuple(
                    (_NATURAL, natural[i].get(v)) if i in natural and v is not None else v
                    for i, v in enumerate(row)
                )
                for row in cursor.fetchall()
            ]
            if table in remade:  # their own keys are new after each flush
                drop = columns.index(pk_columns[table])
                columns.pop(drop)
                rows = [row[:drop] + row[drop + 1 :] for row in rows]
            state[table] = (tuple(columns), sorted(rows, key=repr))
    return state


def _digest(state):
    return hashlib.sha256(repr(sorted(state.items())).encode()).hexdigest()


def _media_root():
    return Path(settings.MEDIA_ROOT)


def _media():
    root = _media_root()
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


def _adapted(row):
    """A row read back, ready to write: PostgreSQL's JSON columns read as
    Python dicts and lists, which are written as JSON again."""
    if connection.vendor != "postgresql":
        return row
    from psycopg.types.json import Jsonb

    return [Jsonb(v) if isinstance(v, dict | list) else v for v in row]


def _restore(record):
    qn = connection.ops.quote_name
    # Natural keys back to the primary keys the remade rows have now.
    keys = {
        table: {natural: pk for pk, natural in by_pk.items()}
        for table, by_pk in _natural_keys().items()
    }
    references = _references(keys)
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, rows) in record["tables"].items():
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 - names from the schema
            if rows:
                pks = {
                    i: keys[references[(table, c)]]
                    for i, c in enumerate(columns)
                    if (table, c) in references
                }
                rows = [
                    [
                        pks[i][v[1]] if i in pks and isinstance(v, tuple) else v
                        for i, v in enumerate(row)
                    ]
                    for row in rows
                ]
                names = ", ".join(qn(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})",  # noqa: S608
                    [_adapted(row) for row in rows],
                )
        if connection.vendor == "postgresql":
            by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
            models = [by_table[t] for t in record["tables"] if t in by_table]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    root = _media_root()
    for relative, content in record["media"].items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
