"""Delete old revisions, keeping what matters."""

from django.core.management.base import BaseCommand, CommandError

from conditions import services


class Command(BaseCommand):
    help = (
        "Delete revisions older than --older-than days, except each article's newest --keep, "
        "its live and latest revisions, and scheduled ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, required=True, help="Newest revisions to keep.")
        parser.add_argument(
            "--older-than", type=int, required=True, dest="older_than", help="Age in days."
        )

    def handle(self, *args, keep, older_than, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        if older_than < 0:
            raise CommandError("--older-than must be zero or more days.")
        deleted = services.purge_revisions(keep=keep, older_than_days=older_than)
        self.stdout.write(f"Deleted {deleted} revision(s).")
