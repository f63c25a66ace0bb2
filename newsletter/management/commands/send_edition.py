"""Send an edition to every confirmed subscriber who has not had it: on the
task queue (the default), or here in the foreground with --here."""

import argparse
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsletter import sending, services
from newsletter.models import Delivery, Edition

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
        # Kept so that old scripts still run: interrupted deliveries are
        # now always sent again (services.reclaim_interrupted).
        parser.add_argument("--resend-interrupted", action="store_true", help=argparse.SUPPRESS)

    def handle(self, slug, wait, here, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        edition = Edition.objects.select_related("newsletter").sources().filter(slug=slug).first()
        if edition is None:
            raise CommandError(f"No edition with the slug “{slug}”.")
        if here:
            return self._send_here(edition, batch_size)
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
        if p.failed:
            raise CommandError(
                f"{p.failed} messages failed ({'; '.join(p.errors)}); {p.bounced} of them bounced."
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {p.sent} sent."))

    def _send_here(self, edition, batch_size):
        def progress(report):
            done = report.sent + report.failed
            self.stdout.write(
                f"{done}/{report.total} messages: {report.sent} sent, {report.failed} failed"
            )

        self.stdout.write(f"Sending “{edition}”…")
        sent = 0
        while True:
            try:
                report = services.send_edition(
                    edition=edition, batch_size=batch_size, progress=progress
                )
            except services.SendingError as exc:
                raise CommandError(f"{exc}. Nothing more was sent; run again to continue.")
            sent += report.sent
            if report.stopped or report.failed or not report.in_flight:
                break
            # Deliveries left "sending" by a dropped connection, or by a run
            # that was killed (or is still running elsewhere): sent again
            # once their lease expires (a live run keeps renewing it).
            self._wait_for_lease(edition, report.in_flight)
        report.sent = sent
        if report.total == 0 and not sent:
            self.stdout.write("Nobody to send to: every confirmed subscriber has had it.")
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

    def _wait_for_lease(self, edition, count):
        oldest = (
            Delivery.objects.filter(edition=edition, status=Delivery.Status.SENDING)
            .order_by("updated_at")
            .values_list("updated_at", flat=True)
            .first()
        )
        if oldest is None:
            return  # finished by another run meanwhile
        wait = (oldest + services.stale_after() - timezone.now()).total_seconds()
        self.stdout.write(
            f"{count} message{'' if count == 1 else 's'} interrupted mid-send (by a dropped "
            f"connection or a stopped run); sending again in {max(wait, 0):.0f} s, unless "
            "another run is sending them."
        )
        time.sleep(max(wait, 0) + 0.1)
