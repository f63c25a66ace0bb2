"""`make serve` keeps its task worker running: a worker killed with
SIGKILL is started again. The recipe is run for real by make and sh, with
stand-ins for python and gunicorn (BIN=…) that record how they are called,
so no server or database is needed."""

import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.paths import ROOT

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="needs make")


def _workers(log):
    """Process ids of the stand-in workers started so far."""
    if not log.exists():
        return []
    return [line.split()[0] for line in log.read_text().splitlines() if "manage.py worker" in line]


def _alive(pid):
    try:
        os.kill(int(pid), 0)
        return True
    except ProcessLookupError:
        return False


def _wait(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def test_make_serve_starts_the_worker_again_after_sigkill(tmp_path):
    bin_dir, log = tmp_path / "bin", tmp_path / "calls"
    bin_dir.mkdir()
    (bin_dir / "python").write_text(
        f'#!/bin/sh\necho "$$ $*" >> {log}\n'
        'case "$*" in *"manage.py worker"*) exec sleep 300;; esac\n'
    )
    (bin_dir / "gunicorn").write_text("#!/bin/sh\nexec sleep 300\n")
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    make = subprocess.Popen(
        ["make", "-s", "serve", f"BIN={bin_dir}", "STAMP=", "MO="],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SECRET_KEY": "test"},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait(lambda: len(_workers(log)) == 1, 20), log.read_text()
        [first] = _workers(log)
        os.kill(int(first), signal.SIGKILL)
        assert _wait(lambda: len(_workers(log)) == 2, 15), "the worker was not started again"
        second = _workers(log)[1]
        assert _alive(second) and make.poll() is None
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.wait(15)
    assert "the task worker exited" in make.stderr.read()
    # Stopping make serve stops the worker it started, and no new one comes.
    assert _wait(lambda: not _alive(second), 10)
    time.sleep(0.5)
    assert len(_workers(log)) == 2
