"""The outside specialist's page, /review/<token>/ (conditions.signoff_views):
the link is the only credential, and opens nothing else."""

import datetime

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions.models import Signoff, SignoffAccess
from conditions.review import signoff_links as links
from conditions.services import signoffs
from tests.conditions.signoff_steps import edit, in_review, invite

OUTCOME = SignoffAccess.Outcome


def path_of(link):
    """The link's path (the site's address before it differs per set-up)."""
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def invited(db, reviewer):
    article = in_review()
    invitation, link = invite(article, reviewer)
    return article, invitation, path_of(link)


def post(client, url, article, decision="approved", comment="", revision=None):
    article.refresh_from_db()
    return client.post(
        url,
        {
            "decision": decision,
            "comment": comment,
            "revision": revision or article.latest_revision_id,
        },
        HTTP_USER_AGENT="Specialist browser",
        REMOTE_ADDR="192.0.2.9",
    )


def test_the_page_shows_the_article_and_the_change_and_records_a_decision(client, invited):
    article, invitation, url = invited
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert article.title in body
    assert "A first change." in body  # the change since the last publication
    assert response["Cache-Control"].startswith("private")
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    response = post(client, url, article, "changes_requested", "Check the dose.")
    assert response.status_code == 302
    signoff = Signoff.objects.get()
    assert (signoff.revision_id, signoff.ip_address, signoff.comment) == (
        article.latest_revision_id,
        "192.0.2.9",
        "Check the dose.",
    )
    assert "Your decision on this version is recorded" in client.get(url).content.decode()
    assert list(SignoffAccess.objects.order_by("at", "id").values_list("outcome", flat=True)) == [
        OUTCOME.OPENED,
        OUTCOME.DECIDED,
        OUTCOME.OPENED,
    ]


def test_requesting_changes_needs_a_comment(client, invited):
    article, _, url = invited
    response = post(client, url, article, "changes_requested", " ")
    assert response.status_code == 409 or response.status_code == 200
    assert not Signoff.objects.exists()


def test_a_reused_link_records_no_second_decision(client, invited):
    article, _, url = invited
    assert post(client, url, article).status_code == 302
    response = post(client, url, article, "changes_requested", "Second thoughts.")
    assert response.status_code == 409
    assert Signoff.objects.count() == 1
    assert SignoffAccess.objects.filter(outcome=OUTCOME.REUSED).exists()


def test_a_changed_article_is_said_and_shown_instead_of_a_stale_approval(client, invited):
    article, _, url = invited
    read = article.latest_revision_id
    edit(article, "Clonazepam at night.")
    response = post(client, url, article, revision=read)
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed while you were reading" in body
    assert "The article changed since you last looked" in body
    assert "Clonazepam at night." in body
    assert not Signoff.objects.exists()
    # The form now names the new revision: approving it works.
    assert post(client, url, article).status_code == 302
    assert Signoff.objects.get().revision_id == article.latest_revision_id


def test_revoked_and_expired_links_are_refused(client, invited, reviewer):
    article, invitation, url = invited
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save()
    assert client.get(url).status_code == 410
    invitation.expires_at = timezone.now() + datetime.timedelta(days=1)
    invitation.save()
    signoffs.withdraw_invitation(invitation=invitation, user=reviewer)
    assert client.get(url).status_code == 410
    assert post(client, url, article).status_code == 410
    assert not Signoff.objects.exists()
    assert {OUTCOME.EXPIRED, OUTCOME.REVOKED} <= set(
        SignoffAccess.objects.values_list("outcome", flat=True)
    )


def test_a_link_for_another_article_opens_only_that_article(client, invited, reviewer):
    article, _, url = invited
    other = in_review(title="Another condition")
    _, other_link = invite(other, reviewer)
    other_url = path_of(other_link)
    body = client.get(other_url).content.decode()
    assert "Another condition" in body and article.title not in body
    # Its form cannot decide on this article's revision.
    response = post(client, other_url, article)
    assert response.status_code == 409
    assert not Signoff.objects.filter(invitation__condition=article).exists()


def test_the_link_opens_nothing_else_of_the_admin(invited):
    article, _, url = invited
    client = Client()
    client.get(url)
    post(client, url, article)
    assert "sessionid" not in client.cookies
    for path in ("/admin/", f"/admin/conditions/condition/{article.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(f"/preview/conditions/{article.pk}/").status_code in (302, 403)


def test_a_link_sent_again_replaces_the_old_one(client, invited, reviewer):
    article, invitation, url = invited
    _, new, _ = signoffs.send_link_again(invitation=invitation, user=reviewer)
    assert client.get(url).status_code == 404
    assert client.get(path_of(new)).status_code == 200


def test_refused_links_run_out_per_address(client, invited, settings):
    settings.SIGNOFF_FAILURES_PER_HOUR = 3
    _, _, url = invited
    for _ in range(3):
        assert client.get("/review/nonsense/").status_code == 404
    # Even the good link is refused to that address now, as a locked-out sign-in is.
    assert client.get(url).status_code == 429
    assert SignoffAccess.objects.filter(outcome=OUTCOME.THROTTLED).count() == 1
    assert Client(REMOTE_ADDR="198.51.100.1").get(url).status_code == 200


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pk_delta=st.integers(-3, 3),
    key=st.text(min_size=0, max_size=40),
    tamper=st.sampled_from(["none", "salt", "bytes"]),
)
def test_forged_links_open_nothing(client, invited, pk_delta, key, tamper):
    """Whatever a forger builds (another id, a guessed key, a token signed
    for something else, a changed byte), only the real link opens the page."""
    cache.clear()  # each forgery on its own, not throttled by the ones before
    article, invitation, url = invited
    real = url.strip("/").rsplit("/", 1)[1]
    if tamper == "salt":
        token = signing.dumps([invitation.pk, key], salt="something else")
    elif tamper == "bytes":
        token = real[:-1] + ("A" if real[-1] != "A" else "B")
    else:
        token = signing.dumps([invitation.pk + pk_delta, key], salt=links.SALT)
    assert client.get(f"/review/{token}/").status_code == 404
    assert not Signoff.objects.exists()


def test_the_page_speaks_spanish_under_es(client, invited):
    _, _, url = invited
    body = client.get(f"/es{url}").content.decode()
    assert "Su decisión" in body and "Enviar mi decisión" in body
