"""Editions (newsletter.editions): a test copy to one address, which records
nothing."""

import pytest
from django.core import mail

from newsletter import editions
from newsletter.models import Delivery, Edition

pytestmark = pytest.mark.django_db


def test_send_test_goes_to_one_address_and_records_nothing(make_edition, make_subscribers):
    edition = make_edition()
    make_subscribers(3)
    editions.send_test(edition=edition, to="editor@example.org")
    [message] = mail.outbox
    assert message.to == ["editor@example.org"]
    assert message.subject.startswith("[Test] ")
    assert not Delivery.objects.exists()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT
