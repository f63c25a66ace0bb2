"""Fixtures several of the newsletter's test modules share."""

import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend

from newsletter import editions
from newsletter.models import Edition


class CountingBackend(EmailBackend):
    """locmem, counting connections and refusing chosen recipients."""

    opened = 0
    refuse = set()
    refuse_code = 550
    drop = set()

    def open(self):
        CountingBackend.opened += 1
        return super().open()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & CountingBackend.refuse:
                code = CountingBackend.refuse_code
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (code, b"No such user")})
            if set(message.to) & CountingBackend.drop:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def counting(settings):
    settings.EMAIL_BACKEND = "tests.newsletter.conftest.CountingBackend"
    CountingBackend.opened = 0
    CountingBackend.refuse = set()
    CountingBackend.refuse_code = 550
    CountingBackend.drop = set()
    return CountingBackend


SENT = Edition.Status.SENT


@pytest.fixture
def edition_in_two_languages(make_edition):
    """A sent English edition with its Spanish version (own title, headline
    and summary; the English source citation)."""
    english = make_edition("March 2015", slug="march-2015", status=SENT)
    spanish = editions.add_translation(edition=english, language="es")
    spanish.title = "Marzo de 2015"
    spanish.intro = "Lo nuevo de este mes."
    spanish.save()
    summary = spanish.summaries.get()
    summary.headline = "El maní temprano reduce las alergias"
    summary.body = "Los investigadores encontraron **algo**."
    summary.save()
    editions.publish_translation(edition=spanish)
    return english, spanish


@pytest.fixture
def library_topics(db):
    """A published article filed under three topics (a working copy and
    its live copy, made directly: cheaper than the demo); returns the
    working copy."""
    from conditions.models import Condition

    work = Condition.objects.create(title="Asthma", slug="asthma")
    live = Condition.objects.create(title="Asthma", slug="asthma", is_live=True, source=work)
    for article in (work, live):
        article.tags.add("Allergy", "Children", "Lungs")
    return work
