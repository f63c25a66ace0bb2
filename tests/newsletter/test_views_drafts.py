"""Issue 25, item 6: a draft edition's page (/newsletter/<slug>/) is a
preview for those who may edit editions; to everyone else, staff or not,
it does not exist (404). A sent edition is public."""

import pytest

from healthlib.lib.roles import EDITORS, NEWSLETTER_EDITORS, REVIEWERS
from newsletter.models import Edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_edition):
    return make_edition("Secret findings", summaries=1)


@pytest.mark.parametrize(
    ("groups", "perms"),
    [((), ()), ((EDITORS,), ()), ((REVIEWERS,), ()), ((), ("view_edition",))],
    ids=["staff-no-group", "article-editor", "medical-reviewer", "may-only-view"],
)
def test_staff_who_may_not_edit_editions_do_not_see_a_draft(
    client, make_user, draft, groups, perms
):
    client.force_login(make_user("staffer", *groups, permissions=perms))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Secret findings" not in response.content.decode()


def test_anonymous_readers_do_not_see_a_draft(client, draft):
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Secret findings" not in response.content.decode()


@pytest.mark.parametrize(
    ("groups", "perms"),
    [((NEWSLETTER_EDITORS,), ()), ((), ("change_edition",))],
    ids=["newsletter-editor", "change-permission"],
)
def test_those_who_may_edit_editions_preview_a_draft(client, make_user, draft, groups, perms):
    client.force_login(make_user("nl", *groups, permissions=perms))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Secret findings" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_a_sent_edition_is_public(client, make_edition):
    sent = make_edition("Public findings", status=Edition.Status.SENT)
    response = client.get(sent.get_absolute_url())
    assert response.status_code == 200
    assert "Public findings" in response.content.decode()
