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


class WorkerHeartbeat(models.Model):
    """The last sign of life of a ``manage.py worker`` (database queue).

    Each worker updates its row every few seconds from a thread beside the
    one running tasks. A task left *Running* by a worker whose heartbeat
    stopped lost its worker (killed, machine gone) and is handed to another
    by ``workers.recover_abandoned``, the same way a newsletter batch
    whose heartbeat stopped is taken over.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return self.worker_id
