"""A subscriber signs up under an article, confirms from the email, reads
an edition and unsubscribes with the link in it."""

import datetime
import re

import pytest

from newsletter import services
from newsletter.models import Edition, Newsletter, ResearchSummary, Subscriber
from tests.e2e.conftest import expect, links_in, path_of

pytestmark = [pytest.mark.e2e]

ADDRESS = "reader@example.org"


def send_an_edition():
    edition = Edition.objects.create(
        newsletter=Newsletter.objects.get(),
        title="April 2015",
        slug="april-2015",
        issue_date=datetime.date(2015, 4, 1),
    )
    ResearchSummary.objects.create(
        edition=edition, order=0, headline="Walking Helps Tremor", body="A *small* trial."
    )
    services.send_edition(edition=edition)
    return edition


def test_subscriber_confirms_reads_an_edition_and_unsubscribes(library, page, mailoutbox):
    page.goto("/conditions/myoclonus/")
    signup = page.get_by_role("complementary", name="Our free newsletter")
    signup.get_by_label("Email address").fill(ADDRESS)
    signup.get_by_role("button", name="Sign up").click()
    # The reader stays on the article they signed up from.
    expect(page).to_have_url(re.compile(r"/conditions/myoclonus/$"))
    expect(page.locator(".messages")).to_contain_text("Check your email")

    (message,) = mailoutbox
    assert message.to == [ADDRESS]
    confirm_links = set(links_in(message, r"https?://[^\s\"'<>]+/newsletter/confirm/[^\s\"'<>]+/"))
    assert len(confirm_links) == 1, confirm_links
    page.goto(path_of(confirm_links.pop()))
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    assert Subscriber.objects.get(email=ADDRESS).status == Subscriber.Status.CONFIRMED

    send_an_edition()
    (edition_email,) = [m for m in mailoutbox[1:] if m.to == [ADDRESS]]
    web_links = links_in(edition_email, r"https?://[^\s\"'<>]+/newsletter/april-2015/")
    page.goto(path_of(web_links[0]))
    expect(page.get_by_role("heading", name="Walking Helps Tremor")).to_be_visible()

    unsubscribe_links = set(
        links_in(edition_email, r"https?://[^\s\"'<>]+/newsletter/unsubscribe/[^\s\"'<>]+/")
    )
    assert len(unsubscribe_links) == 1, unsubscribe_links
    page.goto(path_of(unsubscribe_links.pop()))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your newsletter choices")
    assert Subscriber.objects.get(email=ADDRESS).status == Subscriber.Status.CONFIRMED
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert Subscriber.objects.get(email=ADDRESS).status == Subscriber.Status.UNSUBSCRIBED
    assert not page.errors
