"""Settings for worker processes started by tests: the test settings, with
the queue TASKS_URL names (the database queue when unset), the SMTP server
named in EMAIL_URL (the test settings use local memory), and short stall
and watch periods."""

import os

import environ

from healthlib.lib.taskqueue import settings_from_url
from tests.settings import *  # noqa: F403

TASKS, _rq_queues = settings_from_url(os.environ.get("TASKS_URL", ""))
if _rq_queues:
    RQ_QUEUES = _rq_queues
vars().update(environ.Env.email_url_config(os.environ["EMAIL_URL"]))
NEWSLETTER_BATCH_STALE_SECONDS = float(os.environ.get("NEWSLETTER_BATCH_STALE_SECONDS", "3"))
NEWSLETTER_WATCH_SECONDS = float(os.environ.get("NEWSLETTER_WATCH_SECONDS", "1"))
TASKS_STALE_SECONDS = float(os.environ.get("TASKS_STALE_SECONDS", "2"))
TASKS_RECONNECT_MAX_SECONDS = float(os.environ.get("TASKS_RECONNECT_MAX_SECONDS", "10"))
