"""One delivery row per edition and subscriber, and the queue's sendings
and batches that create them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from newsletter.models.editions import Edition
from newsletter.models.subscribers import Subscriber


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"  # created, not yet handed to the SMTP server
        SENDING = "sending", "Sending"  # handed to the server, answer not recorded yet
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"  # refused or not reached; retried by the next run

    # Sending writes each delivery three times (pending, sending, sent), so
    # its indexes are few: an edition's deliveries are found through the
    # unique (edition, subscriber) index, and status has none. Updates that
    # touch no indexed column stay in their page (PostgreSQL's HOT updates,
    # with room left by the table's fillfactor, migration 0006): a fraction
    # of the writes, and of the log each commit waits to flush.
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    # Kept (anonymous) when a subscriber is forgotten, so counts stay right.
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("email to a subscriber")
        verbose_name_plural = gettext_lazy("emails to subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="newsletter_delivery_unique"
            )
        ]

    def __str__(self):
        return f"{self.edition} → {self.subscriber or 'forgotten subscriber'}"


class Sending(models.Model):
    """One press of Send: the edition's subscribers split into batches,
    each a task. Progress is read from the deliveries (the truth); this row
    says when sending was asked for, started and finished, and why it
    could not start, if it could not."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sendings")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)  # subscribers due when it started
    batch_size = models.PositiveIntegerField(default=500)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = gettext_lazy("sending of an edition")
        verbose_name_plural = gettext_lazy("sendings of editions")
        ordering = ["-pk"]

    def __str__(self):
        return f"Sending of {self.edition} ({self.requested_at:%Y-%m-%d %H:%M})"

    @property
    def is_running(self):
        return self.finished_at is None and not self.error


class SendBatch(models.Model):
    """Subscribers ``first_subscriber_id``…``last_subscriber_id`` of a sending.

    A worker takes a batch by a compare-and-set on ``status`` and beats
    ``heartbeat_at`` as it goes; a batch whose heartbeat stopped (its
    worker was killed) is taken over by another. Deliveries are claimed one
    by one as before, so a takeover never sends anything twice. A batch
    that could not be sent in NEWSLETTER_BATCH_ATTEMPTS runs (the mail
    server unreachable or refusing everything) is *failed*, with ``error``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"  # gave up after its attempts; Send again resumes

    sending = models.ForeignKey(Sending, on_delete=models.CASCADE, related_name="batches")
    first_subscriber_id = models.BigIntegerField()
    last_subscriber_id = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)  # how many times a worker took it
    retry_failed = models.BooleanField(default=False)  # a later pass over temporary failures
    error = models.TextField(blank=True)  # why its last run could not send it

    class Meta:
        verbose_name = gettext_lazy("batch of emails")
        verbose_name_plural = gettext_lazy("batches of emails")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.sending}: {self.first_subscriber_id}–{self.last_subscriber_id}"
