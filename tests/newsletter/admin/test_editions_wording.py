"""What newsletter editors read in the admin: plain words, no shell
commands, links that open."""

import datetime

import pytest
from django.urls import reverse

from newsletter.models import Edition

pytestmark = pytest.mark.django_db


def test_one_confirmed_subscriber_is_singular(
    newsletter_editor_client, make_edition, make_subscribers
):
    edition = make_edition()
    make_subscribers(1)
    html = newsletter_editor_client.get(
        reverse("admin:newsletter_edition_change", args=[edition.pk])
    )
    assert "1 confirmed subscriber to send to" in html.content.decode()


def test_send_page_names_the_edition_once_and_shows_no_commands(
    newsletter_editor_client, make_edition
):
    edition = make_edition("November 2026", issue_date=datetime.date(2026, 11, 1))
    html = newsletter_editor_client.get(reverse("admin:newsletter_edition_send", args=[edition.pk]))
    text = html.content.decode()
    assert "<strong>November 2026</strong> to" in text
    assert "November 2026 (November 2026)" not in text
    assert "manage.py" not in text and "send_edition" not in text
    other = make_edition("Peanuts and allergies", issue_date=datetime.date(2026, 11, 1))
    text = newsletter_editor_client.get(reverse("admin:newsletter_edition_send", args=[other.pk]))
    assert "<strong>Peanuts and allergies</strong> (November 2026)" in text.content.decode()


def test_send_page_says_sending_continues_in_the_background(newsletter_editor_client, make_edition):
    edition = make_edition()
    text = newsletter_editor_client.get(reverse("admin:newsletter_edition_send", args=[edition.pk]))
    assert "Sending continues in the background" in text.content.decode()


def test_view_on_site_of_an_unsent_edition_opens_its_preview(
    newsletter_editor_client, make_edition
):
    draft = make_edition()
    change = newsletter_editor_client.get(
        reverse("admin:newsletter_edition_change", args=[draft.pk])
    )
    preview = reverse("admin:newsletter_edition_preview", args=[draft.pk])
    assert f'href="{preview}"' in change.content.decode()
    assert newsletter_editor_client.get(preview).status_code == 200
    sent = make_edition(status=Edition.Status.SENT)
    change = newsletter_editor_client.get(
        reverse("admin:newsletter_edition_change", args=[sent.pk])
    )
    assert f'href="{sent.get_absolute_url()}"' in change.content.decode()
    assert newsletter_editor_client.get(sent.get_absolute_url()).status_code == 200


def test_edition_slug_help_is_readable(newsletter_editor_client):
    html = newsletter_editor_client.get(reverse("admin:newsletter_edition_add")).content.decode()
    assert "/newsletter/march-2015/" in html and "/newsletter//" not in html
