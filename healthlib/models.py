"""healthlib's own rows: the worker-side schedule's bookkeeping."""

from django.db import models


class ScheduledJob(models.Model):
    """When a scheduled task (healthlib.schedule) was last enqueued.

    Every worker runs the schedule; updating ``last_enqueued_at`` with a
    compare-and-set decides which one enqueues, so a job runs once per
    period however many workers there are.
    """

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name
