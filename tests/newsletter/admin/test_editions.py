"""Newsletter editors' admin."""

import pytest
from django.core import mail
from django.forms import modelform_factory

from newsletter import editions
from newsletter.models import Delivery, Edition, ResearchSummary
from tests import factories

pytestmark = pytest.mark.django_db


def test_editor_composes_an_edition_with_ordered_summaries(newsletter_editor_client, newsletter):
    working = factories.article("Food allergy")
    data = {
        "newsletter": newsletter.pk,
        "title": "March 2015",
        "slug": "march-2015",
        "issue_date": "2015-03-01",
        "intro": "",
        "summaries-TOTAL_FORMS": "2",
        "summaries-INITIAL_FORMS": "0",
        "summaries-MIN_NUM_FORMS": "0",
        "summaries-MAX_NUM_FORMS": "1000",
        "summaries-0-order": "2",
        "summaries-0-headline": "Second",
        "summaries-0-body": "Text",
        "summaries-0-related_articles": [str(working.pk)],
        "summaries-0-tags": "Allergies, Children",
        "summaries-1-order": "1",
        "summaries-1-headline": "First",
        "summaries-1-body": "",
    }
    response = newsletter_editor_client.post("/admin/newsletter/edition/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    edition = Edition.objects.get()
    assert [s.headline for s in edition.summaries.all()] == ["First", "Second"]
    second = edition.summaries.get(headline="Second")
    assert list(second.related_articles.all()) == [working]
    assert sorted(t.name for t in second.tags.all()) == ["Allergies", "Children"]
    assert edition.status == Edition.Status.DRAFT


def test_live_copies_cannot_be_chosen_as_related_articles(newsletter_editor_client, make_edition):
    working = factories.article("Food allergy")
    live = working.live_copy
    edition = make_edition()
    summary = edition.summaries.get()
    form = modelform_factory(ResearchSummary, fields=["related_articles"])()
    choices = form.fields["related_articles"].queryset
    assert working in choices and live not in choices
    assert summary.related_articles.count() == 0


def test_reserved_slug_is_refused_in_the_admin(newsletter_editor_client, newsletter):
    response = newsletter_editor_client.post(
        "/admin/newsletter/edition/add/",
        {
            "newsletter": newsletter.pk,
            "title": "Feed",
            "slug": "feed",
            "issue_date": "2015-03-01",
            "summaries-TOTAL_FORMS": "0",
            "summaries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "used by another page under /newsletter/" in response.content.decode()


def test_changelist_shows_delivery_counts(newsletter_editor_client, make_edition, make_subscribers):
    edition = make_edition("Counted")
    subscribers = make_subscribers(4)
    Delivery.objects.bulk_create(
        [
            Delivery(edition=edition, subscriber=subscribers[0], status="sent"),
            Delivery(edition=edition, subscriber=subscribers[1], status="sent"),
            Delivery(edition=edition, subscriber=subscribers[2], status="failed"),
        ]
    )
    response = newsletter_editor_client.get("/admin/newsletter/edition/")
    html = response.content.decode()
    assert '<td class="field-sent_count">2</td>' in html
    assert '<td class="field-failed_count">1</td>' in html
    change = newsletter_editor_client.get(
        f"/admin/newsletter/edition/{edition.pk}/change/"
    ).content.decode()
    assert (
        "2 sent, 1 failed, 0 pending or interrupted; 2 confirmed subscribers to send to" in change
    )


def test_email_preview_html_and_text(newsletter_editor_client, make_edition):
    edition = make_edition("Preview me")
    html = newsletter_editor_client.get(f"/admin/newsletter/edition/{edition.pk}/preview/")
    assert html.status_code == 200
    assert (
        "Preview me" in html.content.decode()
        and "<strong>something</strong>" in html.content.decode()
    )
    text = newsletter_editor_client.get(
        f"/admin/newsletter/edition/{edition.pk}/preview/?format=text"
    )
    assert text["Content-Type"].startswith("text/plain")
    assert "Finding" in text.content.decode()


def test_send_action_asks_then_sends(
    newsletter_editor_client, make_edition, make_subscribers, django_capture_on_commit_callbacks
):
    edition = make_edition("Go")
    make_subscribers(3)
    response = newsletter_editor_client.post(
        "/admin/newsletter/edition/",
        {"action": "send_action", "_selected_action": [edition.pk]},
    )
    assert response.status_code == 302
    confirm = newsletter_editor_client.get(response["Location"])
    assert "to <strong>3</strong> confirmed subscribers" in confirm.content.decode()
    assert not mail.outbox
    # The request only enqueues; the (immediate) backend then sends.
    with django_capture_on_commit_callbacks(execute=True):
        done = newsletter_editor_client.post(response["Location"], follow=True)
    html = done.content.decode()
    assert "Sending “Go” has started. It continues in the background" in html
    assert 'class="send-progress" data-url="' in html and "send_progress.js" in html
    assert len(mail.outbox) == 3
    progress = newsletter_editor_client.get(
        f"/admin/newsletter/edition/{edition.pk}/progress/"
    ).json()
    assert progress["finished"] and progress["percent"] == 100
    assert (progress["sent"], progress["failed"], progress["remaining"]) == (3, 0, 0)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


def test_sending_needs_the_send_permission(client, make_user, make_edition):
    user = make_user("viewer", permissions=["view_edition", "change_edition"])
    client.force_login(user)
    edition = make_edition()
    assert client.post(f"/admin/newsletter/edition/{edition.pk}/send/").status_code == 403
    changelist = client.get("/admin/newsletter/edition/").content.decode()
    assert "send_action" not in changelist


def test_send_a_test_to_me(
    newsletter_editor_client, newsletter_editor, make_edition, make_subscribers
):
    edition = make_edition("Try")
    make_subscribers(2)
    response = newsletter_editor_client.post(
        "/admin/newsletter/edition/",
        {"action": "send_test_action", "_selected_action": [edition.pk]},
        follow=True,
    )
    assert "A test of “Try” is on its way to nl-editor@example.org." in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["nl-editor@example.org"]
    assert not Delivery.objects.exists()

    newsletter_editor.email = ""
    newsletter_editor.save()
    response = newsletter_editor_client.post(
        "/admin/newsletter/edition/",
        {"action": "send_test_action", "_selected_action": [edition.pk]},
        follow=True,
    )
    assert "Add a valid email address to your account" in response.content.decode()


def test_progress_view_while_sending_and_its_permission(
    newsletter_editor_client, staff_without_role_client, make_edition, make_subscribers
):
    from newsletter import sending

    edition = make_edition("Long list")
    make_subscribers(5)
    url = f"/admin/newsletter/edition/{edition.pk}/progress/"
    assert newsletter_editor_client.get(url).json() == {"started": False}
    # Requested, not yet picked up by a worker (on_commit never runs here).
    sending.request_sending(edition=edition)
    data = newsletter_editor_client.get(url).json()
    assert data["started"] and data["started_at"] is None and data["remaining"] == 5
    assert data["percent"] == 0 and not data["finished"]
    assert staff_without_role_client.get(url).status_code in (403, 404)


SENT = Edition.Status.SENT


def test_an_editor_adds_the_spanish_version_prefilled_from_the_english(
    newsletter_editor_client, make_edition
):
    english = make_edition("June", slug="june", summaries=2)
    english.summaries.first().tags.add("Allergies")
    change = newsletter_editor_client.get(f"/admin/newsletter/edition/{english.pk}/change/")
    url = f"/admin/newsletter/edition/{english.pk}/translate/es/"
    assert url in change.content.decode()
    assert newsletter_editor_client.get(url).status_code == 200  # asks first
    assert not Edition.objects.filter(language="es").exists()
    response = newsletter_editor_client.post(url)
    spanish = Edition.objects.get(language="es")
    assert response["Location"] == f"/admin/newsletter/edition/{spanish.pk}/change/"
    assert spanish.translation_of == english and spanish.slug == "june"
    assert spanish.status == Edition.Status.DRAFT
    pairs = zip(english.summaries.all(), spanish.summaries.all(), strict=True)
    for source, copy in pairs:
        assert (copy.headline, copy.body, copy.journal, copy.doi) == (
            source.headline,
            source.body,
            source.journal,
            source.doi,
        )
    assert [t.name for t in spanish.summaries.first().tags.all()] == ["Allergies"]
    # Asking again opens the existing version.
    assert newsletter_editor_client.post(url)["Location"] == response["Location"]
    # The Spanish version is not sent by itself.
    send = newsletter_editor_client.get(f"/admin/newsletter/edition/{spanish.pk}/send/")
    assert send["Location"] == f"/admin/newsletter/edition/{spanish.pk}/change/"


def test_an_editor_publishes_a_version_written_after_the_english_edition_was_sent(
    newsletter_editor_client, make_edition, make_subscribers
):
    from django.test import Client

    reader = Client()
    english = make_edition("August", slug="august", status=SENT)
    make_subscribers(1)
    spanish = editions.add_translation(edition=english, language="es")
    change = newsletter_editor_client.get(f"/admin/newsletter/edition/{spanish.pk}/change/")
    assert change.status_code == 200
    page = change.content.decode()
    assert f"/admin/newsletter/edition/{english.pk}/change/" in page  # the English edition
    url = f"/admin/newsletter/edition/{spanish.pk}/publish/"
    assert url in page
    assert newsletter_editor_client.get(url).status_code == 200  # asks first
    assert reader.get("/es/newsletter/august/").status_code == 404
    newsletter_editor_client.post(url)
    assert reader.get("/es/newsletter/august/").status_code == 200
    assert mail.outbox == [] and not Delivery.objects.exists()
