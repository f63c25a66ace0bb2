"""The link checker against a real HTTP server on 127.0.0.1 (never the
network): HEAD then GET, timeouts, per-host spacing, stored results, the
dashboard and the publish gate."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from conditions.models import LinkCheck, Organization
from conditions.publishing import snapshots
from conditions.review import content_checks as checks
from conditions.review import linkcheck
from healthlib import schedule
from tests import factories

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    seen = []

    def log_message(self, *args):
        pass

    def _answer(self, body):
        self.seen.append((self.command, self.path, time.monotonic()))
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/head-refused":  # many servers refuse HEAD
            self.send_response(405 if self.command == "HEAD" else 200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/slow":
            time.sleep(1.5)
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2" if body else "0")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture
def web():
    Handler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def fast(settings):
    settings.LINKCHECK_TIMEOUT = 0.5
    settings.LINKCHECK_HOST_DELAY = 0
    # The test server listens on this machine, which the checker otherwise
    # refuses to reach (tests/conditions/review/test_linkcheck_ssrf.py).
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]


def test_head_then_get_redirects_timeouts_and_errors(web):
    assert linkcheck.check_url(f"{web}/ok") == linkcheck.Result(f"{web}/ok", True, 200)
    assert linkcheck.check_url(f"{web}/head-refused").ok
    assert [m for m, p, _ in Handler.seen if p == "/head-refused"] == ["HEAD", "GET"]
    assert linkcheck.check_url(f"{web}/moved").ok
    missing = linkcheck.check_url(f"{web}/gone")
    assert not missing.ok and missing.status_code == 404 and missing.error == "broken (404)"
    slow = linkcheck.check_url(f"{web}/slow")
    assert not slow.ok and slow.error == "timeout"
    refused = linkcheck.check_url("http://127.0.0.1:9/")  # nothing listens on the discard port
    assert not refused.ok and refused.error == "unreachable"
    not_web = linkcheck.check_url("ftp://example.org/x")
    assert not not_web.ok and not_web.error == "refused: not a web address"


def test_requests_to_one_host_are_spaced_and_hosts_take_turns(web, settings):
    settings.LINKCHECK_HOST_DELAY = 0.3
    other = web.replace("127.0.0.1", "localhost")
    urls = [f"{web}/ok", f"{web}/moved", f"{other}/ok"]
    assert list(linkcheck._polite_order(urls)) == [f"{web}/ok", f"{other}/ok", f"{web}/moved"]
    linkcheck.check_all(urls=urls)
    times = [t for m, p, t in Handler.seen if m == "HEAD" and p in ("/ok", "/moved")]
    # 127.0.0.1: /ok then /moved at least 0.3 s apart; localhost's /ok came
    # between; /moved's redirect is followed to /ok with HEAD as well.
    assert len(times) == 4
    starts = [t for m, p, t in Handler.seen if m == "HEAD"]
    assert starts[2] - starts[0] >= 0.29


def test_results_are_stored_and_broken_links_warn_on_the_dashboard_and_publish_gate(
    web, editor_client
):
    article = factories.article("Tremor", publish=False)
    org = Organization.objects.get(name="Organization 0")
    org.url = f"{web}/gone"
    org.save()
    reference = article.references.first()
    reference.url = f"{web}/ok"
    reference.save()
    urls = linkcheck.urls_to_check()
    assert f"{web}/gone" in urls and f"{web}/ok" in urls
    report = linkcheck.check_all(urls=[f"{web}/gone", f"{web}/ok"])
    assert report.broken == [f"{web}/gone"]
    gone = LinkCheck.objects.get(url=f"{web}/gone")
    assert gone.ok is False and gone.failures == 1 and gone.failing_since is not None
    assert LinkCheck.objects.get(url=f"{web}/ok").ok is True

    # Again: still broken since the first time; a fixed link is cleared.
    first = gone.failing_since
    linkcheck.check_all(urls=[f"{web}/gone"])
    gone.refresh_from_db()
    assert gone.failures == 2 and gone.failing_since == first

    found = checks.problems(snapshots.take(article))
    [warning] = [p for p in found if p.code == "broken_link"]
    assert not warning.blocking and warning.key == f"broken_link:{web}/gone"
    assert "Organization “Organization 0”" in warning.message

    html = editor_client.get("/admin/").content.decode()
    assert 'id="dashboard-broken-links"' in html and f"{web}/gone" in html
    assert "Organization 0" in html


def test_command_and_schedule(web, capsys):
    Organization.objects.create(name="Down", url=f"{web}/gone")
    call_command("check_links")
    assert "1 broken." in capsys.readouterr().out
    # The schedule enqueues it once per period, whichever worker asks.
    assert "check-links" in schedule.enqueue_due()
    assert "check-links" not in schedule.enqueue_due()


def test_an_offline_machine_stores_nothing_and_calls_no_link_broken(web):
    linkcheck.check_all(urls=[f"{web}/ok"])
    # Nothing answers at all (no network, no DNS): nothing is learnt.
    unreachable = ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]
    report = linkcheck.check_all(urls=unreachable)
    assert report.offline and report.broken == []
    assert linkcheck.broken_urls(unreachable) == {}
    # One server answering is enough to trust the others' silence.
    report = linkcheck.check_all(urls=[f"{web}/ok", *unreachable])
    assert not report.offline and sorted(report.broken) == unreachable
