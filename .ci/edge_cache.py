"""The edge cache against the real Varnish: varnishd (with the xkey vmod)
on loopback in front of gunicorn serving the demo on its own SQLite
database, the VCL from `manage.py edge_cache_vcl`, purges sent by the
live-change event (conditions/publishing/edge.py). Shows that

* a publish is visible through Varnish within a second;
* an unrelated page stays a cache hit (X-Cache, Age);
* a shared drug's rename purges every article that lists it;
* the admin, previews and a logged-in editor are never cached, and a page
  that sets a cookie is never stored.

Outside CI it skips (exit 0, with a message) when varnishd or the xkey vmod
is missing (`apt-get install varnish varnish-modules`); with CI=1 that is a
failure. Run: `.venv/bin/python .ci/edge_cache.py`.
"""

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
sys.path.insert(0, str(ROOT))

from bench.load import free_port  # noqa: E402 - the path above makes bench importable

CHECK_VCL = 'vcl 4.1;\nimport xkey;\nbackend default { .host = "127.0.0.1"; .port = "9"; }\n'


def missing(reason):
    if os.environ.get("CI"):
        sys.exit(f"edge cache: {reason} (CI: install varnish and varnish-modules)")
    print(f"edge cache: skipped, {reason} (apt-get install -y varnish varnish-modules)")
    sys.exit(0)


def check_varnish(tmp):
    """The varnishd to run, once it has compiled a VCL importing xkey."""
    varnishd = shutil.which("varnishd") or shutil.which("/usr/sbin/varnishd")
    if not varnishd:
        missing("varnishd is not installed")
    vcl = tmp / "check.vcl"
    vcl.write_text(CHECK_VCL)
    result = subprocess.run(
        [varnishd, "-C", "-j", "none", "-f", str(vcl), "-n", str(tmp / "check")],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        missing("the xkey vmod (varnish-modules) is not installed")
    return varnishd


class Http:
    def __init__(self, base):
        self.base = base

    def get(self, path, cookie=None):
        request = urllib.request.Request(self.base + path)
        if cookie:
            request.add_header("Cookie", cookie)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


def expect(condition, message):
    if not condition:
        sys.exit(f"edge cache: FAILED: {message}")
    print(f"  ok: {message}")


def wait_for(http, path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if http.get(path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"edge cache: {http.base}{path} did not answer")


def cached_twice(http, path):
    """``path`` fetched until Varnish holds it: the second fetch is a HIT."""
    http.get(path)
    status, headers, body = http.get(path)
    return status, headers, body


def main():
    tmp = Path(tempfile.mkdtemp(prefix="healthlib-edge-"))
    processes = []
    try:
        varnishd = check_varnish(tmp)
        app_port, edge_port = free_port(), free_port()
        secret = secrets.token_hex(24)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "healthlib.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{edge_port}",
            "DATABASE_URL": f"sqlite:///{tmp / 'edge.sqlite3'}",
            "HEALTHLIB_VAR_DIR": str(tmp / "var"),
            "EDGE_CACHE_URL": f"http://127.0.0.1:{edge_port}",
            "EDGE_CACHE_PURGE_SECRET": secret,
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "ERROR",
        }
        env.pop("CACHE_URL", None)
        manage = [PYTHON, "manage.py"]  # in subprocesses: settings read the environment
        started = time.monotonic()
        os.environ.update(env)
        load_demo()
        print(f"edge cache: the demo loaded in {time.monotonic() - started:.1f} s")
        vcl = tmp / "healthlib.vcl"
        with vcl.open("w") as out:
            subprocess.run(
                [*manage, "edge_cache_vcl", "--backend", f"127.0.0.1:{app_port}"],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=out,
            )
        gunicorn = str(Path(PYTHON).parent / "gunicorn")
        processes.append(
            subprocess.Popen(
                [gunicorn, "healthlib.wsgi", "--bind", f"127.0.0.1:{app_port}", "--workers", "2"]
                + ["--preload", "--log-level", "error"],
                cwd=ROOT,
                env=env,
            )
        )
        processes.append(
            subprocess.Popen(
                [varnishd, "-F", "-j", "none", "-n", str(tmp / "varnish"), "-f", str(vcl)]
                + ["-a", f"127.0.0.1:{edge_port}", "-s", "malloc,32m"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        edge, app = Http(f"http://127.0.0.1:{edge_port}"), Http(f"http://127.0.0.1:{app_port}")
        wait_for(app, "/")
        wait_for(edge, "/")
        check(edge)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def load_demo():
    """The demo in the test's database, in this process (Django set up on
    the server's database and page-cache tags; EDGE_CACHE_URL set)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", force=True, verbosity=0)
    connections.close_all()


def check(edge):
    """Publish, rename and look, in this process."""
    from conditions import services
    from conditions.models import Condition, Drug
    from conditions.publishing import snapshots

    myoclonus = Condition.objects.editable().get(slug="myoclonus")
    # A second article listing the same drugs.
    data = snapshots.take(myoclonus)
    data.update(title="Myoclonus in children", slug="myoclonus-in-children")
    twin = services.create_article(data=data, comment="Edge cache test")
    services.publish(condition=twin)
    drug = Drug.objects.filter(group_items__group__condition=twin).first()
    drug_page = drug.get_absolute_url()
    articles = ["/conditions/myoclonus/", "/conditions/myoclonus-in-children/"]
    unrelated = "/topics/"

    print("edge cache: Varnish in front of gunicorn")
    for path in [*articles, unrelated, drug_page]:
        status, headers, _ = cached_twice(edge, path)
        expect(status == 200 and headers["X-Cache"] == "HIT", f"{path} is stored: a HIT")
    _, headers, _ = edge.get(unrelated)
    age_before = int(headers["Age"])

    # A publish, visible within a second.
    data = snapshots.take(myoclonus)
    data["summary"] = "A summary published through the edge cache test."
    services.update_article(condition=myoclonus, data=data)
    services.publish(condition=Condition.objects.editable().get(slug="myoclonus"))
    returned = time.monotonic()
    while True:
        _, headers, body = edge.get("/conditions/myoclonus/")
        seconds = time.monotonic() - returned
        if "published through the edge cache test" in body:
            break
        expect(seconds < 1, "the publish is visible through Varnish within a second")
        time.sleep(0.02)
    expect(seconds < 1, f"the publish is visible {seconds:.2f} s after it returned")
    _, headers, _ = edge.get(unrelated)
    expect(
        headers["X-Cache"] == "HIT" and int(headers["Age"]) >= age_before,
        f"the unrelated {unrelated} is still a HIT (Age {headers['Age']})",
    )

    # A shared drug renamed: every article that lists it, and its own page.
    for path in articles:
        edge.get(path)
    drug.name = f"{drug.name} (renamed)"
    drug.save()
    for path in [*articles, drug_page]:
        _, headers, body = edge.get(path)
        expect(
            drug.name in body and headers["X-Cache"] == "MISS",
            f"{path} shows the renamed drug (purged)",
        )
    _, headers, _ = edge.get(unrelated)
    expect(headers["X-Cache"] == "HIT", f"the unrelated {unrelated} is still a HIT")

    # Never stored: the admin, a logged-in editor's pages, previews.
    for path in ["/admin/login/", "/admin/login/"]:
        _, headers, _ = edge.get(path)
    expect(headers["X-Cache"] != "HIT", "the admin's login page is never a HIT")
    cookie = editor_cookie()
    for path in ["/admin/", "/conditions/myoclonus/", f"/preview/conditions/{myoclonus.pk}/"]:
        edge.get(path, cookie)
        status, headers, body = edge.get(path, cookie)
        expect(
            status == 200
            and headers["X-Cache"] == "PASS"
            and ("Log out" in body or not path.startswith("/admin/")),
            f"{path} with an editor's session passes to the app",
        )
    _, headers, body = edge.get("/admin/")
    expect("Log out" not in body, "an anonymous reader never gets the admin from the cache")
    # Any other cookie (a language, a CSRF cookie): the same cached page.
    _, headers, _ = edge.get(unrelated, "csrftoken=abc; django_language=es")
    expect(headers["X-Cache"] == "HIT", "a reader with other cookies gets the cached page")
    # A purge without the secret is refused.
    request = urllib.request.Request(edge.base + "/", method="PURGE", headers={"xkey": "topics"})
    try:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310
        refused = False
    except urllib.error.HTTPError as error:
        refused = error.code == 403
    expect(refused, "a purge without the secret is refused (403)")


def editor_cookie():
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user = get_user_model().objects.get(username="editor")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


if __name__ == "__main__":
    main()
