"""Statistics that name nobody (newsletter.stats): clicks per link through
a signed redirect, unsubscribes, bounces and complaints per edition."""

import re
from urllib.parse import quote

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import signing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletter import emails, signups, stats, tokens
from newsletter.models import Delivery, EditionCounts, LinkClick

pytestmark = pytest.mark.django_db

CLICK = re.compile(r'href="http://localhost:8000(/newsletter/click/[^"]+/)"')


def _sent(edition, subscriber):
    Delivery.objects.create(edition=edition, subscriber=subscriber, status=Delivery.Status.SENT)


def test_a_click_is_counted_per_link_and_edition_with_nothing_about_the_reader(
    client, make_edition, make_subscribers
):
    edition = make_edition("March 2015")
    rendered = emails.render_versions(edition).for_language("en")
    links = CLICK.findall(rendered.html)
    assert links  # every web link goes through the counter…
    assert emails.UNSUBSCRIBE_PLACEHOLDER in rendered.html  # …but the unsubscribe one
    assert "/newsletter/click/" not in rendered.text  # the plain text stays readable
    target = stats.read_click(links[0].split("/")[-2])[1]
    response = client.get(links[0], HTTP_USER_AGENT="Reader/1.0", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302 and response["Location"] == target
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies
    client.get(links[0])
    [click] = LinkClick.objects.all()
    assert (click.edition, click.url, click.clicks) == (edition, target, 2)
    # The row is all there is: no field could name a reader.
    assert {f.name for f in LinkClick._meta.concrete_fields} == {"id", "edition", "url", "clicks"}
    # Every recipient's copy has the same links: nothing personal in them.
    [a, b] = make_subscribers(2)
    assert all(len(stats.read_click(link.split("/")[-2])) == 2 for link in links)
    assert a.secret not in "".join(links) and b.email not in "".join(links)


def test_previews_and_tests_count_nothing(make_edition):
    assert "/newsletter/click/" not in emails.render_edition(make_edition()).html


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.Signer(salt="other").sign_object([1, "https://evil.example/"]),
        signing.Signer(salt=stats.CLICK_SALT).sign_object([1, "javascript:alert(1)"]),
        signing.Signer(salt=stats.CLICK_SALT).sign_object(["1", "https://x.example/"]),
    ],
)
def test_only_our_signed_web_links_redirect(client, token):
    response = client.get(f"/newsletter/click/{quote(token)}/")
    assert response.status_code == 404
    assert not LinkClick.objects.exists()


def test_an_altered_link_cannot_redirect_elsewhere(client, make_edition):
    edition = make_edition()
    token = stats.click_token(edition.pk, "https://health.example.org/")
    forged = stats.click_token(edition.pk, "https://evil.example/")[:-10] + token[-10:]
    assert client.get(f"/newsletter/click/{forged}/").status_code == 404


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    urls=st.lists(
        st.from_regex(r"https?://[a-z]{1,10}\.example/[a-z0-9/#?=&-]{0,30}", fullmatch=True),
        min_size=1,
        max_size=5,
    )
)
def test_every_web_link_is_counted_and_leads_where_it_did(make_edition, urls):
    html = "".join(f'<a href="{u.replace("&", "&amp;")}">x</a>' for u in urls)
    html += f'<a href="{emails.UNSUBSCRIBE_PLACEHOLDER}">u</a><a href="mailto:a@b.example">m</a>'
    tracked = stats.track_links(
        html, edition_id=7, absolute_url=emails.absolute_url, skip=(emails.UNSUBSCRIBE_PLACEHOLDER,)
    )
    found = [stats.read_click(t) for t in re.findall(r"/newsletter/click/([^/\"]+)/", tracked)]
    assert found == [(7, u) for u in urls]
    assert f'href="{emails.UNSUBSCRIBE_PLACEHOLDER}"' in tracked
    assert 'href="mailto:a@b.example"' in tracked


def test_unsubscribes_bounces_and_complaints_count_against_the_last_edition_sent(
    make_edition, make_subscribers
):
    old, last = make_edition(), make_edition()
    leaving, bouncing, complaining = make_subscribers(3)
    for subscriber in (leaving, bouncing, complaining):
        _sent(old, subscriber)
        _sent(last, subscriber)
    signups.unsubscribe(token=tokens.unsubscribe_token(leaving.pk, leaving.secret))
    signups.unsubscribe(token=tokens.unsubscribe_token(leaving.pk, leaving.secret))  # twice
    for subscriber, event_type in ((bouncing, "bounced"), (complaining, "complained")):
        event = AnymailTrackingEvent(event_type=event_type, recipient=subscriber.email)
        tracking.send(sender=object, event=event, esp_name="Postmark")
        tracking.send(sender=object, event=event, esp_name="Postmark")  # repeated
    counts = EditionCounts.objects.get(edition=last)
    assert (counts.unsubscribes, counts.bounces, counts.complaints) == (1, 1, 1)
    assert not EditionCounts.objects.filter(edition=old).exists()
    assert stats.for_edition(last)["sent"] == 3


def test_the_admin_shows_a_chart_per_edition_and_over_time(
    client, newsletter_editor_client, make_edition, make_subscribers
):
    from newsletter.models import Edition

    edition = make_edition("March 2015", status=Edition.Status.SENT)
    Edition.objects.filter(pk=edition.pk).update(sent_at="2026-11-01T12:00:00Z")
    stats.record_click(edition.pk, "https://health.example.org/newsletter/march-2015/")
    stats.count(edition.pk, "unsubscribes")
    page = newsletter_editor_client.get(
        f"/admin/newsletter/edition/{edition.pk}/change/"
    ).content.decode()
    assert '<svg class="newsletter-chart" role="img"' in page
    assert "https://health.example.org/newsletter/march-2015/ — 1" in page
    page = newsletter_editor_client.get(
        f"/admin/newsletter/newsletter/{edition.newsletter_id}/change/"
    ).content.decode()
    assert page.count('<svg class="newsletter-chart"') == 4
    assert "Unsubscribes per edition" in page
