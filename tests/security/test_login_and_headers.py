"""Issue 13, item 6: the admin login is throttled (django-axes), and every
page answers with a Content-Security-Policy and the other security
headers."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

from healthlib.lib.roles import EDITORS
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def editor(make_user):
    """An editor whose password the tests type on the sign-in form."""
    return make_user("editor", EDITORS, password="right-pw")


def _login(client, password, username="editor", ip="198.51.100.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_right_password_is_refused_after_five_wrong_ones(client, editor):
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200  # the form, with its error
    assert _login(client, "wrong").status_code == 429  # the fifth locks the pair
    response = _login(client, "right-pw")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-ins" in html and "15 minutes" in html
    assert "_auth_user_id" not in client.session
    # Everything after the limit is refused as well, and counted once per pair.
    assert _login(client, "wrong").status_code == 429
    assert AccessAttempt.objects.get().username == "editor"


def test_lockout_is_per_username_and_address(client, editor, make_user):
    make_user("other", password="other-pw")
    for _ in range(5):
        _login(client, "wrong")
    # The same user from another address, and another user from this one.
    assert _login(client, "right-pw", ip="198.51.100.2").status_code == 302
    client.logout()
    assert _login(client, "other-pw", username="other").status_code == 302


def test_a_success_clears_the_count(client, editor):
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "right-pw").status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "right-pw").status_code == 302


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_behind_a_trusted_proxy_the_lockout_is_per_visitor(client, editor):
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    locked = client.post(
        LOGIN,
        {"username": "editor", "password": "right-pw"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert locked.status_code == 429
    other = client.post(
        LOGIN,
        {"username": "editor", "password": "right-pw"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert other.status_code == 302


def _csp(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/conditions/",
        "/conditions/myoclonus/",
        "/search/?q=jerk",
        "/drugs/",
        "/topics/",
        "/newsletter/",
        "/sitemap.xml",
        "/api/conditions/",
        "/admin/login/",
        "/no-such-page/",
    ],
)
def test_every_page_has_the_security_headers(client, url):
    factories.article("Myoclonus", tags=["Nervous system"])
    for _ in range(2):  # a miss, then a page-cache hit
        response = client.get(url)
        csp = _csp(response)
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_admin_pages_have_the_policy(admin_client):
    for url in ("/admin/", "/admin/conditions/condition/add/", "/admin/newsletter/edition/"):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert "script-src 'self'" in response["Content-Security-Policy"], url


_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"
)
_INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.I)
_STYLE = re.compile(r"<style\b|<[^>]+\sstyle=", re.I)


def test_our_pages_need_no_unsafe_inline(client, admin_client):
    from newsletter.models import Newsletter

    Newsletter.objects.create(name="Research")
    condition = factories.article("Myoclonus", tags=["Nervous system"], figures=1)
    pages = [client.get(u) for u in ("/", "/conditions/", "/conditions/myoclonus/", "/newsletter/")]
    pages += [
        admin_client.get(f"/admin/conditions/condition/{condition.pk}/change/"),
        admin_client.get(f"/admin/conditions/condition/{condition.pk}/history/"),
        admin_client.get(f"/admin/conditions/condition/{condition.pk}/compare/"),
    ]
    for response in pages:
        assert response.status_code == 200, response.request["PATH_INFO"]
        html = response.content.decode()
        assert not _INLINE_SCRIPT.search(html), _INLINE_SCRIPT.search(html)
        assert not _INLINE_HANDLER.search(html), _INLINE_HANDLER.search(html)
        assert not _STYLE.search(html), _STYLE.search(html)


def test_email_preview_allows_the_email_s_own_styles_only(admin_client):
    from newsletter.models import Edition, Newsletter

    newsletter = Newsletter.objects.create(name="Research")
    edition = Edition.objects.create(newsletter=newsletter, title="March", slug="march-2015")
    response = admin_client.get(f"/admin/newsletter/edition/{edition.pk}/preview/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert "script-src" not in policy


def test_sign_in_without_a_request_is_not_counted(client, editor):
    """The test client's login() and scripts call authenticate() without a
    request: no address to count, so it is neither refused nor throttled."""
    assert client.login(username="editor", password="right-pw")
    assert not AccessAttempt.objects.exists()
