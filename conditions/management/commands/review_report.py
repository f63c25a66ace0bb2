"""Print the articles overdue for medical review and those due soon."""

from django.core.management.base import BaseCommand, CommandError

from conditions import selectors


class Command(BaseCommand):
    help = "List published articles overdue for review and those due within --days (30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Horizon for 'due soon'.")

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days must be zero or more.")
        overdue, soon = selectors.review_due(within_days=days)
        for heading, articles in (
            (f"Overdue for review ({len(overdue)})", overdue),
            (f"Due within {days} days ({len(soon)})", soon),
        ):
            self.stdout.write(heading)
            if not articles:
                self.stdout.write("  none")
            for a in articles:
                reviewer = f" · last reviewed {a.last_reviewed:%Y-%m-%d}" if a.last_reviewed else ""
                if a.reviewer_name:
                    reviewer += f" by {a.reviewer_display}"
                self.stdout.write(f"  {a.next_review_due:%Y-%m-%d}  {a.title} ({a.slug}){reviewer}")
