"""Readers' feedback in the admin (conditions.admin.feedback): counts and
comments on the article's page and the dashboard, marked handled, never
edited."""

import pytest
from django.urls import reverse

from conditions import selectors, services
from conditions.models import Feedback

pytestmark = pytest.mark.django_db


def test_editors_see_counts_and_comments_and_mark_them_handled(
    editor_client, feedback_article, editor
):
    live = feedback_article.live_copy
    services.record_feedback(live=live, helpful=True)
    services.record_feedback(live=live, helpful=False, comment="Needs pictures")

    change = editor_client.get(
        reverse("admin:conditions_condition_change", args=[feedback_article.pk])
    )
    html = change.content.decode()
    assert "Yes: 1 · No: 1 · Comments to handle: 1" in html
    assert "Needs pictures" in html

    dashboard = editor_client.get(reverse("admin:index")).content.decode()
    assert 'id="dashboard-feedback"' in dashboard
    assert "Needs pictures" in dashboard
    assert "(1 comment to handle)" in dashboard

    feedback = Feedback.objects.get(helpful=False)
    response = editor_client.post(
        reverse("admin:conditions_feedback_changelist"),
        {"action": "mark_handled", "_selected_action": [feedback.pk]},
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.is_handled and feedback.handled_by == editor
    counts, comments = selectors.article_feedback(feedback_article)
    assert counts["to_handle"] == 0 and comments == []
    # What the reader wrote cannot be edited or added to.
    assert editor_client.get(reverse("admin:conditions_feedback_add")).status_code == 403
