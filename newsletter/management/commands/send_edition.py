"""Send an edition to every confirmed subscriber who has not had it."""

from django.core.management.base import BaseCommand, CommandError

from newsletter import services
from newsletter.models import Edition


class Command(BaseCommand):
    help = (
        "Send the edition SLUG to every confirmed subscriber who has not had it yet. "
        "Safe to run again: after new sign-ups, failures or a crash it sends only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The edition's slug, as in /newsletter/<slug>/.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=services.BATCH_SIZE,
            help=f"Subscribers per SMTP connection (default {services.BATCH_SIZE}).",
        )
        parser.add_argument(
            "--resend-interrupted",
            action="store_true",
            help="Also resend deliveries a crashed run left 'sending' (they may have arrived).",
        )

    def handle(self, slug, batch_size, resend_interrupted, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        edition = Edition.objects.select_related("newsletter").filter(slug=slug).first()
        if edition is None:
            raise CommandError(f"No edition with the slug “{slug}”.")

        def progress(report):
            done = report.sent + report.failed
            self.stdout.write(
                f"{done}/{report.total} messages: {report.sent} sent, {report.failed} failed"
            )

        self.stdout.write(f"Sending “{edition}”…")
        try:
            report = services.send_edition(
                edition=edition,
                batch_size=batch_size,
                progress=progress,
                resend_interrupted=resend_interrupted,
            )
        except services.SendingError as exc:
            raise CommandError(f"{exc}. Nothing more was sent; run again to continue.")
        if report.total == 0:
            self.stdout.write("Nobody to send to: every confirmed subscriber has had it.")
        if report.in_flight:
            self.stderr.write(
                f"{report.in_flight} delivery was interrupted mid-send by an earlier run and may "
                "have arrived; it is not resent (use --resend-interrupted to resend it)."
            )
        if report.stopped:
            raise CommandError(
                f"Stopped: {report.stopped} ({'; '.join(report.errors)}); "
                f"{report.sent} sent. Run again to send the rest."
            )
        if report.failed:
            raise CommandError(
                f"{report.failed} of {report.sent + report.failed} messages failed "
                f"({'; '.join(report.errors)}). Run again to retry them."
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {report.sent} sent."))
