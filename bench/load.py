#!/usr/bin/env python
"""Load benchmark of the production stack (`make bench`). Not a test.

For each stack (SQLite + local-memory cache, PostgreSQL + Redis) it builds a
database of generated published articles, starts gunicorn + whitenoise on
loopback with production settings, drives it with wrk and prints
requests/s and latency for a static file, an article page (cached, and
uncached), the A–Z page, search and the API; then publishes articles while
under load and checks that no response fails and no page is stale. It also
counts the article page's SQL queries at 10 and at N articles.

    .venv/bin/python bench/load.py [--articles 10000] [--stack sqlite|postgres|both]
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
GOALS = textwrap.dedent(
    """\
    Goals: cached article >= 50% of the static file's requests/s; uncached article p99 < 50 ms
    at 4 connections; no error and no stale page while publishing; constant article queries."""
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk (Debian package)…", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL
        )
        if shutil.which("wrk"):
            return
    sys.exit("bench: wrk is needed; install it with `sudo apt-get install wrk`.")


def stack_env(stack, tmp, port):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthlib.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "HEALTHLIB_VAR_DIR": str(tmp),
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "ERROR",
    }
    if stack == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        env.pop("CACHE_URL", None)
    else:
        env["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/healthlib_bench"
        )
        env["CACHE_URL"] = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9")
    return env


def reset_postgres(env):
    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    code = (
        "import psycopg,sys\n"
        f"c=psycopg.connect({admin_url!r}, autocommit=True)\n"
        f"c.execute('DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)')\n"
        f"c.execute('CREATE DATABASE \"{name}\"')\n"
    )
    subprocess.run([PYTHON, "-c", code], check=True)
    import redis  # noqa: PLC0415 - only this stack needs it

    redis.Redis.from_url(env["CACHE_URL"]).flushdb()


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def run_inside(env, *args):
    """Run this script in a subprocess with Django set up for the stack."""
    result = subprocess.run(
        [PYTHON, __file__, *args], cwd=ROOT, env=env, check=False, stdout=subprocess.PIPE, text=True
    )
    if result.returncode:
        raise SystemExit(f"bench: {' '.join(args[:1])} failed (see above)")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- inside the stack (subprocess modes) ---------------------------------


def _setup_django():
    import django

    django.setup()


def _count_article_queries(slug):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from healthlib.lib import pagecache

    pagecache.clear()
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/conditions/{slug}/", secure=True, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, response.status_code
    return len(queries)


def mode_populate(n):
    _setup_django()
    from django.conf import settings

    from bench.generate import generate

    settings.ALLOWED_HOSTS.append("testserver")
    first = generate(10, seed=1)
    _render()
    queries_small = _count_article_queries(first[0])
    start = time.perf_counter()
    slugs = first + generate(
        n - 10,
        seed=2,
        progress=lambda k: (
            print(f"  generated {k + 10} articles", file=sys.stderr, flush=True)
            if k % 2000 == 0
            else None
        ),
    )
    generate_seconds = time.perf_counter() - start
    index_seconds = _reindex()
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load; without fresh
        # statistics the planner guesses badly on the new tables (rendering
        # 10,000 articles took 78 ms each before, on a busy machine).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    render_seconds = _render()
    queries_large = _count_article_queries(first[0])
    print(
        json.dumps(
            {
                "slugs": slugs,
                "queries_small": queries_small,
                "queries_large": queries_large,
                "generate_s": generate_seconds,
                "index_s": index_seconds,
                "render_s": render_seconds,
            }
        )
    )


def _render():
    """Store the rendered pages of the generated articles (written in bulk,
    not published one by one), as ``rebuild_rendered_pages`` does."""
    from conditions.publishing import rendering

    start = time.perf_counter()
    rendering.rebuild(stale_only=True)
    return time.perf_counter() - start


def _reindex():
    """Build the search index for the generated articles, if search exists."""
    start = time.perf_counter()
    try:
        from conditions import search
    except ImportError:
        return 0.0
    for name in ("reindex_all", "rebuild", "reindex"):
        rebuild = getattr(search, name, None)
        if callable(rebuild):
            rebuild()
            break
    return time.perf_counter() - start


def mode_publish(slug, base_url, rounds):
    """Publish edits of one article; after each publish returns, read the page."""
    _setup_django()
    from conditions import services
    from conditions.models import Condition
    from conditions.publishing import snapshots

    stale = failures = 0
    condition = Condition.objects.editable().get(slug=slug)
    for k in range(rounds):
        marker = f"Bench edit {k} {secrets.token_hex(4)}"
        data = snapshots.take(condition)
        data["summary"] = marker
        services.update_article(condition=condition, data=data)
        services.publish(condition=condition, update_note=f"Round {k}")
        request = urllib.request.Request(f"{base_url}/conditions/{slug}/", headers=HEADERS)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                if marker not in response.read().decode():
                    stale += 1
        except OSError:
            failures += 1
        time.sleep(0.2)
    print(json.dumps({"rounds": rounds, "stale": stale, "failures": failures}))


# --- driving the server ---------------------------------------------------


def lua_rotation(paths, tmp, name):
    # Each wrk thread walks its own stride through the list, so with N
    # paths the first N requests are all different.
    quoted = ",".join(json.dumps(p) for p in paths)
    script = tmp / f"{name}.lua"
    script.write_text(
        textwrap.dedent(f"""
        local paths = {{{quoted}}}
        local counter = 0
        local offset = 0
        local threads = 0
        setup = function(thread)
          thread:set("offset", threads * 7919)
          threads = threads + 1
        end
        request = function()
          counter = counter + 1
          local path = paths[((counter + offset) % #paths) + 1]
          return wrk.format("GET", path)
        end
    """)
    )
    return script


def wrk(url, *, connections, duration, threads=2, script=None, headers=()):
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "-H",
        "X-Forwarded-Proto: https",
    ]
    for header in headers:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout

    def latency(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(0) if errors else "",
        "raw": out,
    }


def worker_memory(master_pid):
    """Peak resident memory (MB) of each gunicorn worker."""
    peaks = []
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            status = (child / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", status, re.MULTILINE):
            peak = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if peak:
                peaks.append(int(peak.group(1)) / 1024)
    return peaks


def wait_for(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            request = urllib.request.Request(url, headers=HEADERS)
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"bench: the server did not answer at {url}")


def bench_stack(stack, args):
    tmp = Path(tempfile.mkdtemp(prefix=f"healthlib-bench-{stack}-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = stack_env(stack, tmp, port)
    print(
        f"\n=== {stack}: {env['DATABASE_URL']} · cache {env.get('CACHE_URL', 'local memory')}",
        flush=True,
    )
    if stack == "postgres":
        reset_postgres(env)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    print(f"Generating {args.articles} articles…", flush=True)
    populated = run_inside(env, "--populate", str(args.articles))
    slugs = populated["slugs"]
    print(
        f"  {populated['generate_s']:.0f} s to generate, {populated['index_s']:.0f} s to index, "
        f"{populated['render_s']:.0f} s to render"
    )
    manifest = json.loads((tmp / "static" / "staticfiles.json").read_text())["paths"]
    static_url = f"{base}/static/{manifest['healthlib/site.css']}"

    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "-c",
            "healthlib/gunicorn.conf.py",
            "healthlib.wsgi",
        ],
        cwd=ROOT,
        env=server_env,
        stderr=subprocess.DEVNULL,
    )
    results = {}
    try:
        wait_for(f"{base}/")
        d = args.duration
        article = f"{base}/conditions/{slugs[0]}/"
        wrk(article, connections=4, duration=1)  # warm the page cache
        results["static file"] = wrk(static_url, connections=args.connections, duration=d)
        results["article (cached)"] = wrk(article, connections=args.connections, duration=d)
        uncached = lua_rotation([f"/conditions/{s}/" for s in slugs[1:]], tmp, "articles")
        results["article (uncached)"] = wrk(base + "/", connections=4, duration=d, script=uncached)
        wrk(f"{base}/conditions/?letter=a", connections=2, duration=1)
        results["A–Z page"] = wrk(
            f"{base}/conditions/?letter=a", connections=args.connections, duration=d
        )
        queries = [
            "muscle pain",
            "tremor",
            "chronic arthritis",
            '"joint swelling"',
            "myoclonis",
            "zzzz rare",
            "blood pressure heart",
            "sleep",
        ]
        search = lua_rotation(
            [f"/search/?q={urllib.parse.quote(q)}" for q in queries], tmp, "search"
        )
        results["search"] = wrk(base + "/", connections=4, duration=d, script=search)
        api = lua_rotation([f"/api/conditions/{s}/" for s in slugs[1000:3000]], tmp, "api")
        results["API detail"] = wrk(base + "/", connections=4, duration=d, script=api)

        # Publishing under load: readers hammer one article while it changes.
        target = slugs[5]
        outcome = {}

        def publisher():
            outcome.update(run_inside(env, "--publish", target, base, str(args.publish_rounds)))

        thread = threading.Thread(target=publisher)
        thread.start()
        results["article while publishing"] = wrk(
            f"{base}/conditions/{target}/",
            connections=args.connections,
            duration=max(d, args.publish_rounds),
        )
        thread.join()
        memory = worker_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"\n{'page':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, r in results.items():
        print(
            f"{name:28} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} {r['non2xx']:8d}"
            + (f"  {r['socket_errors']}" if r["socket_errors"] else "")
        )
    ratio = results["article (cached)"]["rps"] / results["static file"]["rps"]
    p99 = results["article (uncached)"]["p99"]
    non2xx = sum(r["non2xx"] for r in results.values())
    print(
        f"\ncached article / static file: {ratio:.0%} (goal >= 50%: "
        f"{'met' if ratio >= 0.5 else 'NOT met'})"
    )
    print(
        f"uncached article p99 at 4 connections: {p99:.1f} ms (goal < 50 ms: "
        f"{'met' if p99 < 50 else 'NOT met'})"
    )
    print(
        f"non-2xx responses in all runs: {non2xx}; while publishing "
        f"{outcome.get('rounds')} times: {outcome.get('stale')} stale pages, "
        f"{outcome.get('failures')} failed reads (goal: 0, 0)"
    )
    print(
        f"article page SQL queries: {populated['queries_small']} with 10 articles, "
        f"{populated['queries_large']} with {args.articles} (goal: the same)"
    )
    print("peak memory per worker (MB): " + ", ".join(f"{m:.0f}" for m in memory))
    shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--stack", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--publish-rounds", type=int, default=10)
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--publish", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate:
        return mode_populate(args.populate)
    if args.publish:
        return mode_publish(args.publish[0], args.publish[1], int(args.publish[2]))
    if args.articles < 20:
        sys.exit("bench: --articles must be at least 20.")
    ensure_wrk()
    print(GOALS)
    stacks = ["sqlite", "postgres"] if args.stack == "both" else [args.stack]
    for stack in stacks:
        bench_stack(stack, args)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
