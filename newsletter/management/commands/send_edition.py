"""Send an edition to every confirmed subscriber who has not had it: on the
task queue (the default), or here in the foreground with --here."""

import time

from django.core.management.base import BaseCommand, CommandError

from newsletter import sending, services
from newsletter.models import Edition

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Send the edition SLUG to every confirmed subscriber who has not had it yet. By default "
        "the workers send it (see `manage.py worker`); --wait follows their progress, --here "
        "sends from this process instead. Safe to run again: only what is missing goes out."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The edition's slug, as in /newsletter/<slug>/.")
        parser.add_argument(
            "--wait", action="store_true", help="Show a progress bar until the workers are done."
        )
        parser.add_argument(
            "--here",
            action="store_true",
            help="Send from this process, without workers (for cron or a machine without them).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=services.BATCH_SIZE,
            help=f"Subscribers per batch and SMTP connection (default {services.BATCH_SIZE}).",
        )
        parser.add_argument(
            "--resend-interrupted",
            action="store_true",
            help="With --here: also resend deliveries a crashed run left 'sending' (they may "
            "have arrived).",
        )

    def handle(self, slug, wait, here, batch_size, resend_interrupted, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        edition = Edition.objects.select_related("newsletter").sources().filter(slug=slug).first()
        if edition is None:
            raise CommandError(f"No edition with the slug “{slug}”.")
        if here:
            return self._send_here(edition, batch_size, resend_interrupted)
        run = sending.request_sending(edition=edition, batch_size=batch_size)
        self.stdout.write(f"Sending “{edition}” in the background (the workers send it).")
        if not wait:
            self.stdout.write("Follow it on the edition's admin page, or run again with --wait.")
            return
        self._follow(run)

    def _follow(self, run):
        last = ""
        while True:
            run.refresh_from_db()
            p = sending.progress(sending=run)
            filled = BAR_WIDTH * p.percent // 100
            eta = "" if p.eta_seconds is None else f", {p.eta_seconds} s left"
            line = (
                f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {p.percent:3d}%  "
                f"{p.sent} sent, {p.failed} failed, {p.remaining} remaining  "
                f"{p.rate} msg/s{eta}"
            )
            if line != last:
                # \r redraws the bar in a terminal; a log gets one line each.
                ending = "\r" if self.stdout.isatty() else "\n"
                self.stdout.write(line, ending=ending)
                last = line
            if p.error:
                raise CommandError(p.error)
            if p.stopped and p.finished:
                self.stdout.write("")
                raise CommandError(
                    p.stopped.replace(
                        sending.RESUME,
                        "Run send_edition again once the mail server works: only what was not"
                        " sent goes out.",
                    )
                )
            if p.finished:
                break
            time.sleep(0.5)
        self.stdout.write("")
        if p.in_flight:
            self.stderr.write(
                f"{p.in_flight} delivery was interrupted mid-send and may have arrived; it is "
                "not resent (send_edition --here --resend-interrupted resends it)."
            )
        if p.failed:
            raise CommandError(
                f"{p.failed} messages failed ({'; '.join(p.errors)}); {p.bounced} of them bounced."
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {p.sent} sent."))

    def _send_here(self, edition, batch_size, resend_interrupted):
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
