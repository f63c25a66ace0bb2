"""The object-storage tests against a real S3-compatible server.

Starts OpenStack Swift (Debian's swift-proxy, swift-object,
swift-container and swift-account) as a single node on loopback: rings
written with swift-ring-builder, data in a temporary folder under /tmp
(mount_check off), tempauth's user ``test:tester`` with the key
``testing``, and the s3api middleware in the proxy's pipeline. Then runs
tests/healthlib/lib/test_s3_storage.py with ``TEST_S3_URL`` pointing
at it, and stops Swift, whatever the tests did.

    .venv/bin/python .ci/object_storage.py [pytest arguments]

Exits with pytest's status. Without Swift installed it says so and exits
1 (``.ci/run`` installs it first).
"""

import getpass
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVERS = ("account", "container", "object")
TEST_MODULE = "tests/healthlib/lib/test_s3_storage.py"

SERVER_CONF = """\
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = {port}
devices = {devices}
mount_check = false
swift_dir = {swift_dir}
user = {user}
workers = 0
log_level = WARNING

[pipeline:main]
pipeline = healthcheck {kind}-server

[app:{kind}-server]
use = egg:swift#{kind}

[filter:healthcheck]
use = egg:swift#healthcheck
"""

PROXY_CONF = """\
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = {port}
swift_dir = {swift_dir}
user = {user}
workers = 0
log_level = WARNING

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats
    s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin

[filter:s3api]
use = egg:swift#s3api

# tempauth insists on a memcache client; with S3 signatures it only looks
# a token up, and a cache that answers nothing (no memcached listens here)
# makes it check every signature, which is what these tests want.
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:{no_memcached}

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"object storage: a Swift server exited ({process.args[0]})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthcheck", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"object storage: Swift on port {port} did not answer in {seconds} s")


def start_swift(tmp, processes):
    """Write the configuration and rings under ``tmp``, start the four
    servers (appended to ``processes`` as they start, for the caller to
    stop); return the proxy's port."""
    user = getpass.getuser()
    devices = tmp / "srv"
    (devices / "sdb1").mkdir(parents=True)
    ports = {kind: free_port() for kind in (*SERVERS, "proxy")}
    for kind in SERVERS:
        builder = str(tmp / f"{kind}.builder")
        for args in (
            ["create", "10", "1", "1"],
            ["add", f"r1z1-127.0.0.1:{ports[kind]}/sdb1", "1"],
            ["rebalance"],
        ):
            subprocess.run(
                [shutil.which("swift-ring-builder"), builder, *args],
                check=True,
                capture_output=True,
            )
        (tmp / f"{kind}-server.conf").write_text(
            SERVER_CONF.format(
                port=ports[kind], devices=devices, swift_dir=tmp, user=user, kind=kind
            )
        )
    (tmp / "proxy-server.conf").write_text(
        PROXY_CONF.format(port=ports["proxy"], swift_dir=tmp, user=user, no_memcached=free_port())
    )
    log = (tmp / "swift.log").open("w")
    for kind in (*SERVERS, "proxy"):
        processes.append(
            subprocess.Popen(
                [
                    shutil.which(f"swift-{kind}-server"),
                    str(tmp / f"{kind}-server.conf"),
                    "--verbose",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        )
    for kind, process in zip((*SERVERS, "proxy"), processes, strict=True):
        wait_healthy(ports[kind], process)
    return ports["proxy"]


def main(argv):
    missing = [
        f"swift-{k}-server" for k in (*SERVERS, "proxy") if not shutil.which(f"swift-{k}-server")
    ]
    if missing or not shutil.which("swift-ring-builder"):
        print(
            "object storage: Swift is not installed (apt-get install swift-proxy"
            " swift-object swift-container swift-account)",
            file=sys.stderr,
        )
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="healthlib-swift-", dir="/tmp"))
    processes = []
    status = 1
    try:
        started = time.monotonic()
        port = start_swift(tmp, processes)
        print(
            f"object storage: Swift with s3api on 127.0.0.1:{port}"
            f" ({time.monotonic() - started:.1f} s)",
            flush=True,
        )
        env = {
            **os.environ,
            "TEST_S3_URL": (
                f"s3://test%3Atester:testing@healthlib-ci"
                f"?endpoint_url=http://127.0.0.1:{port}&region=us-east-1"
            ),
        }
        status = subprocess.run(
            [sys.executable, "-m", "pytest", "-n0", "-p", "no:cacheprovider", TEST_MODULE, *argv],
            cwd=ROOT,
            env=env,
        ).returncode
        return status
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        log = tmp / "swift.log"
        if status and log.exists():
            # Swift's own account of the failure (its memcache complaints aside).
            lines = [line for line in log.read_text().splitlines() if "memcache" not in line]
            print("\n".join(lines[-40:]), file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
