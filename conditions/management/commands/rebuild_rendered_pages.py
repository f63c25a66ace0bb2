"""Render every published article's page again and store it. Publishing
(and changing a drug, an organization or a topic) keeps the stored pages
current by itself; run this after an upgrade that changed the article
templates, or after loading a database dump. Until then, pages whose stored
rendering came from other templates are rendered on each request."""

from django.core.management.base import BaseCommand

from conditions.publishing import rendering


class Command(BaseCommand):
    help = "Render every published article's page again and store it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-only",
            action="store_true",
            help="Only the pages stored by other templates or settings (or never).",
        )

    def handle(self, *args, stale_only=False, verbosity=1, **options):
        def progress(done, total):
            if verbosity >= 2:
                self.stdout.write(f"{done}/{total}")

        count = rendering.rebuild(stale_only=stale_only, progress=progress)
        self.stdout.write(f"Rendered {count} published article(s).")
