"""Emails of the review loop: a submitted article to the medical reviewers,
requested changes and a publication back to the article's author; an
outside specialist's link to them, and their decision back.

Each message is enqueued as a task once the workflow's transaction has
committed, so a refused or rolled-back step never emails anyone, the
reviewer's click does not wait for the mail server, and a mail server that
is down never undoes a step that succeeded (the task is retried, then
recorded failed with its error).
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from conditions.selectors.workflow import author_of, reviewers
from healthlib.lib.taskqueue import enqueue_on_commit

logger = logging.getLogger(__name__)

# The task that sends a message (healthlib.lib.taskqueue.task_named).
SEND_TASK = "conditions.tasks.send_notification"


def _absolute(path):
    return f"{settings.SITE_URL}{path}"


def _send(subject, template, context, recipients):
    """Enqueue the email; returns the addresses it goes to (none: nobody
    could be emailed), so the person who took the step is told the truth."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return []
    context = {"site_url": settings.SITE_URL, **context}
    body = render_to_string(template, context)
    # Rendered now, while the workflow's data is as the step left it. The
    # task is named, not imported: the tasks module imports the services,
    # which import this one.
    enqueue_on_commit(SEND_TASK, subject, body, recipients)
    return recipients


def _links(condition, revision=None):
    compare = reverse("admin:conditions_condition_compare", args=[condition.pk])
    return {
        "compare_url": _absolute(compare),
        "change_url": _absolute(reverse("admin:conditions_condition_change", args=[condition.pk])),
        "publish_url": _absolute(
            reverse("admin:conditions_condition_workflow", args=[condition.pk, "publish"])
        ),
    }


def submitted(condition, *, user, comment):
    return _send(
        f"Review requested: {condition.title}",
        "conditions/email/submitted.txt",
        {"condition": condition, "user": user, "comment": comment, **_links(condition)},
        [u.email for u in reviewers() if u != user],
    )


def changes_requested(condition, *, user, comment, revision):
    author = author_of(condition, before=revision)
    return _send(
        f"Changes requested: {condition.title}",
        "conditions/email/changes_requested.txt",
        {"condition": condition, "user": user, "comment": comment, **_links(condition)},
        [author.email] if author is not None and author != user else [],
    )


def published(condition, *, user, revision):
    author = author_of(condition, before=revision)
    live_url = _absolute(reverse("conditions:detail", args=[condition.slug]))
    return _send(
        f"Published: {condition.title}",
        "conditions/email/published.txt",
        {
            "condition": condition,
            "user": user,
            "revision": revision,
            "live_url": live_url,
            **_links(condition),
        },
        [author.email] if author is not None and author != user else [],
    )


def specialist_invited(invitation, *, link, user):
    """The outside specialist's link, to their address."""
    condition = invitation.condition
    return _send(
        f"Please review: {condition.title}",
        "conditions/email/signoff_invitation.txt",
        {
            "condition": condition,
            "invitation": invitation,
            "user": user,
            "link": link,
            "days": settings.SIGNOFF_LINK_DAYS,
        },
        [invitation.email],
    )


def specialist_decided(signoff, *, condition):
    """A specialist's decision, to the reviewer who invited them and the
    article's author."""
    invitation = signoff.invitation
    author = author_of(condition)
    recipients = [getattr(invitation.invited_by, "email", "")]
    if author is not None:
        recipients.append(author.email)
    verb = "approved" if signoff.approved else "requested changes to"
    return _send(
        f"{invitation.signer} {verb}: {condition.title}",
        "conditions/email/signoff_decided.txt",
        {"condition": condition, "signoff": signoff, **_links(condition)},
        recipients,
    )
