"""Rebuild the search index from the live articles. Publishing keeps the
index current by itself; run this after loading a database dump or changing
how articles are indexed."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from conditions import search


class Command(BaseCommand):
    help = "Index every published article again, from scratch."

    def handle(self, *args, **options):
        try:
            count = search.rebuild()
        except DatabaseError as e:
            raise CommandError(f"Could not rebuild the search index: {e}".splitlines()[0])
        self.stdout.write(f"Indexed {count} published article(s).")
