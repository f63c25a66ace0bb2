"""Steps of the sign-off loop, through the services, for the tests of
sign-offs (services, the specialist's page, the admin)."""

from conditions import services
from conditions.models import Condition, Signoff
from conditions.services import signoffs
from tests import factories

APPROVED = Signoff.Decision.APPROVED


def in_review(reviewer=None, **kwargs):
    article = factories.article(**factories.SMALL, **kwargs)
    edit(article, "A first change.")
    services.submit_for_review(condition=article)
    article.refresh_from_db()
    return article


def edit(article, words):
    """An editor's change to the text: a new revision with other words."""
    section = article.sections.first()
    section.body = f"{section.body} {words}"
    section.save()
    services.record_revision(condition=article, comment=f"Edited: {words}")
    article.refresh_from_db()


def invite(article, reviewer, email="neuro@example.org"):
    invitation, link, _ = signoffs.invite_specialist(
        condition=article,
        user=reviewer,
        name="Dr A. Neurologist",
        credentials="MD",
        email=email,
    )
    return invitation, link


def decide(invitation, decision=APPROVED, comment="", revision=None):
    invitation.refresh_from_db()
    article = Condition.objects.get(pk=invitation.condition_id)
    return signoffs.record_decision(
        invitation=invitation,
        revision=revision or article.latest_revision_id,
        decision=decision,
        comment=comment,
        ip_address="192.0.2.7",
        user_agent="Test",
    )
