"""Erasing a person, and the demo newsletter."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from newsletter import demo, services, signups
from newsletter.models import Delivery, Edition, Newsletter, Subscriber

pytestmark = pytest.mark.django_db


def test_forget_subscriber_erases_the_person_and_keeps_counts(
    capsys, admin_user, make_edition, make_subscribers
):
    edition = make_edition()
    alice, bob = make_subscribers(2)
    services.send_edition(edition=edition)
    Delivery.objects.filter(subscriber=alice).update(error=f"550 <{alice.email}> bounced")
    LogEntry.objects.log_actions(
        user_id=admin_user.pk, queryset=[alice], action_flag=CHANGE, change_message="Looked"
    )
    assert LogEntry.objects.filter(object_repr=alice.email).exists()

    call_command("forget_subscriber", f"  {alice.email.upper()} ")
    assert "Erased 1 subscription." in capsys.readouterr().out
    assert list(Subscriber.objects.all()) == [bob]
    assert Delivery.objects.filter(edition=edition, status="sent").count() == 2
    assert not Delivery.objects.filter(error__contains=alice.email).exists()
    assert not LogEntry.objects.filter(object_repr__contains=alice.email).exists()
    # Their old unsubscribe link does nothing harmful now.
    with pytest.raises(CommandError, match="No subscriber with the address"):
        call_command("forget_subscriber", alice.email)


def test_a_forgotten_person_can_sign_up_again(client, newsletter, make_subscribers):
    [alice] = make_subscribers(1)
    signups.forget_subscriber(email=alice.email)
    response = client.post("/newsletter/", {"email": alice.email})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_demo_newsletter_is_the_seeds_and_idempotent(client):
    lines = demo.load()
    assert "4 editions created" in lines[0]
    assert "0 editions created" in demo.load()[0]
    newsletter = Newsletter.objects.get()
    assert newsletter.name == "Current Research From Top Journals"
    assert Edition.objects.sources().filter(status=Edition.Status.SENT).count() == 4
    march = Edition.objects.get(slug="march-2015", language="en")
    assert march.summaries.get().body == (
        "Many medical groups felt that early exposure to certain foods like peanuts increased a "
        "child's risk of developing food allergies. However, newer research including this trial "
        "suggest that early exposure may actually decrease the risk of developing food allergies."
    )
    html = client.get("/newsletter/").content.decode()
    order = [
        "March 2015",
        "Breastfeeding May Decrease the Risk of Childhood Obesity",
        "Tonsillectomy May Reduce Number of Sore Throat Days in Children",
        "Research Review Finds Little Support for Nearly Half of Medical Talk Show",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    for edition in Edition.objects.sources().exclude(slug="march-2015"):
        summary = edition.summaries.get()
        assert summary.headline == edition.title and summary.body == ""
        assert not summary.journal and not summary.doi


def test_demo_has_the_spanish_version_of_the_latest_edition(client):
    demo.load()
    assert demo.load()[1].endswith("kept: /es/newsletter/march-2015/")  # idempotent
    march = Edition.objects.sources().sent().first()
    assert march.slug == "march-2015"
    spanish = march.translations.get()
    assert spanish.is_sent and spanish.language == "es" and spanish.title == "Marzo de 2015"
    summary = spanish.summaries.get()
    assert summary.body.startswith("Muchos grupos médicos consideraban")
    assert summary.body.count(".") == march.summaries.get().body.count(".")  # nothing added
    html = client.get("/es/newsletter/").content.decode()
    assert "Marzo de 2015" in html and "March 2015" not in html
    assert Edition.objects.filter(language="es").count() == 1


def test_load_demo_command_includes_the_newsletter(capsys):
    call_command("load_demo", "--force")
    assert "Newsletter “Current Research From Top Journals”" in capsys.readouterr().out
    assert Edition.objects.sources().count() == 4
    assert Edition.objects.filter(language="es").count() == 1
