"""Sign-up, double opt-in, unsubscribe: the rules a subscriber notices."""

import re
import time

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from newsletter import signups, tokens
from newsletter.forms import CONSENT_TEXT, HONEYPOT_MESSAGE, RATE_LIMITED_MESSAGE
from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db


def sign_up(client, email="reader@example.org", ip="203.0.113.5", **extra):
    return client.post("/newsletter/", {"email": email, **extra}, REMOTE_ADDR=ip)


def link_in(message, kind):
    return re.search(rf"http://localhost:8000(/newsletter/{kind}/[^/\s]+/)", message.body).group(1)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Reader@Example.ORG\n", "Reader@example.org"),
        ("reader@EXAMPLE.org", "reader@example.org"),
    ],
)
def test_addresses_are_trimmed_and_the_domain_lower_cased(typed, stored):
    assert signups.normalize_email(typed) == stored


@pytest.mark.parametrize("bad", ["", "reader", "reader@", "a b@example.org", "x@example..org"])
def test_invalid_addresses_get_a_clear_message(client, newsletter, bad):
    response = sign_up(client, bad)
    assert response.status_code == 400
    assert b"Enter" in response.content
    assert not Subscriber.objects.exists()
    with pytest.raises(ValidationError):
        signups.normalize_email(bad)


def test_new_address_is_pending_with_a_consent_record_and_gets_one_email(client, newsletter):
    response = sign_up(client)
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_text == str(CONSENT_TEXT)
    assert subscriber.consent_ip == "203.0.113.5"
    assert subscriber.consent_at is not None
    assert subscriber.confirmed_at is None
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "/newsletter/confirm/" in message.body
    # The wording they agreed to is on the form they used.
    assert str(CONSENT_TEXT) in client.get("/newsletter/").content.decode()


def test_the_answer_is_the_same_for_new_pending_and_confirmed(client, newsletter):
    new = sign_up(client, "a@example.org")
    pending = sign_up(client, "a@example.org", ip="203.0.113.6")
    Subscriber.objects.update(status=Subscriber.Status.CONFIRMED)
    confirmed = sign_up(client, "a@example.org", ip="203.0.113.7")
    assert new.status_code == pending.status_code == confirmed.status_code == 200
    assert new.content == pending.content == confirmed.content
    # Pending: asked again; confirmed: left alone, no email.
    assert len(mail.outbox) == 2
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_case_of_the_address_does_not_make_a_second_subscriber(client, newsletter):
    sign_up(client, "Reader@example.org")
    sign_up(client, "reader@EXAMPLE.org", ip="203.0.113.9")
    assert Subscriber.objects.count() == 1


def test_confirmation_link_confirms_once_and_records_when_and_from_where(client, newsletter):
    sign_up(client)
    link = link_in(mail.outbox[0], "confirm")
    response = client.get(link, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200
    assert "You are subscribed" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_ip == "198.51.100.7"
    first = subscriber.confirmed_at
    assert client.get(link).status_code == 200  # again: harmless
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == first
    assert response["Cache-Control"] == "private, no-store"


def test_confirmation_link_expires_after_seven_days(client, newsletter, monkeypatch):
    sign_up(client)
    link = link_in(mail.outbox[0], "confirm")
    eight_days = time.time() + 8 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: eight_days)
    response = client.get(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_six_days_is_still_fine(client, newsletter, monkeypatch):
    sign_up(client)
    link = link_in(mail.outbox[0], "confirm")
    six_days = time.time() + 6 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: six_days)
    assert client.get(link).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_altered_links_are_refused_with_a_clear_page(client, newsletter):
    sign_up(client)
    link = link_in(mail.outbox[0], "confirm")
    response = client.get(link[:-3] + "xx/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    # An unsubscribe token is not a confirmation token, and the reverse.
    subscriber = Subscriber.objects.get()
    unsubscribe = tokens.unsubscribe_token(subscriber.pk, subscriber.secret)
    assert client.get(f"/newsletter/confirm/{unsubscribe}/").status_code == 404
    confirm = link.split("/")[-2]
    assert client.post(f"/newsletter/unsubscribe/{confirm}/").status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_tokens_cannot_be_made_from_the_address(newsletter, make_subscribers):
    a, b = make_subscribers(2)
    # Same id, wrong secret: refused even though correctly signed.
    forged = tokens.unsubscribe_token(a.pk, "guessed")
    with pytest.raises(tokens.InvalidToken):
        signups.unsubscribe(token=forged)
    assert a.secret != b.secret and len(a.secret) >= 20
    assert a.email not in tokens.unsubscribe_token(a.pk, a.secret)


def test_old_confirmation_link_does_not_resubscribe(client, newsletter):
    sign_up(client)
    link = link_in(mail.outbox[0], "confirm")
    Subscriber.objects.update(status=Subscriber.Status.UNSUBSCRIBED)
    response = client.get(link)
    assert "You are not subscribed" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribed_can_sign_up_again_with_a_new_consent_record(client, newsletter):
    sign_up(client)
    Subscriber.objects.update(status=Subscriber.Status.UNSUBSCRIBED)
    sign_up(client, ip="203.0.113.99")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_ip == "203.0.113.99"
    assert len(mail.outbox) == 2


def test_honeypot_stops_bots_with_a_friendly_message(client, newsletter):
    response = sign_up(client, website="http://spam.example")
    assert response.status_code == 400
    assert HONEYPOT_MESSAGE.split(",")[0] in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_rate_limit_per_ip(client, newsletter, settings):
    settings.NEWSLETTER_SIGNUPS_PER_HOUR = 3
    for i in range(3):
        assert sign_up(client, f"r{i}@example.org").status_code == 200
    response = sign_up(client, "r9@example.org")
    assert response.status_code == 429
    assert RATE_LIMITED_MESSAGE.split(".")[0] in response.content.decode()
    assert Subscriber.objects.count() == 3
    # Another address (IP) is not affected.
    assert sign_up(client, "r9@example.org", ip="198.51.100.1").status_code == 200


def test_one_address_gets_at_most_three_confirmation_emails_a_day(client, newsletter):
    for i in range(5):
        assert sign_up(client, "victim@example.org", ip=f"203.0.113.{i}").status_code == 200
    assert len(mail.outbox) == signups.CONFIRMATIONS_PER_ADDRESS_PER_DAY


def test_a_cross_site_sign_up_is_refused(newsletter):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    for headers in (
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_REFERER": "https://evil.example/form"},
    ):
        response = client.post("/newsletter/", {"email": "a@example.org"}, **headers)
        assert response.status_code == 403
    assert not Subscriber.objects.exists()
    # The same form from our own page needs no token (the page is cached).
    response = client.post(
        "/newsletter/", {"email": "a@example.org"}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 200 and Subscriber.objects.exists()


def test_mail_server_down_answers_the_same_and_the_task_retries(client, newsletter, monkeypatch):
    calls = []

    def refuse(*args, **kwargs):
        calls.append(1)
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    response = sign_up(client)
    # The email is a task: the page cannot know, and says what it always says.
    assert response.status_code == 200
    assert "check your email" in response.content.decode().lower()
    assert len(calls) == 3  # the first run and two retries (immediate backend: no delay)


def confirmed_subscriber(client):
    sign_up(client)
    client.get(link_in(mail.outbox[0], "confirm"))
    subscriber = Subscriber.objects.get()
    return (
        subscriber,
        f"/newsletter/unsubscribe/{tokens.unsubscribe_token(subscriber.pk, subscriber.secret)}/",
    )


def test_unsubscribe_get_only_shows_a_button(client, newsletter):
    subscriber, url = confirmed_subscriber(client)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<button type="submit">Unsubscribe</button>' in html
    assert subscriber.email in html
    assert response["X-Robots-Tag"] == "noindex"
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_unsubscribe_post_works_without_csrf_and_is_idempotent(newsletter):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    subscriber, url = confirmed_subscriber(client.__class__())
    for _ in range(2):
        response = client.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert "You are unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    assert "not subscribed" in client.get(url).content.decode()


def test_unsubscribe_link_never_expires(client, newsletter, monkeypatch):
    subscriber, url = confirmed_subscriber(client)
    years_later = time.time() + 10 * 365 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: years_later)
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_signup_pages_exist_only_when_there_is_a_newsletter(client, db):
    assert client.get("/newsletter/").status_code == 404


def test_signing_up_from_an_article_returns_there_with_a_confirmation(client, newsletter):
    from newsletter.forms import SIGNED_UP_MESSAGE
    from tests import factories

    factories.article("Myoclonus", sections=1, groups=0, references=0, organizations=0)
    page = client.get("/conditions/myoclonus/").content.decode()
    assert '<input type="hidden" name="next" value="/conditions/myoclonus/">' in page
    response = sign_up(client, next="/conditions/myoclonus/")
    assert response.status_code == 302
    assert response["Location"] == "/conditions/myoclonus/"
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    back = client.get("/conditions/myoclonus/").content.decode()
    assert str(SIGNED_UP_MESSAGE) in back
    # Shown once; the next visit (and every other reader) gets the plain page.
    assert str(SIGNED_UP_MESSAGE) not in client.get("/conditions/myoclonus/").content.decode()


@pytest.mark.parametrize(
    "next_",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_sign_up_never_returns_to_another_site(client, newsletter, next_):
    response = sign_up(client, next=next_)
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()


def test_a_refused_sign_up_keeps_the_page_to_return_to(client, newsletter):
    response = sign_up(client, email="not an address", next="/conditions/myoclonus/")
    assert response.status_code == 400
    assert 'name="next" value="/conditions/myoclonus/"' in response.content.decode()


@pytest.mark.django_db
def test_suppressed_addresses_stay_suppressed_when_someone_signs_them_up(client, newsletter):
    sub = Subscriber.objects.create(
        newsletter=newsletter, email="gone@example.org", status=Subscriber.Status.BOUNCED,
        consent_text="x", consent_at=timezone.now(),
    )  # fmt: skip
    client.post("/newsletter/", {"email": "gone@example.org", "consent": "on"})
    sub.refresh_from_db()
    assert sub.status == Subscriber.Status.BOUNCED and not mail.outbox


@pytest.mark.django_db
def test_sign_up_does_the_same_work_whatever_the_address_state(newsletter, monkeypatch):
    """The request enqueues one confirmation task in every case and the
    task decides; so the answer takes the same time for a new, a pending
    and a confirmed address (before, a confirmed one skipped sending the
    email inside the request: 8 ms against over 200 ms)."""
    enqueued = []
    monkeypatch.setattr(
        signups, "send_confirmation", lambda subscriber_id: enqueued.append(subscriber_id)
    )
    counts = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # new, then pending, then (after confirming) confirmed
        with CaptureQueriesContext(connection) as queries:
            signups.sign_up(newsletter=newsletter, email="a@example.org", consent_text="yes")
        counts.append(len(queries))
        Subscriber.objects.filter(email="a@example.org").update(
            status=Subscriber.Status.CONFIRMED if len(counts) == 2 else Subscriber.Status.PENDING
        )
    assert len(enqueued) == 3
    # Insert vs update vs no write: a few sub-millisecond queries apart
    # (counts are new, pending, confirmed); no email and no SMTP in any.
    assert counts[2] >= 3 and max(counts) - min(counts) <= 3
    assert not mail.outbox


def test_a_forgotten_person_can_sign_up_again(client, newsletter, make_subscribers):
    [alice] = make_subscribers(1)
    signups.forget_subscriber(email=alice.email)
    response = client.post("/newsletter/", {"email": alice.email})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_unconfirmed_sign_ups_are_erased_when_their_link_expires_and_can_start_again(
    client, newsletter, make_subscribers
):
    [confirmed] = make_subscribers(1)
    sign_up(client, "late@example.org")
    sign_up(client, "recent@example.org")
    old = timezone.now() - tokens.CONFIRM_MAX_AGE - timezone.timedelta(minutes=1)
    Subscriber.objects.filter(email="late@example.org").update(consent_at=old)
    Subscriber.objects.filter(pk=confirmed.pk).update(consent_at=old)
    assert signups.expire_pending() == 1
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        confirmed.email,
        "recent@example.org",
    }
    # Signing up again sends a new link, and the same answer as for anyone.
    mail.outbox.clear()
    response = sign_up(client, "late@example.org")
    assert response.status_code == 200 and len(mail.outbox) == 1
