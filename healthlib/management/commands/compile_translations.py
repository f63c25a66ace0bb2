"""Compile the interface's translations (see healthlib.lib.catalogs)."""

from django.core.management.base import BaseCommand

from healthlib.lib import catalogs


class Command(BaseCommand):
    help = (
        "Compile every app's locale/*/LC_MESSAGES/*.po to .mo (with Babel: GNU gettext "
        "is not needed). Only missing or out-of-date files unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalog.")

    def handle(self, *args, force=False, **options):
        done = catalogs.compile_all(force=force)
        for po in done:
            self.stdout.write(f"Compiled {po.with_suffix('.mo')}")
        if not done and options["verbosity"] > 1:
            self.stdout.write("Every catalog is up to date.")
