"""The review loop on the demo article as it ships, in Chromium, with a real
SMTP server: an editor changes a sentence and reorders two sections, saves
and submits; the reviewer follows the emailed link to the comparison and
requests changes; the editor fixes and resubmits; the reviewer publishes.
A link to a missing article blocks a publication with its message."""

import re

import pytest

from conditions.models import Condition
from tests.e2e.conftest import expect, log_in, path_of, save_screenshot, show_tab

pytestmark = [pytest.mark.e2e]

DEMO = "/conditions/myoclonus/"


def _staff_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def _open_workflow(page, label):
    page.locator(".object-tools").get_by_role("link", name=label, exact=True).click()


def _acknowledge_every_warning(page):
    boxes = page.locator(".acknowledgements input[type=checkbox]")
    for i in range(boxes.count()):
        boxes.nth(i).check()


def _text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def _messages_to(smtp, address, subject_start):
    return [m for m in smtp.messages_to(address) if m["Subject"].startswith(subject_start)]


def test_editor_and_reviewer_take_the_demo_article_through_review(
    library,
    editor,
    reviewer,
    new_page,
    smtp_server,
    settings,
):
    _staff_email(editor, "editor@example.org")
    _staff_email(reviewer, "reviewer@example.org")
    demo = Condition.objects.editable().get(slug="myoclonus")
    change_url = f"/admin/conditions/condition/{demo.pk}/change/"
    first, second = list(demo.sections.all())[:2]

    # The editor changes a sentence and swaps the first two sections.
    editing = new_page()
    log_in(editing, editor)
    editing.goto(change_url)
    show_tab(editing, "Sections")
    body = editing.locator("#id_sections-0-body")
    text = body.input_value()
    assert "brief and rapid twitching" in text
    body.fill(text.replace("brief and rapid twitching", "sudden, brief twitching"))
    editing.locator("#sections-0").get_by_role("button", name=re.compile("Move down: .*")).click()
    editing.get_by_label("Describe your change").fill("Plainer first sentence; causes first")
    editing.get_by_role("button", name="Save and continue editing").first.click()
    expect(editing.locator(".messagelist")).to_contain_text("was changed successfully")
    assert [s.pk for s in demo.sections.all()][:2] == [second.pk, first.pk]

    _open_workflow(editing, "Submit for review")
    editing.get_by_label("Comment").fill("Ready for review")
    editing.get_by_role("button", name="Submit").click()
    expect(editing.locator(".messagelist")).to_contain_text("Submitted for review")

    # The reviewer gets an email and follows its link to the comparison.
    [request] = _messages_to(smtp_server, "reviewer@example.org", "Review requested")
    [compare_link] = re.findall(r"http://\S+/compare/", _text(request))
    reviewing = new_page()
    log_in(reviewing, reviewer)
    reviewing.goto(path_of(compare_link))
    expect(reviewing.get_by_role("heading", name="Compare revisions")).to_be_visible()
    expect(reviewing.locator(".diff ins").first).to_contain_text("sudden")
    expect(reviewing.locator(".diff")).not_to_contain_text("](article:")
    save_screenshot(reviewing, "review-loop-compare")

    reviewing.get_by_role("link", name="Request changes…").click()
    reviewing.get_by_label("What should change").fill("Keep “rapid”: it is the medical term.")
    reviewing.get_by_role("button", name="Send back to the author").click()
    expect(reviewing.locator(".messagelist")).to_contain_text("Sent back to the author")

    [answer] = _messages_to(smtp_server, "editor@example.org", "Changes requested")
    assert "Keep “rapid”" in _text(answer)

    # The editor fixes it and submits again.
    editing.goto(change_url)
    expect(editing.locator(".workflow-status")).to_contain_text("Draft")
    show_tab(editing, "Sections")
    body = editing.locator("#id_sections-1-body")
    body.fill(
        body.input_value().replace("sudden, brief twitching", "sudden, brief and rapid twitching")
    )
    editing.get_by_label("Describe your change").fill("Kept “rapid”, as asked")
    editing.get_by_role("button", name="Save and continue editing").first.click()
    expect(editing.locator(".messagelist")).to_contain_text("was changed successfully")
    _open_workflow(editing, "Submit for review")
    editing.get_by_role("button", name="Submit").click()
    assert len(_messages_to(smtp_server, "reviewer@example.org", "Review requested")) == 2

    # The reviewer reads the publish page and publishes.
    reviewing.goto(change_url)
    _open_workflow(reviewing, "Publish")
    expect(
        reviewing.get_by_role("heading", name=re.compile("What changes for readers"))
    ).to_be_visible()
    reviewing.get_by_label("Update note").fill("Definition reworded; causes first.")
    _acknowledge_every_warning(reviewing)
    save_screenshot(reviewing, "review-loop-publish")
    reviewing.get_by_role("button", name="Publish").click()
    expect(reviewing.locator(".messagelist")).to_contain_text("Published.")
    [published] = _messages_to(smtp_server, "editor@example.org", "Published")
    assert (
        f"{settings.SITE_URL}{DEMO}" in published.get_body(preferencelist=("plain",)).get_content()
    )

    reader = new_page()
    reader.goto(DEMO)
    expect(reader.locator("main")).to_contain_text("sudden, brief and rapid twitching")
    headings = reader.locator("main h2").all_text_contents()
    assert headings.index("Causes") < headings.index("Definition")

    # A link to an article that does not exist blocks the next publication.
    editing.goto(change_url)
    show_tab(editing, "Sections")
    body = editing.locator("#id_sections-0-body")
    body.fill(body.input_value() + "\n\nSee also [tics](article:tic-disorders).")
    editing.get_by_role("button", name="Save and continue editing").first.click()
    expect(editing.locator(".field-content_checks")).to_contain_text("tic-disorders")
    reviewing.goto(change_url)
    _open_workflow(reviewing, "Publish")
    expect(reviewing.locator(".publish-blocked")).to_contain_text("tic-disorders")
    expect(reviewing.locator(".publish-blocked")).to_contain_text("no article has that address")
    expect(reviewing.get_by_role("button", name="Publish")).to_be_disabled()
    save_screenshot(reviewing, "review-loop-blocked")
    reader.reload()
    expect(reader.locator("main")).not_to_contain_text("See also tics")

    for page in (editing, reviewing, reader):
        assert not page.errors, page.errors
