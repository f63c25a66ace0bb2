"""Fixtures shared by the whole suite."""

import os

import pytest
from hypothesis import settings as hypothesis_settings

# Locally, the property tests explore new random examples on every run. In
# CI (.ci/run sets CI) they run a fixed, reproducible set, so what lands is
# judged on the same examples every time; a failure found locally is fixed
# and kept as a regression test.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def _translations_compiled():
    """The Spanish pages need the .mo files, which are not committed: compiled
    here when missing or older than their .po (as `make` does)."""
    from healthlib.lib import catalogs

    catalogs.compile_all()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for name in ("default", "pagecache_tags", "pagecache_local"):
        caches[name].clear()
    yield
    for name in ("default", "pagecache_tags", "pagecache_local"):
        caches[name].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to a Spanish page
    leaves Spanish active in the thread (LocaleMiddleware activates it and
    nothing deactivates it), which would translate the next test's lazy
    labels ("Causas")."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
