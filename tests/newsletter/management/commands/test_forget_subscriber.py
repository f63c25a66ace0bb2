"""manage.py forget_subscriber: the person erased, the counts kept."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from newsletter import services
from newsletter.models import Delivery, Subscriber

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
