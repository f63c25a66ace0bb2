"""Issue 13, item 1: an ``article:`` link that names no valid slug must not
break the email's previews or sending, and sending must not mark an edition
sent before it can go out."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from healthlib.lib.markdown import article_path, invalid_article_links, render_markdown
from newsletter import emails, services
from newsletter.models import Delivery, Edition

pytestmark = pytest.mark.django_db

BAD = "See [Parkinson's](article:parkinson's-disease) and [tremor](article:essential-tremor)."


@pytest.fixture
def bad_edition(make_edition):
    edition = make_edition(intro=BAD)
    summary = edition.summaries.get()
    summary.body = BAD
    summary.save()
    return edition


def test_one_place_resolves_article_links():
    assert article_path("article:essential-tremor") == "/conditions/essential-tremor/"
    assert article_path("article:parkinson's-disease") is None
    assert invalid_article_links(BAD) == ["article:parkinson's-disease"]
    html = render_markdown(BAD)
    assert 'href="/conditions/essential-tremor/"' in html and "Parkinson's" in html


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


def test_a_failed_render_leaves_the_edition_a_draft(make_edition, make_subscribers, monkeypatch):
    edition = make_edition()
    make_subscribers(2)

    def broken(edition):
        raise RuntimeError("template error")

    monkeypatch.setattr(emails, "render_edition", broken)
    with pytest.raises(RuntimeError):
        services.send_edition(edition=edition)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT and edition.sent_at is None
    assert not Delivery.objects.filter(edition=edition).exists()


def test_mail_server_down_leaves_the_edition_a_draft(make_edition, make_subscribers, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    edition = make_edition()
    make_subscribers(1)
    with pytest.raises(services.SendingError):
        services.send_edition(edition=edition)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT


def test_admin_form_refuses_an_invalid_article_link(bad_edition):
    with pytest.raises(ValidationError) as exc:
        bad_edition.full_clean()
    assert "parkinson's-disease" in str(exc.value.message_dict["intro"])
    summary = bad_edition.summaries.get()
    with pytest.raises(ValidationError) as exc:
        summary.full_clean()
    assert "body" in exc.value.message_dict
