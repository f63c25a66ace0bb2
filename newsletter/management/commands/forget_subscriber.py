"""Erase a subscriber's personal data (a right-to-erasure request)."""

from django.core.management.base import BaseCommand, CommandError

from newsletter import signups


class Command(BaseCommand):
    help = (
        "Erase everything about the person with this address: subscriptions, consent records, "
        "error texts and admin history. Delivery counts stay, anonymous."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, email, **options):
        erased = signups.forget_subscriber(email=email)
        if not erased:
            raise CommandError(f"No subscriber with the address “{email.strip()}”.")
        self.stdout.write(
            self.style.SUCCESS(f"Erased {erased} subscription{'s' if erased != 1 else ''}.")
        )
