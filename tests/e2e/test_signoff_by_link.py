"""Sign-off by link on the demo article as it ships, in Chromium, with a
real SMTP server: the editor changes the Treatment section; the reviewer
invites an outside specialist; the specialist, in a fresh browser with no
login, requests changes with a comment; the editor changes it again; the
specialist approves the new revision; the reviewer publishes, and the live
page names the specialist."""

import re

import pytest

from conditions.models import Condition, Section
from tests.e2e.conftest import (
    expect,
    log_in,
    path_of,
    run_axe,
    save_screenshot,
    show_tab,
    write_audit_log,
)

pytestmark = [pytest.mark.e2e]

DEMO = "/conditions/myoclonus/"


def _text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def _change_treatment(page, change_url, index, sentence, comment):
    page.goto(change_url)
    show_tab(page, "Sections")
    body = page.locator(f"#id_sections-{index}-body")
    body.fill(body.input_value().rstrip() + f"\n\n{sentence}\n")
    page.get_by_label("Describe your change").fill(comment)
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def _decide(page, decision, comment=""):
    page.get_by_label(decision).check()
    if comment:
        page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name="Send my decision").click()
    expect(page.locator(".signoff-recorded")).to_be_visible()


def test_an_outside_specialist_signs_off_the_demo_by_link(
    library, editor, reviewer, new_page, smtp_server, axe_source
):
    for user in (editor, reviewer):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    demo = Condition.objects.editable().get(slug="myoclonus")
    change_url = f"/admin/conditions/condition/{demo.pk}/change/"
    kinds = list(demo.sections.values_list("kind", flat=True))
    treatment = kinds.index(Section.Kind.TREATMENT)

    # The editor changes the Treatment section and submits it.
    editing = new_page()
    log_in(editing, editor)
    _change_treatment(
        editing,
        change_url,
        treatment,
        "Clonazepam is often tried first.",
        "Treatment: which drug comes first",
    )
    editing.locator(".object-tools").get_by_role("link", name="Submit for review").click()
    editing.get_by_role("button", name="Submit").click()
    expect(editing.locator(".messagelist")).to_contain_text("Submitted for review")

    # The reviewer invites an outside specialist.
    reviewing = new_page()
    log_in(reviewing, reviewer)
    reviewing.goto(change_url)
    reviewing.get_by_role("link", name="Invite a specialist").click()
    reviewing.get_by_label("Name").fill("Dr A. Neurologist")
    reviewing.get_by_label("Credentials").fill("MD")
    reviewing.get_by_label("Email").fill("neuro@example.org")
    reviewing.get_by_role("button", name="Email the link").click()
    expect(reviewing.locator(".messagelist")).to_contain_text("has been emailed a link")
    [invitation] = smtp_server.messages_to("neuro@example.org")
    [link] = re.findall(r"http://\S+/review/\S+/", _text(invitation))

    # The specialist, in a fresh browser with no login, requests changes.
    specialist = new_page("phone")
    specialist.goto(path_of(link))
    expect(specialist.get_by_role("heading", name="Review: Myoclonus")).to_be_visible()
    expect(specialist.locator(".signoff-changes .diff ins").first).to_contain_text("Clonazepam")
    # Accessible on a phone (WCAG 2.2 AA, axe-core): a serious finding fails.
    violations = run_axe(specialist, axe_source)
    write_audit_log("signoff-page-phone", violations)
    assert not [v.report() for v in violations if v.fails]
    _decide(specialist, "Changes requested", "Say that the dose starts low.")
    save_screenshot(specialist, "signoff-changes-requested")

    # Publishing waits; the editor sees the comment and changes the text again.
    reviewing.goto(change_url)
    expect(reviewing.locator("#signoffs")).to_contain_text("Say that the dose starts low.")
    editing.goto(change_url)
    expect(editing.locator("#signoffs")).to_contain_text("requested changes")
    _change_treatment(
        editing,
        change_url,
        treatment,
        "The dose starts low and rises slowly.",
        "Treatment: the dose starts low",
    )

    # The same link now says the article changed and asks again: approved.
    specialist.reload()
    expect(specialist.locator("#changed")).to_contain_text("The dose starts low")
    _decide(specialist, "Approved")

    # The reviewer publishes, and the live page names the specialist.
    reviewing.goto(change_url)
    expect(reviewing.locator("#signoffs")).to_contain_text("approved this version")
    reviewing.locator(".object-tools").get_by_role("link", name="Publish", exact=True).click()
    reviewing.get_by_label("Update note").fill("Treatment: which drug first, and its dose.")
    boxes = reviewing.locator(".acknowledgements input[type=checkbox]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    reviewing.get_by_role("button", name="Publish").click()
    expect(reviewing.locator(".messagelist")).to_contain_text("Published.")

    reader = new_page()
    reader.goto(DEMO)
    expect(reader.locator(".article-header .signoff")).to_contain_text(
        "Reviewed by Dr A. Neurologist, MD, on"
    )
    expect(reader.locator("main")).to_contain_text("The dose starts low and rises slowly.")
    # The link's work is done; it opens nothing else either.
    specialist.goto(path_of(link))
    expect(specialist.locator("main")).to_contain_text("This review is complete")
    specialist.goto("/admin/")
    expect(specialist).to_have_url(re.compile(r"/admin/login/"))

    for page in (editing, reviewing, specialist, reader):
        assert not page.errors, page.errors
        assert not page.broken, page.broken
