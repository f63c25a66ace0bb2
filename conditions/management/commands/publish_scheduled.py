"""Publish approved revisions whose go-live time has come. Run it every
minute from cron; concurrent runs never publish the same revision twice."""

from django.core.management.base import BaseCommand

from conditions import services


class Command(BaseCommand):
    help = "Publish the approved revisions that are due."

    def handle(self, *args, **options):
        published = services.publish_scheduled()
        for condition in published:
            self.stdout.write(f"Published {condition.title} (/conditions/{condition.slug}/)")
        if options["verbosity"] > 1 or published:
            self.stdout.write(f"{len(published)} article(s) published.")
