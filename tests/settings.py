"""Settings for the test suite: the real settings, with a fixed key and
files kept out of the developer's own var/ directory."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("HEALTHLIB_VAR_DIR", tempfile.mkdtemp(prefix="healthlib-test-"))

from healthlib.settings import *  # noqa: E402,F403
from healthlib.settings import STORAGES  # noqa: E402

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tasks run at once in the caller, except in the tests about the queue,
# which switch to the database backend and run real workers.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
