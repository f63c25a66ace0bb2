"""Load the demo library: each app's demo content and the demo accounts.
Idempotent; refuses to run with debug off. It lives in the project, which
composes the apps, so that no app needs to know another's demo."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from conditions import services
from conditions.demo import REVIEW
from conditions.demo import loader as demo_loader
from healthlib.lib.roles import EDITORS, NEWSLETTER_EDITORS, REVIEWERS
from newsletter import demo as newsletter_demo

# username: group. The first name (Editor, Reviewer…) shows in the history.
ACCOUNTS = {
    "editor": EDITORS,
    "reviewer": REVIEWERS,
    "newsletter": NEWSLETTER_EDITORS,
}
# Each account has an address (example.org never receives mail), so the
# review loop's emails show on the console as they would be sent.
EMAIL_DOMAIN = "example.org"


class Command(BaseCommand):
    help = (
        "Load the seed's Myoclonus article and its Spanish translation (published) and demo "
        "accounts. Debug only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DJANGO_DEBUG off (for tests)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo only runs with DJANGO_DEBUG on; it creates demo accounts."
            )
        with transaction.atomic():
            # The accounts come first: the demo article's history is made by
            # them. With debug off (tests' --force) no account is created
            # and the system makes those changes.
            accounts = self._accounts() if settings.DEBUG else {}
            condition, created = demo_loader.load_myoclonus(
                editor=accounts.get("editor"), reviewer=accounts.get("reviewer")
            )
            self.stdout.write(
                f"{'Created' if created else 'Already present'}: /conditions/{condition.slug}/"
            )
            translation, created = demo_loader.load_myoclonus_translation(
                condition, editor=accounts.get("editor"), reviewer=accounts.get("reviewer")
            )
            self.stdout.write(
                f"{'Created' if created else 'Already present'}: "
                f"{translation.get_absolute_url()} (the Spanish translation)"
            )
            added = demo_loader.load_glossary()
            self.stdout.write(f"Glossary terms added: {added}")
            for line in newsletter_demo.load():
                self.stdout.write(line)

    def _accounts(self):
        User = get_user_model()
        accounts = {}
        for username, group in ACCOUNTS.items():
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "first_name": username.title()}
            )
            user.is_staff = True
            user.email = user.email or f"{username}@{EMAIL_DOMAIN}"
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
            accounts[username] = user
            self.stdout.write(
                f"Demo account: {username} / {password} ({group}) at http://localhost:8000/admin/"
            )
        # The demo reviewer's byline, prefilled when they publish.
        services.save_byline(
            user=accounts["reviewer"],
            name=REVIEW["reviewer_name"],
            credentials=REVIEW["reviewer_credentials"],
        )
        return accounts
