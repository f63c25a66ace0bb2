"""Outside specialists' sign-offs: invite one by link, withdraw or send the
link again, record their decision, and what the publish gate asks of them.

Rules (each a test):

* a decision is recorded against the exact revision the specialist read,
  and only if that is still the article's latest revision (else
  ``StaleRevision``, and the page shows the new change);
* one decision per link and revision (``AlreadyDecided``);
* a withdrawn, expired or completed link records nothing (``LinkRefused``);
* an approval counts for the current text when the revision it was given
  on has the same snapshot as the latest one (a status change, such as
  submitting for review again, changes no text);
* publishing is refused while an open invitation has no approval of the
  current text; publishing completes the approved invitations and records
  which revision put each approval live.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from conditions.models import (
    PUBLISH_PERMISSION,
    Condition,
    Revision,
    Signoff,
    SignoffInvitation,
)
from conditions.review import notifications
from conditions.review import signoff_links as links
from conditions.services.articles import _locked, _require
from conditions.services.errors import GateClosed, StaleRevision, WorkflowError

Status = Condition.Status
Decision = Signoff.Decision


class LinkRefused(WorkflowError):
    """The link cannot record a decision (withdrawn, expired, completed,
    the article archived). ``outcome`` is the audit log's word for it."""

    def __init__(self, message, *, outcome):
        super().__init__(message)
        self.outcome = outcome


class AlreadyDecided(LinkRefused):
    def __init__(self, message):
        super().__init__(message, outcome="reused")


def link_days():
    return settings.SIGNOFF_LINK_DAYS


def _clean(name, credentials, email):
    name, credentials, email = name.strip(), credentials.strip(), email.strip()
    if not name:
        raise WorkflowError("Give the specialist's name, as readers should see it.")
    if len(name) > 200 or len(credentials) > 100:
        raise WorkflowError("The name or the credentials are too long.")
    try:
        validate_email(email)
    except ValidationError:
        raise WorkflowError(
            "Give the specialist's email address: the link is sent there."
        ) from None
    return name, credentials, email


def _new_link(invitation):
    token, digest = links.make(invitation.pk)
    invitation.key_hash = digest
    invitation.expires_at = timezone.now() + datetime.timedelta(days=link_days())
    invitation.save(update_fields=["key_hash", "expires_at"])
    return links.url(token)


@transaction.atomic
def invite_specialist(*, condition, user, name, credentials="", email):
    """Ask an outside specialist to sign off ``condition`` (in review) and
    email them the link. Returns (invitation, link, emailed addresses)."""
    _require(user, PUBLISH_PERMISSION)
    name, credentials, email = _clean(name, credentials, email)
    condition = _locked(condition)
    if condition.status != Status.IN_REVIEW:
        raise WorkflowError(
            "Only an article in review can be sent to a specialist: submit it for review first."
        )
    if condition.signoff_invitations.filter(
        email__iexact=email, revoked_at=None, completed_at=None
    ).exists():
        raise WorkflowError(
            f"{email} already has a link to this article. Send it again from the list of "
            "sign-offs, or withdraw it first."
        )
    invitation = SignoffInvitation.objects.create(
        condition=condition,
        name=name,
        credentials=credentials,
        email=email,
        invited_by=user if user is not None and user.is_authenticated else None,
        revision=condition.latest_revision,
        expires_at=timezone.now(),
        key_hash="",
    )
    link = _new_link(invitation)
    emailed = notifications.specialist_invited(invitation, link=link, user=user)
    return invitation, link, emailed


@transaction.atomic
def send_link_again(*, invitation, user):
    """A new link (the old one stops working) with a new expiry, emailed."""
    _require(user, PUBLISH_PERMISSION)
    invitation = SignoffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise WorkflowError("This invitation is withdrawn or complete: invite the specialist anew.")
    link = _new_link(invitation)
    emailed = notifications.specialist_invited(invitation, link=link, user=user)
    return invitation, link, emailed


@transaction.atomic
def withdraw_invitation(*, invitation, user):
    """Revoke the link: it records nothing more, and publishing no longer
    waits for it. Decisions already made stay in the history."""
    _require(user, PUBLISH_PERMISSION)
    invitation = SignoffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is not None:
        raise WorkflowError("This invitation was already withdrawn.")
    if invitation.completed_at is not None:
        raise WorkflowError("This sign-off is complete: the article went live with it.")
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = user if user is not None and user.is_authenticated else None
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


def refusal(invitation, *, now=None):
    """Why ``invitation``'s link can record nothing now, or None."""
    now = now or timezone.now()
    if invitation.revoked_at is not None:
        return LinkRefused(
            gettext("This link was withdrawn by the editorial team."), outcome="revoked"
        )
    if invitation.completed_at is not None:
        return LinkRefused(
            gettext("This review is complete: the article was published with your sign-off."),
            outcome="completed",
        )
    if invitation.expires_at <= now:
        return LinkRefused(
            gettext("This link has expired. Ask the editorial team to send it again."),
            outcome="expired",
        )
    if invitation.condition.status == Status.ARCHIVED:
        return LinkRefused(gettext("This article was withdrawn."), outcome="revoked")
    return None


@transaction.atomic
def record_decision(*, invitation, revision, decision, comment="", ip_address=None, user_agent=""):
    """Record the specialist's decision on ``revision`` (the id they read)."""
    if decision not in Decision.values:
        raise WorkflowError(gettext("Choose to approve or to request changes."))
    comment = comment.strip()
    if decision == Decision.CHANGES_REQUESTED and not comment:
        raise WorkflowError(gettext("Say what should change, so the editors know what to do."))
    condition = _locked(invitation.condition)
    invitation = SignoffInvitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.condition = condition
    refused = refusal(invitation)
    if refused is not None:
        raise refused
    current = condition.latest_revision_id
    read = getattr(revision, "pk", revision)
    if read != current:
        raise StaleRevision(
            gettext(
                "The article was changed while you were reading it, so your decision was not "
                "recorded. The new change is shown below: please read it and decide again."
            ),
            reviewed_id=read,
            current_id=current,
        )
    if invitation.decisions.filter(revision_id=current).exists():
        raise AlreadyDecided(
            gettext(
                "Your decision on this version is already recorded. If the article changes, "
                "this link lets you decide on the new version."
            )
        )
    signoff = Signoff.objects.create(
        invitation=invitation,
        revision_id=current,
        decision=decision,
        comment=comment[:5000],
        name=invitation.name,
        credentials=invitation.credentials,
        ip_address=ip_address,
        user_agent=(user_agent or "")[:300],
    )
    signoff.emailed = notifications.specialist_decided(signoff, condition=condition)
    return signoff


@dataclass
class Standing:
    """Where one open invitation stands on the article's current text."""

    invitation: SignoffInvitation
    state: str  # "approved", "changes_requested", "waiting", "expired"
    decision: Signoff | None  # the decision on the current text, if any
    last: Signoff | None  # the latest decision, on whichever revision

    @property
    def blocks(self):
        return self.state != "approved"


def standings(condition, *, latest=None):
    """Each open invitation of ``condition`` and where it stands on the
    latest revision's text, in a fixed number of queries."""
    latest = latest or condition.latest_revision
    invitations = list(
        condition.signoff_invitations.filter(revoked_at=None, completed_at=None).order_by(
            "invited_at", "id"
        )
    )
    if not invitations:
        return []
    decisions = list(
        Signoff.objects.filter(invitation__in=invitations).order_by("decided_at", "id")
    )
    snapshots = dict(
        Revision.objects.filter(pk__in={d.revision_id for d in decisions}).values_list(
            "pk", "snapshot"
        )
    )
    now = timezone.now()
    found = []
    for invitation in invitations:
        mine = [d for d in decisions if d.invitation_id == invitation.pk]
        current = None
        if latest is not None:
            same = [
                d
                for d in mine
                if d.revision_id == latest.pk or snapshots.get(d.revision_id) == latest.snapshot
            ]
            current = same[-1] if same else None
        if current is not None:
            state = current.decision
        else:
            state = "expired" if invitation.expires_at <= now else "waiting"
        found.append(Standing(invitation, state, current, mine[-1] if mine else None))
    return found


def gate(condition):
    """Refuse publishing while a specialist's sign-off of the current text
    is missing or asks for changes. Returns the approvals that go live."""
    found = standings(condition)
    blocking = [s for s in found if s.blocks]
    if blocking:
        reasons = []
        for s in blocking:
            who = s.invitation.signer
            if s.state == Decision.CHANGES_REQUESTED:
                reasons.append(f"{who} requested changes: “{s.decision.comment}”.")
            elif s.state == "expired":
                reasons.append(f"{who}'s link expired before they signed off this version.")
            else:
                reasons.append(f"{who} has not yet signed off this version.")
        raise GateClosed(
            "Publishing is blocked by the specialists' sign-offs. "
            + " ".join(reasons)
            + " Change the article and wait for their approval, send the link again, or "
            "withdraw the invitation to publish without it.",
            problems=[],
        )
    return [s.decision for s in found]


def put_live(approvals, revision):
    """The approvals checked by ``gate`` went live (or were approved to go
    live) in ``revision``: record it, and close their invitations."""
    if not approvals:
        return
    Signoff.objects.filter(pk__in=[a.pk for a in approvals]).update(published_in=revision)
    SignoffInvitation.objects.filter(pk__in=[a.invitation_id for a in approvals]).update(
        completed_at=timezone.now()
    )
