"""gunicorn settings for production: `gunicorn -c healthlib/gunicorn.conf.py healthlib.wsgi`.

Every value can be overridden with the usual GUNICORN_CMD_ARGS or the
variables below.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One worker per core. Rendering a page is CPU work and the database answers
# in well under a millisecond, so more workers than cores only queue behind
# each other and stretch the slowest responses (measured with make bench:
# p99 of an uncached article 33 ms with 2 workers, 51 ms with 3, 69 ms with 5
# on 2 cores). Raise GUNICORN_WORKERS when the database is far away.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# Load the application once in the master so workers share its memory.
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):
    # Objects loaded by the preloaded application never need collecting;
    # frozen, the collector skips them in every worker (and pages stay shared).
    gc.freeze()
