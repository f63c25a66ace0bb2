"""Issue 13, item 1 (newsletter.emails): an ``article:`` link that names no
valid slug must not break the email's previews or sending."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from newsletter import emails
from newsletter.models import Delivery

pytestmark = pytest.mark.django_db


BAD = "See [Parkinson's](article:parkinson's-disease) and [tremor](article:essential-tremor)."


@pytest.fixture
def bad_edition(make_edition):
    edition = make_edition(intro=BAD)
    summary = edition.summaries.get()
    summary.body = BAD
    summary.save()
    return edition


def test_text_part_keeps_the_words_of_an_invalid_link(bad_edition):
    text = emails.markdown_as_text(BAD)
    assert text.startswith("See Parkinson's and tremor\n(http")
    rendered = emails.render_edition(bad_edition)
    assert "Parkinson's" in rendered.text and "Parkinson's" in rendered.html


def test_previews_answer_200(newsletter_editor_client, bad_edition):
    url = f"/admin/newsletter/edition/{bad_edition.pk}/preview/"
    assert newsletter_editor_client.get(url).status_code == 200
    response = newsletter_editor_client.get(url + "?format=text")
    assert response.status_code == 200
    assert "Parkinson's" in response.content.decode()


def test_send_delivers_an_edition_with_an_invalid_link(
    newsletter_editor_client, bad_edition, make_subscribers, django_capture_on_commit_callbacks
):
    make_subscribers(2)
    with django_capture_on_commit_callbacks(execute=True):
        response = newsletter_editor_client.post(
            f"/admin/newsletter/edition/{bad_edition.pk}/send/"
        )
    assert response.status_code == 302
    bad_edition.refresh_from_db()
    assert bad_edition.is_sent
    assert Delivery.objects.filter(edition=bad_edition, status="sent").count() == 2
    assert len(mail.outbox) == 2


def test_admin_form_refuses_an_invalid_article_link(bad_edition):
    with pytest.raises(ValidationError) as exc:
        bad_edition.full_clean()
    assert "parkinson's-disease" in str(exc.value.message_dict["intro"])
    summary = bad_edition.summaries.get()
    with pytest.raises(ValidationError) as exc:
        summary.full_clean()
    assert "body" in exc.value.message_dict
