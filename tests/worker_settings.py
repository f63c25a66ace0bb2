"""Settings for worker processes started by tests: the test settings, with
the database queue, the SMTP server named in EMAIL_URL (the test settings
use local memory), and short stall and watch periods."""

import os

import environ

from tests.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
vars().update(environ.Env.email_url_config(os.environ["EMAIL_URL"]))
NEWSLETTER_BATCH_STALE_SECONDS = float(os.environ.get("NEWSLETTER_BATCH_STALE_SECONDS", "3"))
NEWSLETTER_WATCH_SECONDS = float(os.environ.get("NEWSLETTER_WATCH_SECONDS", "1"))
TASKS_STALE_SECONDS = float(os.environ.get("TASKS_STALE_SECONDS", "2"))
