"""Issue 25, item 7: after signing in to the admin, a ?next= that is
refused (another site, a scheme other than http(s), nothing) lands on the
admin, not on Django's default /accounts/profile/ (a 404 here)."""

import pytest

from healthlib.lib.roles import EDITORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_user):
    """An editor whose password the tests type on the sign-in form."""
    return make_user("editor", EDITORS, password="right-pw")


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/admin/",
        "//evil.example.com/",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
        "",
    ],
)
def test_a_refused_next_lands_on_the_admin(client, editor, next_url):
    response = client.post(
        "/admin/login/?next=" + next_url, {"username": "editor", "password": "right-pw"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_next_on_this_site_is_followed(client, editor):
    response = client.post(
        "/admin/login/?next=/admin/newsletter/", {"username": "editor", "password": "right-pw"}
    )
    assert response["Location"] == "/admin/newsletter/"
