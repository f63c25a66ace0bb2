"""An editor writes an article in the admin and submits it; a medical
reviewer compares and publishes it; a later edit stays invisible to readers
until it is published again."""

import re

import pytest

from conditions.models import Drug
from tests.e2e.conftest import expect, log_in, show_tab

pytestmark = [pytest.mark.e2e]

ARTICLE_URL = "/conditions/essential-tremor/"


@pytest.fixture
def drugs(transactional_db):
    for name in ("Propranolol", "Primidone", "Topiramate"):
        Drug.objects.create(name=name, slug=name.lower())


def pick_drug(page, row, name):
    """Choose a drug in the admin's autocomplete (select2) by typing."""
    row.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(name[:5])
    page.locator(".select2-results__option", has_text=name).click()


def fill_section(page, n, kind, body):
    page.locator(f"#id_sections-{n}-kind").select_option(kind)
    page.locator(f"#id_sections-{n}-body").fill(body)


def write_article(page):
    page.goto("/admin/conditions/condition/add/")
    page.locator("#id_title").press_sequentially("Essential tremor")
    expect(page.locator("#id_slug")).to_have_value("essential-tremor")
    page.locator("#id_summary").fill("Essential tremor is shaking of the hands you cannot control.")

    show_tab(page, "Sections")
    fill_section(page, 0, "definition", "Essential tremor is a common movement disorder.")
    page.get_by_role("button", name="Add another Section").click()
    fill_section(page, 1, "symptoms", "- Shaking hands\n- A shaky voice\n")
    page.get_by_role("button", name="Add another Section").click()
    fill_section(page, 2, "treatment", "Medicines can calm the shaking.")

    show_tab(page, "Treatment")
    page.get_by_role("button", name=re.compile("^Add another Drug group")).click()
    group = page.locator("#drug_groups-0")
    group.get_by_label("Heading").fill("Beta blockers")
    pick_drug(page, group, "Propranolol")
    pick_drug(page, group, "Primidone")

    show_tab(page, "References and resources")
    page.get_by_role("button", name="Add another Reference").click()
    reference = page.locator("#references-0")
    reference.get_by_label("Authors").fill("Louis ED")
    reference.get_by_label("Title").fill("Essential tremor")
    reference.get_by_label("Journal").fill("N Engl J Med")
    reference.get_by_label("Year").fill("2001")

    page.get_by_label("Describe your change").fill("First draft")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")


def workflow(page, action_label, button, **fields):
    page.locator(".object-tools").get_by_role("link", name=action_label, exact=True).click()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name=button).click()


def test_editor_writes_reviewer_publishes_and_edits_wait_for_review(
    editor, reviewer, drugs, new_page
):
    editing = new_page()
    log_in(editing, editor)
    write_article(editing)
    change_url = editing.url
    workflow(editing, "Submit for review", "Submit", Comment="Ready for review")
    expect(editing.locator(".messagelist")).to_contain_text("Submitted for review")
    expect(editing.locator(".workflow-status")).to_contain_text("In review")
    # An editor cannot publish.
    expect(
        editing.locator(".object-tools").get_by_role("link", name="Publish", exact=True)
    ).to_have_count(0)

    reader = new_page()
    assert reader.goto(ARTICLE_URL).status == 404

    reviewing = new_page()
    log_in(reviewing, reviewer)
    reviewing.goto(change_url)
    reviewing.locator(".object-tools").get_by_role("link", name="Compare").click()
    expect(reviewing.get_by_role("heading", name="Compare revisions")).to_be_visible()
    expect(reviewing.get_by_role("heading", name=re.compile("^Symptoms"))).to_be_visible()
    reviewing.get_by_role("link", name="Essential tremor").click()
    workflow(
        reviewing,
        "Publish",
        "Publish",
        **{"Update note": "New article.", "Reviewer credentials": "MD"},
    )
    expect(reviewing.locator(".messagelist")).to_contain_text("Published.")

    # Live, with everything the editor wrote.
    assert reader.goto(ARTICLE_URL).status == 200
    expect(reader.get_by_role("heading", level=1)).to_have_text("Essential tremor")
    for section in ("Definition", "Symptoms", "Treatment", "References"):
        expect(reader.get_by_role("heading", name=section, exact=True, level=2)).to_be_visible()
    treatment = reader.get_by_role("region", name="Treatment")
    expect(treatment.get_by_role("heading", name="Beta blockers")).to_be_visible()
    expect(treatment.get_by_role("link")).to_have_text(["Propranolol", "Primidone"])
    expect(reader.get_by_role("region", name="References")).to_contain_text("Louis ED")
    expect(reader.get_by_role("region", name="Revision information")).to_contain_text(
        "New article."
    )
    expect(reader.locator(".reviewed")).to_contain_text("Reviewer Doe, MD")

    # An edit of the published article waits for review.
    editing.goto(change_url)
    editing.locator("#id_summary").fill("Essential tremor makes your hands shake.")
    editing.get_by_role("button", name="Save and continue editing").first.click()
    expect(editing.locator(".workflow-status")).to_contain_text("not published yet")
    reader.reload()
    expect(reader.locator(".summary")).to_have_text(
        "Essential tremor is shaking of the hands you cannot control."
    )

    reviewing.goto(change_url)
    reviewing.locator(".object-tools").get_by_role("link", name="Compare").click()
    expect(reviewing.locator(".diff ins").first).to_contain_text("makes")
    reviewing.get_by_role("link", name="Essential tremor").click()
    workflow(reviewing, "Publish", "Publish", **{"Update note": "Summary simplified."})
    expect(reviewing.locator(".messagelist")).to_contain_text("Published.")

    reader.reload()
    expect(reader.locator(".summary")).to_have_text("Essential tremor makes your hands shake.")
    expect(reader.get_by_role("region", name="Revision information")).to_contain_text(
        "Summary simplified."
    )
    for page in (editing, reviewing, reader):
        assert not page.errors
