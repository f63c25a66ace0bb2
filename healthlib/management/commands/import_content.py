"""Load a JSON file written by export_content into an empty database."""

from django.core.management.base import BaseCommand, CommandError

from healthlib import portability
from healthlib.lib.commands import read_json


class Command(BaseCommand):
    help = (
        "Import a file written by export_content into an empty database, in one "
        "transaction: all or nothing. Problems are listed with the path of the bad field."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by export_content")

    def handle(self, *args, file, **options):
        doc = read_json(file, "an export file")
        try:
            summary = portability.import_content(doc)
        except portability.ContentImportError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            count = len(exc.errors)
            reason = exc.errors[0] if count == 1 else f"{count} problems, listed above"
            raise CommandError(f"{file}: nothing was imported: {reason}.")
        self.stdout.write(summary.line())
