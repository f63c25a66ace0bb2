"""Load a JSON file written by export_content into an empty database."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conditions import portability


class Command(BaseCommand):
    help = (
        "Import a file written by export_content into an empty database, in one "
        "transaction: all or nothing. Problems are listed with the path of the bad field."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by export_content")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.")
        except IsADirectoryError:
            raise CommandError(f"{file} is a directory, not an export file.")
        except OSError as exc:
            raise CommandError(f"{file}: cannot be read ({exc.strerror}).")
        try:
            doc = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text; nothing was imported.")
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                "nothing was imported."
            )
        try:
            summary = portability.import_content(doc)
        except portability.ContentImportError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            count = len(exc.errors)
            reason = exc.errors[0] if count == 1 else f"{count} problems, listed above"
            raise CommandError(f"{file}: nothing was imported: {reason}.")
        self.stdout.write(summary.line())
