"""What the management commands share: reading the file they were given,
with one-line errors instead of tracebacks."""

import json
from pathlib import Path

from django.core.management.base import CommandError


def read_file(file, what="file"):
    """The bytes of ``file``; ``what`` names it in errors ("an article file")."""
    # A name ending in a newline (pasted, or from a script) is never the
    # file meant, and would be shown split in the messages below.
    if not file or file != file.strip("\r\n") or "\x00" in file:
        raise CommandError(f"{file!r}: not a usable file name.")
    path = Path(file)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{file}: no such file.")
    except IsADirectoryError:
        raise CommandError(f"{file} is a directory, not {what}.")
    except OSError as exc:
        raise CommandError(f"{file}: cannot be read ({exc.strerror}).")


def read_json(file, what="file"):
    """The JSON document in ``file``: a one-line error when it is not one."""
    raw = read_file(file, what)
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CommandError(f"{file} is not UTF-8 text; nothing was imported.")
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{file} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "nothing was imported."
        )
    except RecursionError:
        raise CommandError(f"{file}: the JSON is nested too deeply; nothing was imported.")
