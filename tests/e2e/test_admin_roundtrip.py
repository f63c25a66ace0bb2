"""In a real browser, with the form's script: a save changes only what the
editor changed, and a new section goes last.

The issue's reports: changing only the summary of the demo article re-sorted
every drug group alphabetically (Sedatives: Lorazepam, Diazepam, Clonazepam
became Clonazepam, Diazepam, Lorazepam), and a section added by the blank
row or by "Add another Section" was saved second, after Definition.
"""

import pytest

from conditions.models import Condition
from tests.e2e.conftest import drag, expect, log_in, show_tab

pytestmark = [pytest.mark.e2e]


def _myoclonus():
    return Condition.objects.editable().get(slug="myoclonus")


def _save(page):
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def test_a_summary_edit_changes_only_the_summary(page, library, editor):
    log_in(page, editor)
    before = _myoclonus().latest_revision.snapshot
    page.goto(f"/admin/conditions/condition/{_myoclonus().pk}/change/")
    page.locator("#id_summary").fill(before["summary"] + " Most people can be helped.")
    _save(page)

    after = _myoclonus().latest_revision.snapshot
    assert after["summary"] == before["summary"] + " Most people can be helped."
    assert {**after, "summary": before["summary"]} == before
    sedatives = next(g for g in after["drug_groups"] if g["heading"] == "Sedatives")
    names = [d["name"] for d in sedatives["drugs"]]
    assert names.index("Lorazepam") < names.index("Diazepam") < names.index("Clonazepam")
    # The form shows the drugs in that order again, for the next save.
    show_tab(page, "Treatment")
    group = page.locator(".inline-related", has_text="Sedatives").first
    shown = group.locator("select[name$='-drug_list'] option:checked").all_inner_texts()
    assert [n for n in shown if n in names] == names


def test_a_new_section_goes_last(page, library, editor):
    log_in(page, editor)
    sections = [s["kind"] for s in _myoclonus().latest_revision.snapshot["sections"]]
    page.goto(f"/admin/conditions/condition/{_myoclonus().pk}/change/")

    # The blank row the page shows under the sections.
    show_tab(page, "Sections")
    blank = len(sections)
    page.locator(f"#id_sections-{blank}-kind").select_option("outlook")
    page.locator(f"#id_sections-{blank}-body").fill("Most people live well with it.")
    _save(page)
    saved = _myoclonus().latest_revision.snapshot["sections"]
    assert [s["kind"] for s in saved] == [*sections, "outlook"]

    # "Add another Section".
    show_tab(page, "Sections")
    page.get_by_role("button", name="Add another Section").click()
    added = len(sections) + 2  # after the saved one and the new blank row
    page.locator(f"#id_sections-{added}-kind").select_option("living_with")
    page.locator(f"#id_sections-{added}-body").fill("Keep a diary of the jerks.")
    _save(page)
    saved = _myoclonus().latest_revision.snapshot["sections"]
    assert [s["kind"] for s in saved] == [*sections, "outlook", "living_with"]
    assert saved[-1]["body"] == "Keep a diary of the jerks."


def test_a_new_section_moved_up_is_saved_where_it_was_put(page, library, editor):
    """The Move buttons number every row, the new and blank ones too: the
    moved section is saved where the editor put it, and the blank row,
    numbered with the others, is still left out (no "kind required")."""
    log_in(page, editor)
    sections = [s["kind"] for s in _myoclonus().latest_revision.snapshot["sections"]]
    page.goto(f"/admin/conditions/condition/{_myoclonus().pk}/change/")
    show_tab(page, "Sections")
    page.get_by_role("button", name="Add another Section").click()
    added = len(sections) + 1  # after the blank row
    page.locator(f"#id_sections-{added}-kind").select_option("outlook")
    page.locator(f"#id_sections-{added}-body").fill("Most people live well with it.")
    page.locator(f"#sections-{added} .writing-move-up").click()  # above the last saved one
    _save(page)
    saved = _myoclonus().latest_revision.snapshot["sections"]
    assert [s["kind"] for s in saved] == [*sections[:-1], "outlook", sections[-1]]


def _shown_sections(page):
    """The kinds of the sections as the page shows them, blank row left out."""
    return page.locator(
        "#sections-group .inline-related:not(.empty-form) select[name$='-kind']"
    ).evaluate_all("selects => selects.map(s => s.value).filter(Boolean)")


def test_a_drag_after_a_move_saves_every_section_where_it_is_shown(page, library, editor):
    """A new section moved up with its button, then a saved one dragged
    with the mouse (django-admin-sortable2 numbers only the saved rows):
    the sections are saved in the order the page shows."""
    log_in(page, editor)
    sections = [s["kind"] for s in _myoclonus().latest_revision.snapshot["sections"]]
    assert len(sections) >= 3
    page.goto(f"/admin/conditions/condition/{_myoclonus().pk}/change/")
    show_tab(page, "Sections")
    page.get_by_role("button", name="Add another Section").click()
    added = len(sections) + 1  # after the blank row
    page.locator(f"#id_sections-{added}-kind").select_option("outlook")
    page.locator(f"#id_sections-{added}-body").fill("Most people live well with it.")
    page.locator(f"#sections-{added} .writing-move-up").click()  # above the last saved one
    saved_rows = page.locator("#sections-group .inline-related.has_original")
    drag(page, saved_rows.nth(1).locator("h3 b"), saved_rows.nth(0).locator("h3 b"))
    shown = _shown_sections(page)
    assert shown == [sections[1], sections[0], *sections[2:-1], "outlook", sections[-1]]
    _save(page)
    saved = _myoclonus().latest_revision.snapshot["sections"]
    assert [s["kind"] for s in saved] == shown


def test_sections_moved_before_an_error_stay_moved(page, library, editor):
    """The form comes back with an error: the sections are shown in the
    order the editor gave them, and saved in it once the error is fixed."""
    log_in(page, editor)
    sections = [s["kind"] for s in _myoclonus().latest_revision.snapshot["sections"]]
    title = _myoclonus().title
    page.goto(f"/admin/conditions/condition/{_myoclonus().pk}/change/")
    show_tab(page, "Sections")
    page.locator("#sections-0 .writing-move-down").click()
    show_tab(page, "Article")
    page.locator("#id_title").fill("")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".errornote")).to_be_visible()
    moved = [sections[1], sections[0], *sections[2:]]
    assert _shown_sections(page) == moved
    page.locator("#id_title").fill(title)
    _save(page)
    saved = _myoclonus().latest_revision.snapshot["sections"]
    assert [s["kind"] for s in saved] == moved
