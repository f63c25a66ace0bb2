"""Import an article from a plain-text file (the seed's format)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from conditions import importer
from conditions.services import WorkflowError
from healthlib.lib.commands import read_file


class Command(BaseCommand):
    help = (
        "Import an article from a plain-text file: a new draft, or a new revision of the "
        "article with the same slug; with --language and --translation-of, a translation "
        "of an English article. Prints what it found."
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
            "--language",
            help="The file's language (default: English). Another language needs --translation-of.",
        )
        parser.add_argument(
            "--translation-of",
            metavar="SLUG",
            help="Import the file as the translation of the English article at SLUG: a new "
            "translation, or a new revision of the one it has in --language.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the report of what the import would do, and write nothing.",
        )

    def handle(
        self,
        *args,
        file,
        title=None,
        slug=None,
        publish=False,
        dry_run=False,
        language=None,
        translation_of=None,
        **options,
    ):
        path = Path(file)
        if slug is not None:
            try:
                validate_slug(slug)
            except ValidationError:
                raise CommandError(
                    f"--slug {slug!r}: use only letters, numbers, hyphens and underscores."
                )
        language = language or settings.LANGUAGE_CODE
        if translation_of is None and language != settings.LANGUAGE_CODE:
            raise CommandError(
                f"--language {language}: say which English article this translates with "
                "--translation-of SLUG."
            )
        if translation_of is not None and language == settings.LANGUAGE_CODE:
            raise CommandError(
                "--translation-of: give the translation's language with --language, e.g. "
                "--language es."
            )
        content = read_file(file, "an article file")
        options = {
            "content": content,
            "name": path.name,
            "title": title,
            "slug": slug,
            "publish": publish,
            "dry_run": dry_run,
        }
        try:
            if translation_of is not None:
                result = importer.import_translation(
                    language=language, translation_of=translation_of, **options
                )
            else:
                result = importer.import_article(**options)
        except importer.ArticleImportError as exc:
            raise CommandError(str(exc))
        except (WorkflowError, PermissionDenied) as exc:
            raise CommandError(f"{path.name}: nothing was imported: {exc}")
        except ValidationError as exc:
            raise CommandError(f"{path.name}: nothing was imported: {' '.join(exc.messages)}")
        self.stdout.write(result.summary_line(path.name))
        for line in result.report.lines():
            self.stdout.write(line)
