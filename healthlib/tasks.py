"""healthlib's own background task: recovering tasks whose worker died
(on the database queue or on RQ: workers.recover_abandoned)."""

from django_tasks import task

from healthlib import workers


@task()
def recover_abandoned_tasks():
    requeued, failed = workers.recover_abandoned()
    return {"requeued": [str(pk) for pk in requeued], "failed": [str(pk) for pk in failed]}
