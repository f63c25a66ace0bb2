#!/usr/bin/env python
"""The demo article on healthlib and on Wagtail, side by side. Not a test.

Builds a throwaway Wagtail site in a temporary virtualenv (``pip install
wagtail gunicorn whitenoise``; nothing of it enters requirements.txt or the
repository) holding the same article: the demo Myoclonus article's text as
heading and rich-text blocks of a StreamField page. Serves both with
gunicorn, 2 sync workers each, debug off, static files by whitenoise, and
alternates ``wrk`` rounds in one run:

* healthlib uncached: every request carries a session cookie, so the page
  cache neither serves nor stores it (``healthlib/lib/pagecache.py``);
* healthlib cached;
* Wagtail (the same session cookie: Wagtail has no page cache by default);
* a static file from each (the same stylesheet).

Prints each round, the medians, the ratios and the goals; then each page's
SQL queries and CPU time per request measured in-process, and a cProfile of
what remains of healthlib's uncached request.

    .venv/bin/python bench/vs_wagtail.py [--rounds 3] [--duration 10] [--connections 4]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402 - the path above makes bench importable
    PYTHON,
    ensure_wrk,
    free_port,
    manage,
    stack_env,
    wait_for,
    wrk,
)
from bench.vs_wagtail_inside import (  # noqa: E402
    SLUG,
    mode_export_blocks,
    mode_profile,
    mode_staff_session,
)

# The uncached article is what a logged-in staff session gets: anonymous
# readers, with or without cookies, get the cached page (docs/caching.md).
# Wagtail's page is never cached: any cookie does there.
WAGTAIL_COOKIE = "sessionid=bench-not-a-session"
GOALS = textwrap.dedent(
    """\
    Goals: uncached healthlib article >= 2 x Wagtail's requests/s; uncached p99 < 20 ms at
    4 connections; at most 3 SQL queries; cached article >= 0.5 x a static file."""
)


# --- the Wagtail site -------------------------------------------------------

WAGTAIL_SETTINGS = """\
from .base import *  # noqa

DEBUG = False
SECRET_KEY = "bench-only-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["articles", *INSTALLED_APPS]
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
"""

WAGTAIL_MODELS = """\
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page


class ArticlePage(Page):
    body = StreamField(
        [("heading", blocks.CharBlock(form_classname="title")),
         ("paragraph", blocks.RichTextBlock())],
        use_json_field=True,
    )
"""

WAGTAIL_TEMPLATE = """\
{% extends "base.html" %}
{% load wagtailcore_tags static %}
{% block extra_css %}<link rel="stylesheet" href="{% static 'bench/site.css' %}">{% endblock %}
{% block content %}
<article>
  <h1>{{ page.title }}</h1>
  {% for block in page.body %}
    {% if block.block_type == "heading" %}<h2>{{ block.value }}</h2>
    {% else %}{% include_block block %}{% endif %}
  {% endfor %}
</article>
{% endblock %}
"""

WAGTAIL_LOAD = """\
import json, sys
import django
django.setup()
from wagtail.models import Page, Site
from articles.models import ArticlePage

data = json.load(open(sys.argv[1]))
home = Site.objects.get(is_default_site=True).root_page
page = ArticlePage(title=data["title"], slug="myoclonus", body=data["blocks"])
home.add_child(instance=page)
page.save_revision().publish()
"""

WAGTAIL_PROFILE = """\
import json, time
import django
django.setup()
from django.db import connection
from django.test import Client

client = Client()
client.cookies["sessionid"] = "bench-not-a-session"
url = "/myoclonus/"
for _ in range(50):
    assert client.get(url).status_code == 200
queries = []
with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
    response = client.get(url)
n = 300
start = time.process_time()
for _ in range(n):
    client.get(url)
ms = (time.process_time() - start) * 1000 / n
print(json.dumps({"ms": ms, "queries": len(queries), "bytes": len(response.content)}))
"""


def build_wagtail(tmp, blocks_path):
    venv = tmp / "wagtail-venv"
    print("Building the Wagtail site in a temporary virtualenv (pip install wagtail)…", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    vpython = venv / "bin" / "python"
    subprocess.run(
        [vpython, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        + ["wagtail", "gunicorn", "whitenoise"],
        check=True,
    )
    version = subprocess.run(
        [vpython, "-c", "import wagtail; print(wagtail.__version__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    site = tmp / "wagtailsite"
    site.mkdir()
    subprocess.run([venv / "bin" / "wagtail", "start", "benchsite", str(site)], check=True)
    (site / "benchsite" / "settings" / "bench.py").write_text(WAGTAIL_SETTINGS)
    app = site / "articles"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    (app / "models.py").write_text(WAGTAIL_MODELS)
    (app / "templates" / "articles").mkdir(parents=True)
    (app / "templates" / "articles" / "article_page.html").write_text(WAGTAIL_TEMPLATE)
    (app / "static" / "bench").mkdir(parents=True)
    shutil.copy(ROOT / "healthlib" / "static" / "healthlib" / "site.css", app / "static" / "bench")
    (site / "load_article.py").write_text(WAGTAIL_LOAD)
    (site / "profile_article.py").write_text(WAGTAIL_PROFILE)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchsite.settings.bench",
        "PYTHONPATH": str(site),
    }
    env.pop("DATABASE_URL", None)

    def run(*args):
        subprocess.run([vpython, *args], cwd=site, env=env, check=True, stdout=subprocess.DEVNULL)

    run("manage.py", "makemigrations", "articles")
    run("manage.py", "migrate", "--noinput")
    run("manage.py", "collectstatic", "--noinput")
    run("load_article.py", str(blocks_path))
    manifest = json.loads((site / "static" / "staticfiles.json").read_text())["paths"]
    return venv, site, env, version, manifest["bench/site.css"]


# --- driving both -------------------------------------------------------------


def start(cmd, cwd, env):
    return subprocess.Popen(cmd, cwd=cwd, env=env, stderr=subprocess.DEVNULL)


def median(values):
    return statistics.median(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--profile-requests", type=int, default=300)
    parser.add_argument("--export-blocks", help=argparse.SUPPRESS)
    parser.add_argument("--profile", help=argparse.SUPPRESS)
    parser.add_argument("--staff-session", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_blocks:
        return mode_export_blocks(args.export_blocks)
    if args.staff_session:
        return mode_staff_session()
    if args.profile:
        return mode_profile(args.profile, args.profile_requests)

    ensure_wrk()
    print(GOALS)
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    tmp = Path(tempfile.mkdtemp(prefix="healthlib-vs-wagtail-"))
    servers = []
    try:
        hl_port, wt_port = free_port(), free_port()
        hl, wt = f"http://127.0.0.1:{hl_port}", f"http://127.0.0.1:{wt_port}"
        (tmp / "hl").mkdir()
        env = stack_env("sqlite", tmp / "hl", hl_port)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "load_demo", "--force", "-v0")
        blocks = tmp / "blocks.json"
        subprocess.run(
            [PYTHON, __file__, "--export-blocks", str(blocks)], cwd=ROOT, env=env, check=True
        )
        staff_cookie = subprocess.run(
            [PYTHON, __file__, "--staff-session"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        hl_static = json.loads((tmp / "hl" / "static" / "staticfiles.json").read_text())["paths"][
            "healthlib/site.css"
        ]
        venv, site, wt_env, wt_version, wt_static = build_wagtail(tmp, blocks)

        servers.append(
            start(
                [str(Path(PYTHON).parent / "gunicorn"), "-c", "healthlib/gunicorn.conf.py"]
                + ["healthlib.wsgi"],
                ROOT,
                {**env, "GUNICORN_BIND": f"127.0.0.1:{hl_port}", "GUNICORN_WORKERS": "2"},
            )
        )
        servers.append(
            start(
                [str(venv / "bin" / "gunicorn"), "benchsite.wsgi", "--workers", "2"]
                + ["--preload", "--bind", f"127.0.0.1:{wt_port}", "--log-level", "error"],
                site,
                wt_env,
            )
        )
        wait_for(f"{hl}/conditions/{SLUG}/")
        wait_for(f"{wt}/{SLUG}/")

        targets = {
            "healthlib uncached": (f"{hl}/conditions/{SLUG}/", staff_cookie),
            "healthlib cached": (f"{hl}/conditions/{SLUG}/", None),
            "Wagtail": (f"{wt}/{SLUG}/", WAGTAIL_COOKIE),
            "healthlib static": (f"{hl}/static/{hl_static}", None),
            "Wagtail static": (f"{wt}/static/{wt_static}", None),
        }
        for url, cookie in targets.values():
            measure(url, cookie, connections=2, duration=2)  # warm up
        results = {name: [] for name in targets}
        for n in range(1, args.rounds + 1):
            print(f"\nround {n} (load average {os.getloadavg()[0]:.2f})", flush=True)
            for name, (url, cookie) in targets.items():
                r = measure(url, cookie, connections=args.connections, duration=args.duration)
                results[name].append(r)
                print(
                    f"  {name:20} {r['rps']:8.0f} req/s  p50 {r['p50']:6.2f} ms  "
                    f"p99 {r['p99']:6.2f} ms  non-2xx {r['non2xx']}",
                    flush=True,
                )
        load_end = os.getloadavg()
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)

    print(f"\nmedians of {args.rounds} rounds, {args.connections} connections")
    print(f"Wagtail {wt_version}")
    print(f"{'':22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    med = {}
    for name, rs in results.items():
        med[name] = {k: median([r[k] for r in rs]) for k in ("rps", "p50", "p99")}
        print(f"{name:22}{med[name]['rps']:9.0f}{med[name]['p50']:9.2f}{med[name]['p99']:9.2f}")

    def ratios(a, b):
        return [x["rps"] / y["rps"] for x, y in zip(results[a], results[b], strict=True)]

    per_round = ratios("healthlib uncached", "Wagtail")
    cached = ratios("healthlib cached", "healthlib static")
    wt_static_ratio = med["Wagtail"]["rps"] / med["Wagtail static"]["rps"]
    print(
        "\nuncached healthlib / Wagtail: "
        + ", ".join(f"{x:.2f}" for x in per_round)
        + f" by round (goal >= 2: {'met' if min(per_round) >= 2 else 'NOT met'})"
    )
    p99 = med["healthlib uncached"]["p99"]
    met = "met" if p99 < 20 else "NOT met"
    print(f"uncached healthlib p99: {p99:.1f} ms (goal < 20 ms: {met})")
    print(
        "cached healthlib / healthlib static: "
        + ", ".join(f"{x:.2f}" for x in cached)
        + f" by round (goal >= 0.5: {'met' if min(cached) >= 0.5 else 'NOT met'})"
    )
    print(f"Wagtail / Wagtail static: {wt_static_ratio:.2f}")
    non2xx = sum(r["non2xx"] for rs in results.values() for r in rs)
    print(f"non-2xx responses: {non2xx}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in load_end)}")

    # In-process: no network, no wrk; CPU time of the whole Django stack.
    profile_path = tmp / "profile.txt"
    hl_inproc = json.loads(
        subprocess.run(
            [PYTHON, __file__, "--profile", str(profile_path)]
            + ["--profile-requests", str(args.profile_requests)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
    )
    wt_inproc = json.loads(
        subprocess.run(
            [venv / "bin" / "python", "profile_article.py"],
            cwd=site,
            env=wt_env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
    )
    print("\nin-process, per request (CPU time, the whole Django stack, session cookie):")
    print(
        f"  healthlib uncached: {hl_inproc['ms']:.2f} ms, {hl_inproc['queries']} SQL queries "
        f"(goal <= 3: {'met' if hl_inproc['queries'] <= 3 else 'NOT met'}), "
        f"{hl_inproc['bytes']} bytes"
    )
    for sql in hl_inproc["sql"]:
        print(f"      {sql}")
    print(
        f"  Wagtail:            {wt_inproc['ms']:.2f} ms, {wt_inproc['queries']} SQL queries, "
        f"{wt_inproc['bytes']} bytes"
    )
    print("  healthlib's other pages, uncached (rendered per request):")
    for name, (ms, count) in hl_inproc["pages"].items():
        print(f"    {name:14} {ms:.2f} ms, {count} SQL queries")
    print("\nprofile of healthlib's uncached article request:")
    print(profile_path.read_text())
    shutil.rmtree(tmp, ignore_errors=True)


def measure(url, cookie, *, connections, duration):
    if cookie is None:
        return wrk(url, connections=connections, duration=duration)
    return wrk(url, connections=connections, duration=duration, headers=[f"Cookie: {cookie}"])


if __name__ == "__main__":
    main()
