"""The health library's background tasks: thin wrappers around services."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task, task_backends

from conditions.partners import webhooks
from conditions.review import linkcheck
from conditions.services import schedule
from healthlib.lib.taskqueue import task_with_retries


@task_with_retries(attempts=4, backoff=60)
def send_notification(subject, body, recipients):
    """A review-loop email (conditions.review.notifications)."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@task()
def publish_scheduled_task():
    """The worker-side schedule's replacement for the publish_scheduled cron line."""
    run = schedule.publish_scheduled()
    return {
        "published": [c.slug for c in run.published],
        "failed": [[c.slug, reason] for c, reason in run.failed],
    }


@task()
def check_links_task():
    """The weekly link check: organizations' and references' addresses."""
    report = linkcheck.check_all()
    return {"checked": report.checked, "broken": report.broken}


@task()
def deliver_webhook(delivery_id):
    """One attempt at a partner's webhook delivery; the next one is enqueued
    for later (``conditions.partners.webhooks`` says when) while it fails."""
    wait = webhooks.deliver(delivery_id)
    if wait is not None:
        later = deliver_webhook
        if task_backends[deliver_webhook.backend].supports_defer:
            later = deliver_webhook.using(run_after=timezone.now() + timedelta(seconds=wait))
        later.enqueue(delivery_id)
    return {"retry_in": wait}
