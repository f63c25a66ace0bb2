"""“Was this page helpful?”: readers answer without an account; the answer
is protected like the newsletter sign-up (honeypot, rate limit), kept
without personal data, never cached per reader; editors see it in the
article's admin page and on the dashboard, and mark comments handled."""

import pytest
from django.urls import reverse

from conditions import selectors, services
from conditions.forms import FEEDBACK_HONEYPOT_MESSAGE, FEEDBACK_THANKS
from conditions.models import Feedback
from conditions.pages.privacy import EMAIL_MASK, PHONE_MASK, mask_personal_data
from tests import factories
from tests.factories import SMALL

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    condition = factories.article("Myoclonus", **SMALL)
    condition.refresh_from_db()
    return condition


def post(client, slug="myoclonus", **data):
    return client.post(reverse("conditions:feedback", args=[slug]), data)


def test_an_answer_is_stored_against_the_article_and_revision_shown(client, article):
    response = post(client, helpful="no", comment="  Too   short.  ")
    assert response.status_code == 302
    assert response["Location"] == "/conditions/myoclonus/#feedback"
    feedback = Feedback.objects.get()
    assert feedback.condition == article
    assert feedback.revision_id == article.live_revision_id
    assert (feedback.helpful, feedback.comment) == (False, "Too short.")


def test_emails_and_phone_numbers_are_masked_when_stored(client, article):
    post(client, helpful="yes", comment="Write to jane.doe@example.org or call (555) 123-4567.")
    assert Feedback.objects.get().comment == f"Write to {EMAIL_MASK} or call {PHONE_MASK}."


@pytest.mark.parametrize(
    "text,expected",
    [
        ("me at a.b@c.co.uk", f"me at {EMAIL_MASK}"),
        ("jane (at) example (dot) com", EMAIL_MASK),
        ("+44 (0)20 7946 0958", PHONE_MASK),
        ("555.123.4567 please", f"{PHONE_MASK} please"),
        ("Page 3 of 12, in 2024, 10 mg.", "Page 3 of 12, in 2024, 10 mg."),
    ],
)
def test_masking(text, expected):
    assert mask_personal_data(text) == expected


def test_masking_hostile_text_is_fast():
    import time

    start = time.process_time()
    for text in ("1 " * 500, "a." * 500 + "@", "-1" * 500, "a@" * 500, "(" * 1000):
        mask_personal_data(text)
    assert time.process_time() - start < 0.5


def test_the_honeypot_keeps_nothing(client, article):
    response = post(client, helpful="yes", website="http://spam.example")
    assert response.status_code == 400
    assert FEEDBACK_HONEYPOT_MESSAGE in response.content.decode()
    assert not Feedback.objects.exists()


def test_an_answer_needs_yes_or_no(client, article):
    response = post(client, comment="hm")
    assert response.status_code == 400
    assert "Choose yes or no." in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert not Feedback.objects.exists()


def test_a_long_comment_is_refused(client, article):
    assert post(client, helpful="yes", comment="x" * 501).status_code == 400


def test_rate_limited_per_address(client, article, settings):
    settings.FEEDBACK_PER_HOUR = 2
    assert post(client, helpful="yes").status_code == 302
    assert post(client, helpful="yes").status_code == 302
    response = post(client, helpful="yes")
    assert response.status_code == 429
    assert Feedback.objects.count() == 2


def test_unpublished_or_unknown_articles_take_no_answers(client):
    factories.article("Draft", publish=False, **SMALL)
    assert post(client, "draft", helpful="yes").status_code == 404
    assert post(client, "nothing-here", helpful="yes").status_code == 404


def test_the_thank_you_is_shown_once_and_not_cached(client, article):
    response = post(client, helpful="yes")
    page = client.get(response["Location"].split("#")[0])
    assert FEEDBACK_THANKS in page.content.decode()
    # The next reader (and the next visit) gets the cached page without it.
    again = client.get("/conditions/myoclonus/")
    assert FEEDBACK_THANKS not in again.content.decode()


def test_services_refuse_a_working_copy(article):
    with pytest.raises(services.WorkflowError):
        services.record_feedback(live=article, helpful=True)


def test_editors_see_counts_and_comments_and_mark_them_handled(editor_client, article, editor):
    live = article.live_copy
    services.record_feedback(live=live, helpful=True)
    services.record_feedback(live=live, helpful=False, comment="Needs pictures")

    change = editor_client.get(reverse("admin:conditions_condition_change", args=[article.pk]))
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
    counts, comments = selectors.article_feedback(article)
    assert counts["to_handle"] == 0 and comments == []
    # What the reader wrote cannot be edited or added to.
    assert editor_client.get(reverse("admin:conditions_feedback_add")).status_code == 403
