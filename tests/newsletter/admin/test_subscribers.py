"""Subscribers in the admin (newsletter.admin.subscribers): search, filters,
the CSV export, and no adding by hand."""

import csv
import io

import pytest

from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db


def test_subscribers_search_filter_and_csv_export(newsletter_editor_client, make_subscribers):
    make_subscribers(2, prefix="alice")
    make_subscribers(1, prefix="bob", status=Subscriber.Status.PENDING)
    found = newsletter_editor_client.get("/admin/newsletter/subscriber/?q=bob").content.decode()
    assert found.count("@example.org</a>") == 1
    pending = newsletter_editor_client.get("/admin/newsletter/subscriber/?status__exact=pending")
    assert "bob" in pending.content.decode() and "alice" not in pending.content.decode()
    assert newsletter_editor_client.get("/admin/newsletter/subscriber/add/").status_code == 403

    Subscriber.objects.filter(email__startswith="bob").update(email="=cmd@example.org")
    response = newsletter_editor_client.post(
        "/admin/newsletter/subscriber/",
        {
            "action": "export_csv",
            "_selected_action": list(Subscriber.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Disposition"] == 'attachment; filename="subscribers.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["email", "status", "newsletter"]
    assert len(rows) == 4
    assert "'=cmd@example.org" in [r[0] for r in rows]  # no formula injection
    assert all(r[5] == "I agree" for r in rows[1:])


def test_the_subscriber_admin_shows_and_filters_the_language(
    newsletter_editor_client, make_subscribers
):
    make_subscribers(1, prefix="reader")
    [lectora] = make_subscribers(1, prefix="lectora")
    Subscriber.objects.filter(pk=lectora.pk).update(language="es")
    page = newsletter_editor_client.get(
        "/admin/newsletter/subscriber/?language__exact=es"
    ).content.decode()
    assert "lectora" in page and "reader" not in page
    assert "Español" in page
