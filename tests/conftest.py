"""Fixtures shared by the whole suite."""

import pytest


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
