"""Write all content to one JSON file (see healthlib.portability)."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from healthlib import portability


class Command(BaseCommand):
    help = (
        "Export all content (articles with every revision, drugs, organizations, tags, "
        "figures with their images, newsletter editions and research summaries; no "
        "subscribers) to one deterministic JSON file. Use - for standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write, e.g. healthlib-content.json, or -")

    def handle(self, *args, file, **options):
        doc, missing = portability.export_content()
        text = portability.dumps(doc)
        for name in missing:
            self.stderr.write(f"Warning: the file {name} is missing from storage; not embedded.")
        if file == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(file)
        if path.is_dir():
            raise CommandError(f"{file} is a directory; give a file name.")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} does not exist.")
        # Written beside the target and renamed, so a failed export never
        # leaves half a file where a good one was.
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
        except OSError as exc:
            raise CommandError(f"{file}: cannot be written ({exc.strerror}).")
        articles = len(doc["articles"])
        revisions = sum(len(a["revisions"]) for a in doc["articles"])
        editions = sum(len(n["editions"]) for n in doc["newsletters"])
        self.stdout.write(
            f"Exported {articles} articles ({revisions} revisions), {len(doc['drugs'])} drugs, "
            f"{len(doc['organizations'])} organizations, {len(doc['tags'])} tags, "
            f"{len(doc['files'])} files and {editions} newsletter editions to {file}."
        )
