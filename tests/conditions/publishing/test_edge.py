"""The edge cache's purges (conditions.publishing.edge): exactly the tags
the page cache bumps, after the commit, never failing the change."""

import http.server
import itertools
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions import services
from conditions.models import Drug
from conditions.publishing import edge, snapshots
from healthlib.lib.pagecache import XKEY_HEADER, in_every_language
from tests import factories

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-the-edge-tests-0123"


class PurgeServer(http.server.BaseHTTPRequestHandler):
    received = []
    status = 200

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        type(self).received.append((self.headers.get("xkey"), self.headers.get("X-Purge-Secret")))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish(settings):
    PurgeServer.received = []
    PurgeServer.status = 200
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PurgeServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EDGE_CACHE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.EDGE_CACHE_PURGE_SECRET = SECRET
    yield PurgeServer
    server.shutdown()
    server.server_close()


def purged(server):
    return {key for header, _ in server.received for key in header.split()}


@pytest.fixture
def bumped(monkeypatch):
    """The tags the page cache's receivers bump, in every language."""
    tags = set()

    def record(*bumped_tags):
        tags.update(in_every_language(bumped_tags))

    monkeypatch.setattr("conditions.publishing.invalidation.bump", record)
    monkeypatch.setattr("newsletter.cached_pages.bump", record)
    return tags


def test_nothing_is_sent_without_edge_cache_url(settings, monkeypatch):
    settings.EDGE_CACHE_URL = ""
    calls = []
    monkeypatch.setattr(edge, "purge", calls.append)
    factories.article("Gout")
    assert calls == []


def test_a_publish_purges_after_the_commit(varnish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        factories.article("Gout")
    assert varnish.received == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert {"article:gout", "es:article:gout", "home", "az", "sitemap"} <= purged(varnish)
    assert {secret for _, secret in varnish.received} == {SECRET}


def test_a_failing_edge_cache_never_fails_the_publish(
    varnish, settings, caplog, django_capture_on_commit_callbacks
):
    varnish.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        gout = factories.article("Gout")
    assert gout.pk and "Edge cache purge" in caplog.text
    settings.EDGE_CACHE_URL = "http://127.0.0.1:9"  # nobody listens
    caplog.clear()
    with django_capture_on_commit_callbacks(execute=True):
        factories.article("Asthma")
    assert "Edge cache purge" in caplog.text


_examples = itertools.count(1)  # the examples share the test's database
ACTIONS = st.lists(
    st.sampled_from(["publish", "edit", "rename drug", "unpublish", "new article"]),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_every_change_purges_exactly_the_tags_the_page_cache_bumps(
    varnish, bumped, django_capture_on_commit_callbacks, actions
):
    example = next(_examples)
    gout = factories.article(f"Gout {example}", drugs_per_group=2)
    for n, action in enumerate(actions):
        bumped.clear()
        varnish.received.clear()
        with django_capture_on_commit_callbacks(execute=True):
            if action == "publish":
                services.publish(condition=gout)
            elif action == "edit":
                data = snapshots.take(gout)
                data["summary"] = f"Edited {n}."
                services.update_article(condition=gout, data=data)
                services.publish(condition=gout)
            elif action == "rename drug":
                drug = Drug.objects.filter(group_items__group__condition=gout).first()
                drug.name += " (renamed)"
                drug.save()
            elif action == "unpublish":
                services.unpublish(condition=gout)
            else:
                factories.article(f"Other {example}-{n}", drugs_per_group=2)
        assert purged(varnish) == bumped, action
    # The factories find the shared drugs by name in the next example.
    for drug in Drug.objects.filter(name__contains=" (renamed)"):
        drug.name = drug.name.replace(" (renamed)", "")
        drug.save()


@given(keys=st.sets(st.text("abcdefghijklmnopqrstuvwxyz:-", min_size=1, max_size=60)))
def test_purge_batches_hold_every_key_once_within_the_header_budget(keys):
    batches = list(edge.batches(keys, budget=100))
    sent = [key for batch in batches for key in batch.split(" ")]
    assert sorted(sent) == sorted(keys)
    assert all(len(batch) <= 100 or " " not in batch for batch in batches)


def test_cacheable_pages_name_their_tags_and_staff_pages_none(client, editor):
    factories.article("Gout")
    for _ in range(2):  # the miss, then the hit
        response = client.get("/conditions/gout/")
        assert response[XKEY_HEADER] == "article:gout"
    assert client.get("/es/")[XKEY_HEADER] == "es:home"
    client.force_login(editor)
    assert XKEY_HEADER not in client.get("/conditions/gout/")
