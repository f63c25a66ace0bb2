"""tests/dbstate.py: a restore leaves the database and the media exactly as
a real build does, and a different starting state builds again."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from conditions.models import Drug
from tests import dbstate


def _load_demo():
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


def _files():
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _never():
    raise AssertionError("built again: the record was not used")


@pytest.mark.django_db
def test_a_restore_is_every_row_and_file_of_a_real_build():
    start = dbstate._state()
    savepoint = transaction.savepoint()
    printed = dbstate.build_once("demo-restore-test", _load_demo)
    built, built_files = dbstate._state(), _files()
    assert "Created: /conditions/myoclonus/" in printed
    assert built != start

    transaction.savepoint_rollback(savepoint)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    assert dbstate._state() == start

    assert dbstate.build_once("demo-restore-test", _never) == printed
    restored = dbstate._state()
    assert restored.keys() == built.keys()
    for table in built:  # table by table, for a readable failure
        assert restored[table] == built[table], table
    assert _files() == built_files


@pytest.mark.django_db
def test_another_starting_state_builds_again():
    calls = []

    def build():
        calls.append(1)
        return _load_demo()

    savepoint = transaction.savepoint()
    dbstate.build_once("demo-start-test", build)
    transaction.savepoint_rollback(savepoint)
    Drug.objects.create(name="Aspirin", slug="aspirin")
    dbstate.build_once("demo-start-test", build)
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_restores_the_record_pointing_at_the_new_content_types():
    """A transactional test's flush makes content types, permissions and
    the role groups again with new primary keys. The record is still used,
    and what pointed at them (an article's topics, a user's group) points
    at the new rows."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import TaggedItem

    dbstate.build_once("demo-flush-test", _load_demo)
    built = dbstate._state()
    types_before = set(ContentType.objects.values_list("pk", flat=True))
    # The flush's new rows take new keys (as PostgreSQL's sequences always
    # give them; SQLite's count would start again from an empty table).
    ContentType.objects.create(app_label="tests", model="keys_move_on")
    # As a transactional test's end does (TransactionTestCase._fixture_teardown).
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    assert not types_before & set(ContentType.objects.values_list("pk", flat=True))
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)

    dbstate.build_once("demo-flush-test", _never)
    assert dbstate._state() == built
    tagged = TaggedItem.objects.select_related("content_type")
    assert tagged and all(t.content_type.model == "condition" for t in tagged)
    assert all(t.content_object is not None for t in tagged)
