"""Real-browser tests: Debian's Chromium driven by Playwright for Python,
against pytest-django's ``live_server``, with axe-core for the audit.

One browser serves the whole package; every test gets a fresh context
(cookies, storage, viewport). Locally, without Chromium, Playwright or
axe-core, the tests skip and say what is missing. With ``CI`` set (``.ci/run``
sets it) a missing piece fails them instead: in CI they must run.

Nothing is downloaded here: Playwright drives the system Chromium
(``executable_path``), never ``playwright install``; axe-core comes from
``npm ci --prefix tests/e2e`` (see docs/development.md).
"""

import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.signals import request_finished, request_started

from conditions.models import Condition
from healthlib.lib.roles import EDITORS, NEWSLETTER_EDITORS, REVIEWERS

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says so and skips (or fails in CI)
    expect = None

E2E_DIR = Path(__file__).resolve().parent
AXE_JS = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = E2E_DIR / "screenshots"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Everything WCAG 2.0, 2.1 and 2.2 asks at levels A and AA, plus axe's
# best practices (landmarks, heading order), which are reported too.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
# Page structure the project promises (STYLE/DESIGN: headings in order,
# landmarks), failed at any impact; axe rates these "moderate".
FAILING_RULES = {
    "heading-order",
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "region",
}
TIMEOUT_MS = 10_000
PASSWORD = "e2e-password-not-secret"


def _unavailable(reason):
    """Skip locally; fail when CI is set, because there the tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the end-to-end tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def chromium_path():
    return (
        os.environ.get("HEALTHLIB_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="package")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -r requirements.txt)")
    executable = chromium_path()
    if not executable:
        _unavailable("Chromium not found (apt-get install chromium, or set HEALTHLIB_CHROMIUM)")
    # Playwright's sync API keeps an event loop in this thread; the tests'
    # own ORM calls are still plain synchronous code, so Django may run them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class _Requests:
    """The requests the live server is handling, from Django's request
    signals, so that a test's end can wait for the last one: a request
    still running while the test database is emptied locks the in-memory
    SQLite tables ("database table is locked") and fails the teardown."""

    def __init__(self):
        self.active = 0
        self.changed = time.monotonic()
        self.lock = threading.Lock()

    def started(self, **kwargs):
        with self.lock:
            self.active += 1
            self.changed = time.monotonic()

    def finished(self, **kwargs):
        with self.lock:
            # One that started before the fixture connected ends here too.
            self.active = max(self.active - 1, 0)
            self.changed = time.monotonic()

    def wait_until_idle(self, *, quiet=0.1, timeout=5):
        """Until no request has run for ``quiet`` seconds (one the browser
        sent just before it closed may still be on its way in)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.active <= 0 and time.monotonic() - self.changed >= quiet:
                    return
            time.sleep(0.05)


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(width="desktop")`` ("phone", "desktop" or a width in CSS
    pixels): a page in a fresh browser context (its own cookies), with
    relative URLs resolved against the live server."""
    contexts, pages = [], []
    requests = _Requests()
    request_started.connect(requests.started, weak=False)
    request_finished.connect(requests.finished, weak=False)

    def make(width="desktop"):
        viewport = WIDTHS[width] if isinstance(width, str) else {"width": width, "height": 800}
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        # Anything the Content-Security-Policy blocked: Chromium reports it
        # on the console. Checked for every page when the test ends.
        page.csp_violations = []
        page.on("console", lambda message: _note_csp(page, message))
        pages.append(page)
        page.broken = []
        page.on("response", lambda response: _note_broken(page, response))
        return page

    yield make
    try:
        for context in contexts:
            context.close()
        requests.wait_until_idle()
    finally:
        request_started.disconnect(requests.started)
        request_finished.disconnect(requests.finished)
    violations = [v for page in pages for v in page.csp_violations]
    if violations:
        pytest.fail(
            "The Content-Security-Policy blocked something:\n" + "\n".join(violations),
            pytrace=False,
        )


def _note_csp(page, message):
    text = message.text
    if "Content Security Policy" in text or "Content-Security-Policy" in text:
        page.csp_violations.append(f"{page.url}: {text}")


def _note_broken(page, response):
    """Images, stylesheets and scripts the page asked for that did not load.
    (The page's own status is the test's business; browsers ask for
    /favicon.ico by themselves.)"""
    request = response.request
    if (
        response.status >= 400
        and request.resource_type != "document"
        and not request.url.endswith("/favicon.ico")
    ):
        page.broken.append(f"{response.status} {request.url}")


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def axe_source():
    if not AXE_JS.exists():
        _unavailable("axe-core is not installed (npm ci --prefix tests/e2e)")
    return AXE_JS.read_text(encoding="utf-8")


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    url: str
    nodes: list

    @property
    def fails(self):
        return self.impact in FAILING_IMPACTS or self.rule in FAILING_RULES

    def report(self):
        lines = [f"  [{self.impact}] {self.rule}: {self.help} ({self.url})"]
        for node in self.nodes[:5]:
            lines.append(f"      at {node['target']}: {node['html'][:160]}")
            summary = " ".join(node["summary"].split())
            lines.append(f"        {summary[:300]}")
        if len(self.nodes) > 5:
            lines.append(f"      … and {len(self.nodes) - 5} more elements")
        return "\n".join(lines)


def run_axe(page, axe_source, *, preload=True):
    """All axe-core violations on the page as it is now. ``preload=False``
    keeps axe from copying the page's style sheets into <style> elements,
    which the Content-Security-Policy refuses (Django's admin forms.css
    @imports widgets.css); only axe's css-orientation-lock rule reads them."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP does
        # not govern (an injected inline <script> would be refused).
        page.evaluate(axe_source)
    found = page.evaluate(
        """async ([tags, preload]) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], preload,
            });
            return result.violations.map(v => ({
                rule: v.id, impact: v.impact || "minor", help: v.help, url: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(" "), html: n.html, summary: n.failureSummary || "",
                })),
            }));
        }""",
        [AXE_TAGS, preload],
    )
    return [Violation(**v) for v in found]


def save_screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def write_audit_log(name, violations):
    """Every finding, serious or not, for people to read after the run."""
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"{name}.axe.json").write_text(
        json.dumps([v.__dict__ for v in violations], indent=2), encoding="utf-8"
    )


def path_of(url):
    """The path (and query) of an absolute link from an email."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_in(message, pattern):
    body = message.body
    for content, mimetype in getattr(message, "alternatives", ()):
        if mimetype == "text/html":
            body += content
    return re.findall(pattern, body)


@pytest.fixture
def library(transactional_db, load_demo):
    """The demo library (the seed's Myoclonus article, published, and the
    newsletter's editions), loaded the way ``make run`` does."""
    load_demo()


URGENT_HELP = (
    "Get help at once if the jerks come with a seizure, trouble breathing, "
    "or confusion that starts suddenly."
)


def add_urgent_help(slug):
    """Give the published article ``slug`` a "When to get urgent help"
    section (test data: the seed has none) and publish it again."""
    from conditions import services
    from conditions.publishing import snapshots

    condition = Condition.objects.editable().get(slug=slug)
    data = snapshots.take(condition)
    data["sections"].append(
        {"kind": "urgent_help", "heading": "", "body": URGENT_HELP, "order": 99}
    )
    services.update_article(condition=condition, data=data, comment="Urgent help")
    services.publish(condition=condition)


# The suite's role users (tests/conftest.py), in the live server's
# database, with the password log_in types.


@pytest.fixture
def editor(transactional_db, make_user):
    return make_user("editor", EDITORS, password=PASSWORD, last_name="Doe")


@pytest.fixture
def reviewer(transactional_db, make_user):
    return make_user("reviewer", REVIEWERS, password=PASSWORD, last_name="Doe")


@pytest.fixture
def newsletter_editor(transactional_db, make_user):
    return make_user("sender", NEWSLETTER_EDITORS, password=PASSWORD)


def log_in(page, user):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def show_tab(page, name):
    """Open a tab of the article form (conditions/static/conditions/article_form/tabs.js)."""
    page.get_by_role("tab", name=name).click()


def drag(page, source, target):
    """Drag with the mouse in small steps, as a hand does (SortableJS moves
    rows on the drag events in between)."""
    # A window tall enough to hold both rows: the pointer cannot leave it.
    page.set_viewport_size({"width": 1280, "height": 3000})
    page.evaluate("window.scrollTo(0, 0)")
    start = source.bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + start["height"] / 2)
    page.mouse.down()
    x, y = start["x"] + 5, start["y"] + start["height"] / 2
    for _ in range(40):  # rows slide out of the way as the pointer passes them
        end = target.bounding_box()
        goal = end["y"] + 2
        if abs(goal - y) < 4:
            break
        y += max(-60, min(60, goal - y))
        page.mouse.move(x, y, steps=3)
        page.wait_for_timeout(60)
    page.wait_for_timeout(200)
    page.mouse.up()
    page.set_viewport_size({"width": 1280, "height": 800})


def focus_is_visible(page):
    """Whether the focused element shows a focus indicator: an outline or a
    box shadow of at least 2px, as the stylesheet's :focus-visible gives."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
            const shadow = s.boxShadow && s.boxShadow !== "none";
            const box = el.getBoundingClientRect();
            return (outline || shadow) && box.width > 0 && box.height > 0;
        }"""
    )
