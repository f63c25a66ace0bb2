"""The page cache's tag versions are one truth for every process of a
deployment: a publish in the task worker must make the web processes'
pages stale. With the default local-memory cache they live in a store on
disk (diskcache, see settings.CACHES["pagecache_tags"]); with Redis, in
Redis. Either way, another process's bump is seen here."""

import os
import subprocess
import sys

from healthlib.lib import pagecache
from tests.paths import ROOT

BUMP = "import django; django.setup(); from healthlib.lib import pagecache; pagecache.bump(*{!r})"


def bump_in_another_process(*tags):
    # The same settings and, through the environment, the same var/ folder
    # (or Redis database) as this test process; a database of its own (a
    # bump asks the connection whether a transaction is open, and the test
    # database may be one only this process can reach).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": "sqlite://:memory:",
    }
    subprocess.run(
        [sys.executable, "-c", BUMP.format(tags)], cwd=ROOT, env=env, check=True, timeout=60
    )


def test_a_bump_in_another_process_makes_this_ones_pages_stale():
    tags = ["article:myoclonus", "az"]
    before = pagecache._versions(tags)
    assert pagecache._versions(tags) == before  # read twice, unchanged

    bump_in_another_process("article:myoclonus")

    after = pagecache._versions(tags)
    assert after[0] != before[0], "the other process's publish did not reach this process"
    assert after[1] == before[1], "a tag nobody bumped changed"
