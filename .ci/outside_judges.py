#!/usr/bin/env python
"""The outside judges: the W3C Nu Html Checker and Lighthouse on the readers' pages.

Run by `.ci/run` and `make judges`. From nothing it builds a database in a
temporary folder (`manage.py migrate` and `load_demo`, as `make run` does;
a developer's database, media and cache are never touched), collects the
static files and serves them with the production stack (gunicorn and
whitenoise, DJANGO_DEBUG off, its real headers; plain HTTP on loopback,
which browsers treat as a secure origin, where production has TLS in front).
Then, for every page in PAGES, in English and in Spanish:

- the Nu Html Checker (npm `vnu-jar`, on the machine's Java) reads the HTML
  the server sent: any error fails, with the page and line;
- Lighthouse (npm `lighthouse`, on Debian's Chromium) scores accessibility
  and best practices, and search-engine optimisation for every page meant to
  be indexed: anything under 100 fails, with the audits that lost points.
  A page is not meant to be indexed when the site says so itself: a robots
  meta tag or X-Robots-Tag header with `noindex`, or a robots.txt rule.

Prints a table of page → results and, on failure, one line per reason; exits 1.
Both tools come from tests/e2e/package-lock.json (`npm ci --prefix tests/e2e`).

    .venv/bin/python .ci/outside_judges.py
"""

import concurrent.futures
import html.parser
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NODE_MODULES = ROOT / "tests" / "e2e" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = ROOT / ".ci" / "lighthouse.mjs"

# The readers' pages, on the demo library. (English, Spanish.)
PAGES = [
    ("/", "/es/"),
    ("/conditions/", "/es/conditions/"),
    ("/conditions/myoclonus/", "/es/conditions/mioclonia/"),
    ("/drugs/", "/es/drugs/"),
    ("/drugs/clonazepam/", "/es/drugs/clonazepam/"),
    ("/topics/", "/es/topics/"),
    ("/topics/movement-disorders/", "/es/topics/movement-disorders/"),
    ("/search/", "/es/search/"),
    ("/search/?q=myoclonus", "/es/search/?q=mioclon%C3%ADa"),
    ("/newsletter/", "/es/newsletter/"),
    ("/newsletter/march-2015/", "/es/newsletter/march-2015/"),
    # What partners frame (noindex: judged for accessibility and best practices).
    ("/embed/conditions/myoclonus/", "/es/embed/conditions/mioclonia/"),
]
CATEGORIES = ["accessibility", "best-practices", "seo"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Lighthouse runs one page at a time per browser; two browsers share the list.
LIGHTHOUSE_BROWSERS = 2


class JudgesError(Exception):
    """The check could not run (a tool missing, the server not starting)."""


def main():
    started = time.monotonic()
    try:
        tools = _tools()
        with tempfile.TemporaryDirectory(prefix="healthlib-judges-") as tmp:
            failures = _judge(Path(tmp).resolve(), tools)
    except JudgesError as error:
        print(f"outside judges: could not run: {error}", file=sys.stderr)
        return 2
    elapsed = time.monotonic() - started
    pages = 2 * len(PAGES)
    if failures:
        print(f"\n{len(failures)} problem(s) on the readers' pages:")
        for line in failures:
            print(f"  {line}")
        print(f"outside judges: failed ({pages} pages, {elapsed:.0f} s)")
        return 1
    print(f"outside judges: {pages} pages passed ({elapsed:.0f} s)")
    return 0


def _tools():
    """Java, Node, Chromium and the two npm packages, or say what is missing."""
    found = {
        "java": shutil.which("java"),
        "node": shutil.which("node"),
        "chromium": os.environ.get("CHROME_PATH")
        or os.environ.get("HEALTHLIB_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser"),
    }
    missing = [name for name, path in found.items() if not path]
    if missing:
        raise JudgesError(f"{', '.join(missing)} not found (see docs/development.md)")
    if not VNU_JAR.exists() or not (NODE_MODULES / "lighthouse").exists():
        raise JudgesError("vnu-jar or lighthouse not installed: npm ci --prefix tests/e2e")
    return found


def _judge(tmp, tools):
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    env = _environment(tmp, origin)
    started = time.monotonic()
    _build_site(env)
    print(f"The demo library built in {time.monotonic() - started:.0f} s.", flush=True)
    with _running(_server_command(), env=env, log=tmp / "server.log") as server:
        _wait_for(f"{origin}/robots.txt", server, tmp / "server.log")
        pages = _fetch_pages(origin, tmp / "pages")
        robots = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        robots.read()
        for page in pages:
            page["indexed"], page["why_not"] = _meant_to_be_indexed(page, robots)
        # The checker (one Java process) and Lighthouse (two browsers) at once.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            html_check = pool.submit(_timed, _nu_html_checker, tools["java"], pages)
            scores, lighthouse_s = _timed(_lighthouse, tools, pages, tmp)
            html_errors, html_s = html_check.result()
        print(
            f"{len(pages)} pages judged: the Nu Html Checker in {html_s:.0f} s, "
            f"Lighthouse in {lighthouse_s:.0f} s.\n"
        )
    return _report(pages, html_errors, scores)


def _timed(function, *args):
    started = time.monotonic()
    return function(*args), time.monotonic() - started


def _environment(tmp, origin):
    """Production settings on a database, media and cache of the check's own."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthlib.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": origin,
        # Plain HTTP on loopback: nothing to redirect to.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "HEALTHLIB_VAR_DIR": str(tmp),
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "CACHE_URL": "locmemcache://judges",
        "TASKS_URL": "",
        "EMAIL_URL": "consolemail://",
        "MEDIA_ROOT": str(tmp / "media"),
        "MEDIA_STORAGE_URL": "",
        "EDGE_CACHE_URL": "",
        "GUNICORN_BIND": origin.removeprefix("http://"),
        "GUNICORN_WORKERS": "2",
        "LOG_LEVEL": "ERROR",
    }


def _build_site(env):
    """The demo library, as `make run` loads it (DEBUG on while it loads, so its
    history has the demo's editor and reviewer), and, meanwhile, the static files."""

    def database():
        _manage(env, "migrate", "--noinput", "-v0", DJANGO_DEBUG="1")
        # It prints the demo accounts' passwords: only its errors are shown.
        _manage(env, "load_demo", DJANGO_DEBUG="1")

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        steps = [pool.submit(database), pool.submit(_manage, env, "collectstatic", "--noinput")]
        for step in steps:
            step.result()


def _manage(env, *args, **overrides):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**env, **overrides},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise JudgesError(f"manage.py {args[0]} failed:\n{result.stderr.strip()}")


def _server_command():
    return [
        str(Path(PYTHON).parent / "gunicorn"),
        "-c",
        "healthlib/gunicorn.conf.py",
        "healthlib.wsgi",
    ]


class _running:
    """A process in a session of its own, stopped with everything it started."""

    def __init__(self, command, *, env=None, log=None):
        self.command, self.env, self.log = command, env, log

    def __enter__(self):
        output = open(self.log, "wb") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if self.log:
            output.close()
        return self.process

    def __exit__(self, *exc):
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url, process, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise JudgesError(f"the server exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise JudgesError(f"the server did not answer at {url} within {timeout} s")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A page must answer itself: a redirect is reported, not followed."""

    def redirect_request(self, *args, **kwargs):
        return None


def _fetch_pages(origin, folder):
    folder.mkdir()
    opener = urllib.request.build_opener(_NoRedirects)
    pages = []
    for number, path in enumerate(path for pair in zip(*PAGES, strict=True) for path in pair):
        page = {"path": path, "url": origin + path, "problem": None}
        try:
            with opener.open(page["url"], timeout=30) as response:
                body = response.read()
                page["headers"] = response.headers
        except urllib.error.HTTPError as error:
            page["problem"] = f"answered {error.code} {error.reason}"
            pages.append(page)
            continue
        except OSError as error:
            page["problem"] = f"could not be fetched: {error}"
            pages.append(page)
            continue
        page["file"] = folder / f"{number:02d}.html"
        page["file"].write_bytes(body)
        page["html"] = body.decode("utf-8", "replace")
        pages.append(page)
    return pages


class _RobotsMeta(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.directives = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or "").lower() == "robots":
            self.directives += (attrs.get("content") or "").lower().replace(",", " ").split()


def _meant_to_be_indexed(page, robots):
    """(True, "") or (False, why): the page's robots meta tag, its
    X-Robots-Tag header, or a robots.txt rule keeps search engines out."""
    if page["problem"]:
        return True, ""
    meta = _RobotsMeta()
    meta.feed(page["html"])
    if {"noindex", "none"} & set(meta.directives):
        return False, "noindex"
    header = (page["headers"].get("X-Robots-Tag") or "").lower()
    if "noindex" in header or "none" in header.replace(",", " ").split():
        return False, "X-Robots-Tag"
    if not robots.can_fetch("*", page["url"]):
        return False, "robots.txt"
    return True, ""


def _nu_html_checker(java, pages):
    """{path: ["line N: message", …]} for every page the checker finds errors in."""
    checked = {str(page["file"]): page["path"] for page in pages if page.get("file")}
    if not checked:
        return {}
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always"]
        + list(checked),
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except (ValueError, KeyError):
        raise JudgesError(f"the Nu Html Checker did not answer in JSON:\n{result.stderr}") from None
    errors = {}
    for message in messages:
        # "file:/tmp/…/03.html"
        url = message.get("url", "?")
        path = checked.get(urllib.parse.urlsplit(url).path, url)
        where = f"line {message['lastLine']}: " if "lastLine" in message else ""
        extract = " ".join(message.get("extract", "").split())
        text = f"{where}{message.get('message', '')}"
        errors.setdefault(path, []).append(f"{text} [{extract}]" if extract else text)
    return errors


def _lighthouse(tools, pages, tmp):
    """{url: result line of .ci/lighthouse.mjs}, the pages shared by browsers."""
    judged = [page for page in pages if not page["problem"]]
    shares = [judged[i::LIGHTHOUSE_BROWSERS] for i in range(LIGHTHOUSE_BROWSERS)]
    shares = [share for share in shares if share]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(shares)) as pool:
        runs = [
            pool.submit(_lighthouse_share, tools, share, tmp / f"browser-{i}")
            for i, share in enumerate(shares)
        ]
        results = {}
        for run in runs:
            results.update(run.result())
    return results


def _lighthouse_share(tools, pages, folder):
    folder.mkdir()
    request = folder / "pages.json"
    request.write_text(
        json.dumps(
            [
                {"url": page["url"], "categories": CATEGORIES[: 3 if page["indexed"] else 2]}
                for page in pages
            ]
        )
    )
    profile = folder / "profile"
    command = [
        tools["chromium"],
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--remote-debugging-port=0",
        "about:blank",
    ]
    with _running(command, log=folder / "chromium.log") as browser:
        port = _devtools_port(profile, browser, folder / "chromium.log")
        with request.open() as stdin:
            result = subprocess.run(
                [tools["node"], str(LIGHTHOUSE), "--port", str(port)],
                cwd=ROOT,
                stdin=stdin,
                capture_output=True,
                text=True,
                check=False,
            )
    if result.returncode:
        raise JudgesError(f"Lighthouse failed ({result.returncode}):\n{result.stderr}")
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return {line["url"]: line for line in lines}


def _devtools_port(profile, browser, log, timeout=30):
    """Chromium writes the port it chose for DevTools into its profile."""
    active = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if browser.poll() is not None:
            raise JudgesError(f"Chromium exited ({browser.returncode}):\n{log.read_text()}")
        # Two lines, the port and the browser's path, once it is all written.
        lines = active.read_text().split() if active.exists() else []
        if len(lines) >= 2:
            return int(lines[0])
        time.sleep(0.1)
    raise JudgesError(f"Chromium did not open its DevTools port within {timeout} s")


def _report(pages, html_errors, scores):
    """Print the table; return one line per problem."""
    failures = []
    width = max(len(page["path"]) for page in pages)
    print(f"{'page':<{width}}  html  a11y  best  seo")
    for page in pages:
        path = page["path"]
        if page["problem"]:
            failures.append(f"{path}: {page['problem']}")
            print(f"{path:<{width}}  {page['problem']}")
            continue
        errors = html_errors.get(path, [])
        failures += [f"{path}: Nu Html Checker: {error}" for error in errors]
        cells = [f"{len(errors)} err" if errors else "ok"]
        result = scores.get(page["url"], {"error": "no result"})
        if "error" in result:
            failures.append(f"{path}: Lighthouse: {result['error']}")
            cells.append("Lighthouse failed")
        else:
            for category in CATEGORIES:
                score = result["scores"].get(category)
                if category == "seo" and not page["indexed"]:
                    cells.append(f"- (not indexed: {page['why_not']})")
                    continue
                cells.append("?" if score is None else str(score))
                if score != 100:
                    failures.append(f"{path}: Lighthouse {category} {score}")
            for audit in result["failing"]:
                where = "; ".join(audit["examples"])
                failures.append(
                    f"{path}: Lighthouse {audit['category']}: {audit['id']}: {audit['title']}"
                    + (f" ({audit['explanation']})" if audit["explanation"] else "")
                    + (f" — {where}" if where else "")
                )
        print(f"{path:<{width}}  " + "  ".join(f"{cell:>4}" for cell in cells))
    unknown = set(html_errors) - {page["path"] for page in pages}
    failures += [f"{name}: Nu Html Checker: {e}" for name in unknown for e in html_errors[name]]
    return failures


if __name__ == "__main__":
    sys.exit(main())
