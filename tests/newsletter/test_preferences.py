"""The preference page from every email's footer: choices, a pause, the
subscriber's data as JSON, erasing them; and sign-up with topics."""

import datetime
import json
import re

import pytest
from django.core import mail
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletter import emails, preferences, tokens
from newsletter.models import Delivery, Subscriber

pytestmark = pytest.mark.django_db


def _path(url):
    return url.removeprefix("http://localhost:8000")


@pytest.fixture
def topics(library_topics):
    """The library's topics readers may choose."""
    choices = preferences.topic_choices("en")
    assert len(choices) >= 2
    return choices


@pytest.fixture
def reader(make_subscribers):
    [subscriber] = make_subscribers(1)
    return subscriber


def _page(reader, language="en"):
    return _path(emails.unsubscribe_url(reader.pk, reader.secret, language))


def _token(reader):
    return tokens.unsubscribe_token(reader.pk, reader.secret)


def test_the_footer_link_opens_the_preference_page_with_unsubscribe_first(client, reader, topics):
    page = client.get(_page(reader)).content.decode()
    assert page.index("Unsubscribe") < page.index("What you get") < page.index("Your data")
    assert reader.email in page
    for topic in topics:
        assert topic.display_name in page
    response = client.get(_page(reader))
    assert response["Cache-Control"] == "private, no-store"


def test_choices_are_saved_and_shown_again(client, reader, topics):
    pause = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        f"/newsletter/preferences/{_token(reader)}/",
        {
            "topics": [topics[0].pk, topics[1].pk],
            "language": "es",
            "frequency": "monthly",
            "paused_until": pause.isoformat(),
        },
    )
    # Back to the page, in the language just chosen.
    assert response.status_code == 302
    assert response["Location"] == f"/es/newsletter/preferences/{_token(reader)}/"
    reader.refresh_from_db()
    assert set(reader.topics.all()) == {topics[0], topics[1]}
    assert (reader.language, reader.frequency, reader.paused_until) == ("es", "monthly", pause)
    page = client.get(response["Location"]).content.decode()
    assert "Sus preferencias se han guardado." in page
    assert f'value="{pause.isoformat()}"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("paused_until", "2 weeks", "Enter a date, such as 2027-01-31."),
        ("paused_until", "2099-01-01", "Pause for a year at most."),
        ("frequency", "daily", "Select a valid choice."),
        ("topics", "999999", "Select a valid choice."),
    ],
)
def test_bad_choices_get_a_clear_message_and_change_nothing(
    client, reader, topics, field, value, message
):
    data = {"topics": [topics[0].pk], "language": "es", "frequency": "every", field: value}
    response = client.post(f"/newsletter/preferences/{_token(reader)}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    reader.refresh_from_db()
    assert (reader.language, reader.topics.count(), reader.paused_until) == ("en", 0, None)


def test_a_day_gone_by_is_no_pause(client, reader, topics):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {"language": "en", "frequency": "every", "paused_until": yesterday.isoformat()}
    client.post(f"/newsletter/preferences/{_token(reader)}/", data)
    reader.refresh_from_db()
    assert reader.paused_until is None


def test_other_links_and_altered_tokens_open_nothing(client, reader, db):
    confirm = tokens.confirmation_token(reader)
    for token in (confirm, _token(reader)[:-2] + "xx", "nonsense"):
        assert client.get(f"/newsletter/preferences/{token}/").status_code == 404
        assert client.get(f"/newsletter/preferences/{token}/data.json").status_code == 404
        assert client.post(f"/newsletter/preferences/{token}/erase/").status_code == 404
    assert Subscriber.objects.filter(pk=reader.pk).exists()


def test_the_download_holds_everything_stored_about_them(client, reader, make_edition, topics):
    reader.topics.set([topics[0]])
    edition = make_edition("March 2015")
    Delivery.objects.create(edition=edition, subscriber=reader, status=Delivery.Status.SENT)
    response = client.get(f"/newsletter/preferences/{_token(reader)}/data.json")
    assert response["Content-Disposition"] == 'attachment; filename="newsletter-my-data.json"'
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["email"] == reader.email and data["topics"] == [topics[0].name]
    assert data["consent"]["text"] == reader.consent_text
    assert [e["edition"] for e in data["emails"]] == ["March 2015"]
    # Every stored field of the subscriber is in it (a new one must be added).
    stored = {f.name for f in Subscriber._meta.concrete_fields} - {
        "id", "newsletter", "secret", "consent_text", "consent_at", "consent_ip",
        "confirmed_at", "confirmed_ip", "suppressed_at", "suppressed_reason",
        "created_at", "soft_bounces",
    }  # fmt: skip
    assert stored <= set(data)


def test_erasing_needs_the_box_ticked_then_leaves_nothing_but_counts(client, reader, make_edition):
    edition = make_edition()
    Delivery.objects.create(edition=edition, subscriber=reader, status=Delivery.Status.SENT)
    url = f"/newsletter/preferences/{_token(reader)}/erase/"
    response = client.post(url)
    assert response.status_code == 302 and Subscriber.objects.filter(pk=reader.pk).exists()
    page = client.post(url, {"confirm": "yes"}).content.decode()
    assert "Your data is erased" in page
    assert not Subscriber.objects.filter(email__iexact=reader.email).exists()
    assert Delivery.objects.get(edition=edition).subscriber is None
    # The link now says nothing is stored.
    assert "Nothing is stored" in client.get(_page(reader)).content.decode()
    assert client.get(f"/newsletter/preferences/{_token(reader)}/data.json").status_code == 404


def test_sign_up_with_two_topics_and_spanish(client, newsletter, topics):
    page = client.get("/newsletter/").content.decode()
    assert topics[0].display_name in page and 'type="checkbox" name="topics"' in page
    client.post(
        "/newsletter/",
        {"email": "lector@example.org", "language": "es", "topics": [topics[0].pk, topics[1].pk]},
    )
    subscriber = Subscriber.objects.get(email="lector@example.org")
    assert subscriber.language == "es"
    assert set(subscriber.topics.all()) == {topics[0], topics[1]}
    # A confirmed subscriber's choices are theirs: nobody changes them by
    # signing the address up again.
    Subscriber.objects.filter(pk=subscriber.pk).update(status=Subscriber.Status.CONFIRMED)
    client.post("/newsletter/", {"email": "lector@example.org", "language": "en"})
    assert subscriber.topics.count() == 2
    assert Subscriber.objects.get(pk=subscriber.pk).language == "es"
    assert len(mail.outbox) == 1


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    language=st.sampled_from(["en", "es", "fr", ""]),
    frequency=st.sampled_from(["every", "monthly", "weekly", ""]),
    days=st.none() | st.integers(-5, 400),
)
def test_whatever_is_posted_the_page_saves_all_or_nothing(
    client, reader, topics, language, frequency, days
):
    Subscriber.objects.filter(pk=reader.pk).update(
        language="en", frequency="every", paused_until=None
    )
    pause = "" if days is None else (timezone.localdate() + datetime.timedelta(days)).isoformat()
    data = {"language": language, "frequency": frequency, "paused_until": pause}
    response = client.post(f"/newsletter/preferences/{_token(reader)}/", data)
    reader.refresh_from_db()
    valid = (
        language in ("en", "es")
        and frequency in ("every", "monthly")
        and (days is None or days <= 366)
    )
    assert response.status_code == (302 if valid else 400)
    if valid:
        assert (reader.language, reader.frequency) == (language, frequency)
        assert reader.paused_until == (
            None if days is None or days <= 0 else timezone.localdate() + datetime.timedelta(days)
        )
    else:
        assert (reader.language, reader.frequency, reader.paused_until) == ("en", "every", None)


def test_every_edition_email_links_to_the_page_and_names_the_sender(settings, make_edition, reader):
    settings.NEWSLETTER_POSTAL_ADDRESS = "Health Library\n1 Example Street\nSpringfield"
    rendered = emails.render_edition(make_edition())
    message = rendered.message(to=reader.email, unsubscribe_url="https://x.example/u/")
    text, html = message.body, message.alternatives[0][0]
    assert (
        "Choose your topics, language and how often, or unsubscribe:\nhttps://x.example/u/" in text
    )
    assert re.search(r"Sent by .+ \(.+@.+\), Health Library, 1 Example Street, Springfield\.", text)
    assert "Health Library, 1 Example Street, Springfield." in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
