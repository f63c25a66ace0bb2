"""Outside specialists' sign-offs (conditions.services.signoffs): invite,
decide on the exact revision, withdraw, and the publish gate."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conditions import services
from conditions.models import Signoff
from conditions.review import signoff_links as links
from conditions.services import signoffs
from tests import factories
from tests.conditions.signoff_steps import decide, edit, in_review, invite

APPROVED = Signoff.Decision.APPROVED
CHANGES = Signoff.Decision.CHANGES_REQUESTED


def test_the_invitation_emails_a_signed_link_once_committed(db, reviewer, committed):
    article = in_review()
    with committed():
        invitation, link = invite(article, reviewer)
    assert invitation.revision_id == article.latest_revision_id
    assert [m.to for m in mail.outbox] == [["neuro@example.org"]]
    assert link in mail.outbox[0].body
    token = link.rstrip("/").rsplit("/", 1)[1]
    pk, key = links.read(token)
    assert pk == invitation.pk and links.matches(invitation, key)
    # Only the key's hash is stored.
    assert key not in invitation.key_hash


def test_only_reviewers_invite_and_only_to_an_article_in_review(db, editor, reviewer):
    article = factories.article(**factories.SMALL)
    with pytest.raises(PermissionDenied):
        invite(article, editor)
    with pytest.raises(services.WorkflowError, match="in review"):
        invite(article, reviewer)


@pytest.mark.parametrize(
    ("name", "email", "message"),
    [(" ", "a@example.org", "name"), ("Dr B", "not an address", "email")],
)
def test_bad_invitations_save_nothing(db, reviewer, name, email, message):
    article = in_review()
    with pytest.raises(services.WorkflowError, match=message):
        signoffs.invite_specialist(condition=article, user=reviewer, name=name, email=email)
    assert not article.signoff_invitations.exists()


def test_the_decision_is_recorded_against_the_exact_revision(db, reviewer):
    article = in_review()
    invitation, _ = invite(article, reviewer)
    signoff = decide(invitation)
    assert signoff.revision_id == article.latest_revision_id
    assert (signoff.name, signoff.credentials, signoff.ip_address) == (
        "Dr A. Neurologist",
        "MD",
        "192.0.2.7",
    )
    with pytest.raises(signoffs.AlreadyDecided):
        decide(invitation)


def test_a_stale_decision_is_refused(db, reviewer):
    article = in_review()
    invitation, _ = invite(article, reviewer)
    read = article.latest_revision_id
    edit(article, "A later change.")
    with pytest.raises(services.StaleRevision):
        decide(invitation, revision=read)
    assert not Signoff.objects.exists()


def test_withdrawn_and_expired_links_record_nothing(db, reviewer):
    article = in_review()
    withdrawn, _ = invite(article, reviewer)
    signoffs.withdraw_invitation(invitation=withdrawn, user=reviewer)
    with pytest.raises(signoffs.LinkRefused, match="withdrawn"):
        decide(withdrawn)
    expired, _ = invite(article, reviewer, email="other@example.org")
    expired.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    expired.save()
    with pytest.raises(signoffs.LinkRefused, match="expired"):
        decide(expired)
    assert not Signoff.objects.exists()


def test_the_gate_waits_for_every_open_invitation(db, reviewer):
    article = in_review()
    invitation, _ = invite(article, reviewer)
    with pytest.raises(services.GateClosed, match="has not yet signed off"):
        services.publish(condition=article, user=reviewer)
    decide(invitation, CHANGES, "Clonazepam dose is wrong.")
    with pytest.raises(services.GateClosed, match="Clonazepam dose is wrong"):
        services.publish(condition=article, user=reviewer)
    edit(article, "Dose corrected.")
    with pytest.raises(services.GateClosed, match="has not yet signed off"):
        services.publish(condition=article, user=reviewer)
    approval = decide(invitation)
    revision = services.publish(condition=article, user=reviewer)
    approval.refresh_from_db()
    invitation.refresh_from_db()
    assert approval.published_in == revision
    assert invitation.completed_at is not None
    with pytest.raises(signoffs.LinkRefused, match="complete"):
        decide(invitation)


def test_an_approval_counts_for_the_same_text_in_a_later_revision(db, reviewer):
    article = in_review()
    invitation, _ = invite(article, reviewer)
    decide(invitation)
    # A step that changes no text (sent back, resubmitted) keeps the approval.
    services.request_changes(condition=article, user=reviewer, comment="Wait.")
    services.submit_for_review(condition=article)
    article.refresh_from_db()
    services.publish(condition=article, user=reviewer)


def test_withdrawing_opens_the_gate(db, reviewer):
    article = in_review()
    invitation, _ = invite(article, reviewer)
    signoffs.withdraw_invitation(invitation=invitation, user=reviewer)
    services.publish(condition=article, user=reviewer)
    with pytest.raises(services.WorkflowError, match="already withdrawn"):
        signoffs.withdraw_invitation(invitation=invitation, user=reviewer)


def test_sending_again_makes_the_old_link_useless(db, reviewer):
    article = in_review()
    invitation, old = invite(article, reviewer)
    _, new, _ = signoffs.send_link_again(invitation=invitation, user=reviewer)
    invitation.refresh_from_db()
    old_key = links.read(old.rstrip("/").rsplit("/", 1)[1])[1]
    new_key = links.read(new.rstrip("/").rsplit("/", 1)[1])[1]
    assert not links.matches(invitation, old_key)
    assert links.matches(invitation, new_key)


def test_purging_keeps_revisions_with_a_decision(db, reviewer):
    article = in_review()
    invitation, _ = invite(article, reviewer)
    signoff = decide(invitation)
    for i in range(3):
        edit(article, f"Change {i}.")
    services.purge_revisions(keep=0, older_than_days=0, now=timezone.now() + datetime.timedelta(1))
    assert article.revisions.filter(pk=signoff.revision_id).exists()
    services.delete_article(condition=article)
    assert not Signoff.objects.exists()
