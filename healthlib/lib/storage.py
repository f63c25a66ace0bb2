"""Media storage that never leaves a half-written file, and files written
during a transaction that go with it."""

import contextvars
import errno
import logging
import os
from contextlib import contextmanager, suppress

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.utils.crypto import get_random_string

# The names stored since ``files_written()`` was entered (None outside it).
_written = contextvars.ContextVar("healthlib_files_written", default=None)
logger = logging.getLogger(__name__)


class StorageWriteError(OSError):
    """A file could not be stored (disk full, quota, permissions); nothing
    of it is left in storage. ``str()`` is a sentence for the editor."""

    def __init__(self, cause):
        # An OSError from the disk, or an object store's error (no errno).
        super().__init__(getattr(cause, "errno", None), getattr(cause, "strerror", None))
        self.cause = cause

    def __str__(self):
        if self.errno in (errno.ENOSPC, errno.EDQUOT):
            return "The server's disk is full; nothing was saved. Tell the site's administrator."
        return (
            f"The file could not be stored on the server ({self.strerror or self.cause}); "
            "nothing was saved. Tell the site's administrator."
        )


class AtomicFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that writes each file under a temporary name in
    its folder and gives it its real name only once it is complete.

    Django's own writes in place: a full disk left a truncated image, or
    an empty file, under the real name, which pages then served. Here any
    error (ENOSPC, EDQUOT, EIO…) removes the temporary file and raises
    StorageWriteError; a reader never sees a partial file.
    """

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        temp = os.path.join(directory, f".partial-{get_random_string(12)}")
        try:
            if self.directory_permissions_mode is not None:
                os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            else:
                os.makedirs(directory, exist_ok=True)
            # 0o666 less the umask, as Django's own writes get.
            fd = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
            )
        except OSError as exc:
            raise StorageWriteError(exc) from exc
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())  # a full disk may only say so here
            if self.file_permissions_mode is not None:
                os.chmod(temp, self.file_permissions_mode)
            # A hard link gives the file its name at once and, unlike a
            # rename, never replaces a file that took the name meanwhile.
            while True:
                try:
                    os.link(temp, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        except OSError as exc:
            raise StorageWriteError(exc) from exc
        finally:
            with suppress(FileNotFoundError):
                os.unlink(temp)
        name = str(name).replace("\\", "/")
        record_written(name)
        return name


def record_written(name):
    """Note that ``name`` was stored, for ``files_written()``: every
    storage of the project calls this for each file it stores."""
    written = _written.get()
    if written is not None:
        written.append(name)


def discard_files(names, storage=None):
    """Delete the stored files ``names`` (the files of a save that was
    rolled back), the last stored first. A file that cannot be deleted
    (the store is unreachable) is logged with its name, for the
    administrator, and does not hide the error that caused the rollback."""
    storage = storage or default_storage
    for name in reversed(list(names)):
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete %s, stored by a save that was rolled back", name)


@contextmanager
def files_written():
    """Yield a list that collects the names of the files this storage
    stores within the block (in this thread or task)."""
    names = []
    token = _written.set(names)
    try:
        yield names
    finally:
        _written.reset(token)


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
        discard_files(stored)
        raise
