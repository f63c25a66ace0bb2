"""Files written during a transaction go with it."""

from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.db import transaction


@contextmanager
def atomic_with_files():
    """A transaction that also owns the files written in it: yields a list,
    and if the block raises (the transaction rolls back), every stored file
    name the block appended to it is deleted, so nothing half-saved is left
    in storage."""
    stored = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
