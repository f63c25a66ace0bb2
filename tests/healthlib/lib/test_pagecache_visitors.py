"""Every anonymous reader gets the same cached page, whatever cookies they
carry; a logged-in staff session and a preview never get or fill one
(healthlib.lib.pagecache, issue 27)."""

import itertools

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories

pytestmark = pytest.mark.django_db

PAGES = ["/", "/es/", "/conditions/", "/conditions/gout/", "/drugs/", "/topics/"]
TOKEN = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1)
COOKIES = st.fixed_dictionaries(
    {},
    optional={
        # A CSRF cookie from the admin's login page, well formed or not.
        "csrftoken": st.one_of(TOKEN.map(lambda t: (t * 64)[:32]), TOKEN),
        "django_language": st.sampled_from(["en", "es", "fr", "zz"]),
        "sessionid": st.sampled_from(["anonymous", "garbage", "expired"]),
    },
)
VISITOR = st.fixed_dictionaries(
    {
        "cookies": COOKIES,
        "accept_language": st.sampled_from(["", "es", "es-MX,es;q=0.9", "en-GB", "fr"]),
        "gave_feedback": st.booleans(),
    }
)
_addresses = itertools.count(1)
SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture
def library(load_demo):
    factories.article("Gout")


def _session(kind):
    if kind == "garbage":
        return "x" * 32
    if kind == "expired":
        return "nosuchsessionkeyanywhere0000000a"
    store = SessionStore()
    store["seen"] = True  # an anonymous session with something in it
    store.save()
    return store.session_key


def visitor_client(visitor):
    n = next(_addresses)  # each reader their own address: the feedback limit is per address
    client = Client(
        HTTP_ACCEPT_LANGUAGE=visitor["accept_language"], REMOTE_ADDR=f"10.0.{n // 250}.{n % 250}"
    )
    for name, value in visitor["cookies"].items():
        client.cookies[name] = _session(value) if name == "sessionid" else value
    if visitor["gave_feedback"]:
        response = client.post(
            "/conditions/gout/feedback/",
            {"helpful": "yes"},
            HTTP_ORIGIN="http://testserver",
            follow=True,
        )
        assert "feedback-thanks" in response.content.decode()
    return client


@settings(max_examples=25, deadline=None, suppress_health_check=SUPPRESS)
@given(visitors=st.lists(VISITOR, min_size=2, max_size=5), page=st.sampled_from(PAGES))
def test_every_anonymous_reader_gets_the_same_cached_page(library, visitors, page):
    bodies = set()
    for n, visitor in enumerate(visitors):
        response = visitor_client(visitor).get(page)
        assert response.status_code == 200
        if n:
            assert response["X-Page-Cache"] == "hit"
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "csrftoken" not in response.cookies or visitor["cookies"].get("csrftoken")
        bodies.add(response.content)
    assert len(bodies) == 1
    # The address decides the language, whatever the cookie and header say.
    expected = 'lang="es"' if page.startswith("/es/") else 'lang="en"'
    assert expected in bodies.pop().decode()[:200]


@settings(max_examples=20, deadline=None, suppress_health_check=SUPPRESS)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["anonymous", "staff", "preview"]), st.sampled_from(PAGES)),
        min_size=1,
        max_size=8,
    )
)
def test_staff_and_previews_never_get_or_fill_the_cache(library, editor, steps):
    from healthlib.lib import pagecache

    pagecache.clear()
    staff = Client()
    staff.force_login(editor)
    draft = factories.article("Draft for preview", publish=False)
    filled = set()
    for who, page in steps:
        if who == "anonymous":
            response = Client().get(page)
            assert response["X-Page-Cache"] == ("hit" if page in filled else "miss")
            filled.add(page)
            continue
        if who == "preview":
            page = f"/preview/conditions/{draft.pk}/"
        response = staff.get(page)
        assert response.status_code == 200
        assert response.get("X-Page-Cache") is None
        cache_control = response["Cache-Control"]
        assert "private" in cache_control or "no-store" in cache_control
        assert "xkey" not in response
    draft.delete()
