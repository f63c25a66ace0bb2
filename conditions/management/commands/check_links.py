"""Check organizations' and references' addresses now (the worker does it weekly)."""

from django.core.management.base import BaseCommand

from conditions.review import linkcheck


class Command(BaseCommand):
    help = (
        "Check every organization and reference address (HEAD, then GET) and store the results "
        "shown on the admin dashboard and in the publish gate. The worker runs this weekly."
    )

    def handle(self, **options):
        report = linkcheck.check_all()
        for url in report.broken:
            self.stdout.write(f"broken: {url}")
        self.stdout.write(f"{report.checked} checked, {len(report.broken)} broken.")
