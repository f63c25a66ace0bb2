"""The newsletter's background tasks: thin wrappers around services.

Arguments are primary keys (tasks are stored as JSON); each task loads
what it needs and calls newsletter.sending, newsletter.editions or newsletter.signups.
"""

from django_tasks import task

from healthlib.lib.taskqueue import task_with_retries
from newsletter import digests, editions, sending, signups
from newsletter.models import Edition, Sending


@task()
def prepare_sending(sending_id):
    sending.prepare(sending=Sending.objects.select_related("edition").get(pk=sending_id))


@task()
def send_batch(batch_id):
    # No retries here: a batch that raises is taken over by watch_sending
    # once its heartbeat is stale, and deliveries make that safe.
    return sending.send_batch(batch_id=batch_id)


@task()
def watch_sending(sending_id):
    sending.watch(sending=Sending.objects.get(pk=sending_id))


@task()
def resume_sendings():
    sending.resume_all()


@task_with_retries(attempts=3, backoff=60)
def send_confirmation(subscriber_id):
    signups.send_confirmation(subscriber_id=subscriber_id)


@task_with_retries(attempts=3, backoff=30)
def send_test(edition_id, to):
    editions.send_test(edition=Edition.objects.get(pk=edition_id), to=to)


@task()
def expire_pending_signups():
    return signups.expire_pending()


@task()
def draft_digests():
    return [edition.pk for edition in digests.draft_due()]
