"""Publish approved revisions whose go-live time has come. Run it every
minute from cron; concurrent runs never publish the same revision twice.
An article that cannot go live is reported (and the command exits non-zero)
without holding back the others."""

from django.core.management.base import BaseCommand, CommandError

from conditions import services


class Command(BaseCommand):
    help = "Publish the approved revisions that are due."

    def handle(self, *args, **options):
        run = services.publish_scheduled()
        for condition in run.published:
            self.stdout.write(f"Published {condition.title} (/conditions/{condition.slug}/)")
        if options["verbosity"] > 1 or run.published:
            self.stdout.write(f"{len(run.published)} article(s) published.")
        for condition, reason in run.failed:
            self.stderr.write(f"Not published: {condition.title}: {reason}")
        if run.failed:
            raise CommandError(f"{len(run.failed)} scheduled article(s) could not go live.")
