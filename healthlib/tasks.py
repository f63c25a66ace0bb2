"""healthlib's own background task: recovering tasks whose worker died
(on the database queue or on RQ: taskqueue.recover_abandoned)."""

from django_tasks import task

from healthlib import taskqueue


@task()
def recover_abandoned_tasks():
    requeued, failed = taskqueue.recover_abandoned()
    return {"requeued": [str(pk) for pk in requeued], "failed": [str(pk) for pk in failed]}
