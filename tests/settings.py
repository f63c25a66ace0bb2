"""Settings for the test suite: the real settings, with a fixed key and
files kept out of the developer's own var/ directory."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-" + "x" * 40)
# Under pytest-xdist each test process gets its own var/ (file caches,
# media, static): the processes inherit the controller's environment, so a
# directory chosen once would be shared and one process's cache clear would
# empty another's. Worker processes that tests start inherit the test
# process's choice through the environment.
_XDIST = os.environ.get("PYTEST_XDIST_WORKER", "")
_VAR_KEY = f"HEALTHLIB_VAR_DIR_{_XDIST.upper()}" if _XDIST else "HEALTHLIB_VAR_DIR"
os.environ.setdefault(_VAR_KEY, tempfile.mkdtemp(prefix=f"healthlib-test-{_XDIST}"))
os.environ["HEALTHLIB_VAR_DIR"] = os.environ[_VAR_KEY]

from healthlib.settings import *  # noqa: E402,F403
from healthlib.settings import STORAGES  # noqa: E402

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

if _XDIST and CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    # A shared Redis cache is emptied between tests (FLUSHDB): each test
    # process uses its own database number, the configured one plus its
    # xdist index (gw0 keeps it), so parallel processes never empty each
    # other's cache.
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(CACHES["default"]["LOCATION"])  # noqa: F405
    _db = int(_url.path.strip("/") or 0) + int(_XDIST.removeprefix("gw"))
    CACHES["default"]["LOCATION"] = urlunsplit(_url._replace(path=f"/{_db}"))  # noqa: F405
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

# The Redis database the RQ tests empty and use as their queue: one per
# xdist process (9, 10, …), apart from the cache's; RQ_TEST_URL in the
# environment chooses another (two checkouts testing on one Redis).
RQ_TEST_URL = os.environ.get("RQ_TEST_URL") or (
    f"redis://127.0.0.1:6379/{9 + int(_XDIST.removeprefix('gw') or 0)}"
)
# A sender of a real domain, as production has (healthlib.W001 warns about
# an @localhost one, and manage.py commands the tests run print the warning).
DEFAULT_FROM_EMAIL = SERVER_EMAIL = "healthlib <healthlib@health.example.org>"
