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
    _records[full_key] = {
        "result": result,
        "tables": {t: rows for t, rows in after.items() if rows != before.get(t)},
        "media": {p: _media_root().joinpath(p).read_bytes() for p in _media() - media_before},
    }
    return result


def _tables():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            found = cursor.fetchall()
            virtual = [n for n, sql in found if (sql or "").upper().startswith("CREATE VIRTUAL")]
            return sorted(
                name
                for name, _ in found
                if name != "django_migrations"
                and name not in virtual
                and not any(name.startswith(f"{v}_") for v in virtual)
            )
    return sorted(t for t in connection.introspection.table_names() if t != "django_migrations")


def _state():
    """{table: (columns, sorted rows)} of every table."""
    state = {}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608 - names from the schema
            columns = tuple(c[0] for c in cursor.description)
            state[table] = (columns, sorted(cursor.fetchall(), key=repr))
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
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, rows) in record["tables"].items():
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 - names from the schema
            if rows:
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
