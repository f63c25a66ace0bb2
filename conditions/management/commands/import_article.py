"""Import an article from a plain-text file (the seed's format)."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from conditions import importer
from conditions.services import WorkflowError
from healthlib.commands import read_file


class Command(BaseCommand):
    help = (
        "Import an article from a plain-text file: a new draft, or a new revision of the "
        "article with the same slug. Prints what it found."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A UTF-8 text file, e.g. essential-tremor.txt")
        parser.add_argument("--title", help="The article's title (default: from the file name).")
        parser.add_argument("--slug", help="The article's address (default: from the title).")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish it too, with the update note “Imported from FILE”.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the report of what the import would do, and write nothing.",
        )

    def handle(self, *args, file, title=None, slug=None, publish=False, dry_run=False, **options):
        path = Path(file)
        if slug is not None:
            try:
                validate_slug(slug)
            except ValidationError:
                raise CommandError(
                    f"--slug {slug!r}: use only letters, numbers, hyphens and underscores."
                )
        content = read_file(file, "an article file")
        try:
            result = importer.import_article(
                content=content,
                name=path.name,
                title=title,
                slug=slug,
                publish=publish,
                dry_run=dry_run,
            )
        except importer.ArticleImportError as exc:
            raise CommandError(str(exc))
        except (WorkflowError, PermissionDenied) as exc:
            raise CommandError(f"{path.name}: nothing was imported: {exc}")
        except ValidationError as exc:
            raise CommandError(f"{path.name}: nothing was imported: {' '.join(exc.messages)}")
        self.stdout.write(result.summary_line(path.name))
        for line in result.report.lines():
            self.stdout.write(line)
