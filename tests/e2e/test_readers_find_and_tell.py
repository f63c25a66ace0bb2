"""Readers find research summaries and drugs in search, see urgent help
first, print a handout that names its version, and tell us whether a page
helped; an editor sees their answer on the dashboard."""

import datetime
import re

import pytest

from conditions.models import Condition
from tests.e2e.conftest import add_urgent_help, expect, log_in

pytestmark = [pytest.mark.e2e]


def test_search_finds_a_research_summary_and_a_drug(library, page):
    page.goto("/")
    page.get_by_role("search").get_by_role("searchbox").fill("peanut")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    results = page.locator(".search-results")
    first = results.locator("li").first
    expect(first.locator(".result-kind")).to_have_text("Research summary")
    first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/newsletter/march-2015/#summary-\d+$"))

    page.goto("/search/?q=clonazepam")
    kinds = page.get_by_role("navigation", name="Show results of one kind")
    kinds.get_by_role("link", name=re.compile(r"^Drugs \(1\)$")).click()
    expect(page).to_have_url(re.compile(r"kind=drug"))
    page.locator(".search-results").get_by_role("link", name="Clonazepam").click()
    expect(page).to_have_url(re.compile(r"/drugs/clonazepam/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Clonazepam")


def test_urgent_help_comes_first_as_a_labelled_region(library, page):
    add_urgent_help("myoclonus")
    page.goto("/conditions/myoclonus/")
    urgent = page.get_by_role("region", name="When to get urgent help")
    expect(urgent).to_be_visible()
    expect(urgent).to_contain_text("911")
    headings = page.locator("article h2").all_inner_texts()
    assert headings.index("When to get urgent help") < headings.index("Definition"), headings


def test_print_emulation_shows_the_handout_footer(library, page):
    page.goto("/conditions/myoclonus/")
    handout = page.locator(".handout")
    expect(handout).to_be_hidden()
    page.emulate_media(media="print")
    expect(handout).to_be_visible()
    live = Condition.objects.live().get(slug="myoclonus")
    expect(handout).to_contain_text("healthlib")
    expect(handout).to_contain_text("/conditions/myoclonus/")
    expect(handout).to_contain_text(f"Revision {live.live_revision_id}")
    expect(handout).to_contain_text(
        f"/admin/conditions/condition/{live.source_id}/revisions/{live.live_revision_id}/"
    )
    if live.last_reviewed:
        expect(handout).to_contain_text(f"{live.last_reviewed:%B} {live.last_reviewed.day}")
    today = datetime.date.today()
    expect(handout.locator(".printed-on")).to_contain_text(str(today.year))
    # The feedback form is not printed.
    expect(page.get_by_role("region", name="Was this page helpful?")).to_be_hidden()


def test_a_reader_sends_feedback_and_an_editor_sees_it(library, new_page, editor):
    reader = new_page("phone")
    reader.goto("/conditions/myoclonus/")
    feedback = reader.get_by_role("region", name="Was this page helpful?")
    feedback.get_by_label("No").check()
    feedback.get_by_label("What could we do better? (optional)").fill(
        "Explain the tests. Reach me at reader@example.org"
    )
    feedback.get_by_role("button", name="Send").click()
    expect(reader).to_have_url(re.compile(r"/conditions/myoclonus/#feedback$"))
    expect(reader.get_by_role("status").filter(has_text="Thank you for telling us")).to_be_visible()

    staff = new_page("desktop")
    log_in(staff, editor)
    panel = staff.get_by_role("region", name=re.compile("Readers' feedback"))
    expect(panel).to_contain_text("Myoclonus")
    expect(panel).to_contain_text("Explain the tests. Reach me at [email removed]")
    expect(panel).not_to_contain_text("reader@example.org")
