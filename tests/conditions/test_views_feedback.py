""" "Was this page helpful?" (conditions.views.condition_feedback): readers
answer without an account; the answer is protected like the newsletter
sign-up (honeypot, rate limit), kept without personal data, never cached
per reader."""

import pytest
from django.urls import reverse

from conditions.forms import FEEDBACK_HONEYPOT_MESSAGE, FEEDBACK_THANKS
from conditions.models import Feedback
from conditions.pages.privacy import EMAIL_MASK, PHONE_MASK
from tests import factories
from tests.factories import SMALL

pytestmark = pytest.mark.django_db


def post(client, slug="myoclonus", **data):
    return client.post(reverse("conditions:feedback", args=[slug]), data)


def test_an_answer_is_stored_against_the_article_and_revision_shown(client, feedback_article):
    response = post(client, helpful="no", comment="  Too   short.  ")
    assert response.status_code == 302
    assert response["Location"] == "/conditions/myoclonus/#feedback"
    feedback = Feedback.objects.get()
    assert feedback.condition == feedback_article
    assert feedback.revision_id == feedback_article.live_revision_id
    assert (feedback.helpful, feedback.comment) == (False, "Too short.")


def test_emails_and_phone_numbers_are_masked_when_stored(client, feedback_article):
    post(client, helpful="yes", comment="Write to jane.doe@example.org or call (555) 123-4567.")
    assert Feedback.objects.get().comment == f"Write to {EMAIL_MASK} or call {PHONE_MASK}."


def test_the_honeypot_keeps_nothing(client, feedback_article):
    response = post(client, helpful="yes", website="http://spam.example")
    assert response.status_code == 400
    assert FEEDBACK_HONEYPOT_MESSAGE in response.content.decode()
    assert not Feedback.objects.exists()


def test_an_answer_needs_yes_or_no(client, feedback_article):
    response = post(client, comment="hm")
    assert response.status_code == 400
    assert "Choose yes or no." in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert not Feedback.objects.exists()


def test_a_long_comment_is_refused(client, feedback_article):
    assert post(client, helpful="yes", comment="x" * 501).status_code == 400


def test_rate_limited_per_address(client, feedback_article, settings):
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


def test_the_thank_you_is_shown_once_and_not_cached(client, feedback_article):
    response = post(client, helpful="yes")
    page = client.get(response["Location"].split("#")[0])
    assert FEEDBACK_THANKS in page.content.decode()
    # The next reader (and the next visit) gets the cached page without it.
    again = client.get("/conditions/myoclonus/")
    assert FEEDBACK_THANKS not in again.content.decode()
