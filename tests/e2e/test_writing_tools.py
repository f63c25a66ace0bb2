"""An editor uses the writing tools in the article form: types into a
section and sees the preview and the reading grade change, inserts a link
with the picker, and reorders sections by drag and drop and by keyboard.
Screenshots of the form at 1280 px and 390 px go to WRITING_SHOTS."""

import os
import re
from pathlib import Path

import pytest

from conditions.models import Condition, GlossaryTerm
from tests import factories
from tests.e2e.conftest import SCREENSHOTS, drag, expect, log_in, run_axe

pytestmark = [pytest.mark.e2e]

WRITING_SHOTS = Path(os.environ.get("WRITING_SHOTS", SCREENSHOTS))

HARD = (
    "Myoclonus, characterized by involuntary, irregular contractions of musculature, "
    "necessitates comprehensive neurological investigation, including electroencephalography "
    "and electromyography, to differentiate epileptic from nonepileptic etiologies."
)


@pytest.fixture
def articles(transactional_db):
    factories.article("Essential tremor", alternate_names="Familial tremor")
    factories.article("Tremor draft study", publish=False)
    GlossaryTerm.objects.create(term="myoclonus", plain="muscle twitching")
    return factories.article("Myoclonus", sections=4, publish=False, groups=1, figures=1)


def _headings(article):
    return [s.kind for s in Condition.objects.get(pk=article.pk).sections.all()]


def _open_form(page, article):
    page.goto(f"/admin/conditions/condition/{article.pk}/change/")
    expect(page.get_by_role("tab", name="Article")).to_have_attribute("aria-selected", "true")


def test_editor_previews_links_and_reorders(editor, articles, new_page):
    article = articles
    page = new_page()
    log_in(page, editor)
    _open_form(page, article)
    assert page.errors == [] and page.broken == []

    # One part of the form at a time; the Sections tab holds the sections.
    expect(page.locator("#sections-group")).to_be_hidden()
    page.get_by_role("tab", name="Sections").click()
    expect(page.locator("#sections-group")).to_be_visible()
    expect(page.locator("#section-jump")).to_contain_text("Definition")

    first = page.locator("#sections-0")
    reading = first.locator(".field-reading_level .readonly")
    preview = first.locator(".writing-preview-body")
    expect(preview).to_contain_text("Muscle twitching can start in childhood")
    expect(reading).to_contain_text("at or below the target")

    # Typing: the preview and the grade follow.
    body = page.locator("#id_sections-0-body")
    body.fill(HARD + " " + HARD)
    expect(preview).to_contain_text("electroencephalography")
    expect(reading).to_contain_text("above the target of grade 8")
    expect(reading).to_contain_text("Hardest sentences")
    expect(reading).to_contain_text("“myoclonus”: say “muscle twitching”")

    # The link picker: search, see drafts marked, insert.
    body.press("End")
    first.get_by_role("button", name="Insert a link to an article").click()
    search = first.get_by_label("Search articles by title or other name")
    expect(search).to_be_focused()
    search.fill("tremor")
    expect(first.locator(".writing-link-results")).to_contain_text("Tremor draft study")
    expect(
        first.get_by_role("button", name=re.compile("Tremor draft study.*draft"))
    ).to_be_visible()
    first.get_by_role("button", name=re.compile("^Essential tremor")).click()
    expect(body).to_have_value(re.compile(r"\. \[Essential tremor\]\(article:essential-tremor\)$"))
    expect(body).to_be_focused()
    expect(preview.get_by_role("link", name="Essential tremor")).to_have_attribute(
        "href", "/conditions/essential-tremor/"
    )

    # Keyboard: move the first section down with Enter on its button.
    before = _headings(article)
    move_down = first.get_by_role("button", name=re.compile("Move down: .*"))
    move_down.focus()
    page.keyboard.press("Enter")
    expect(move_down).to_be_focused()
    expect(page.locator(".writing-announce")).to_contain_text("to position 2 of 4")

    # Mouse: drag the last section to the top by its header (the handle).
    rows = page.locator("#sections-group .inline-related.has_original")
    drag(page, rows.nth(3).locator("h3 b"), rows.nth(0).locator("h3 b"))

    shots(page, "writing-form")
    page.get_by_role("tab", name="Article").click()
    shots(page, "writing-form-article-tab")
    page.get_by_role("tab", name="Treatment").click()
    shots(page, "writing-form-treatment-tab")
    # Every sortable part has the buttons, tabular organizations included.
    page.get_by_role("tab", name="References and resources").click()
    for row in ("#references-0", "#organization_links-0"):
        expect(
            page.locator(row).get_by_role("button", name=re.compile("Move down: .*"))
        ).to_be_visible()
    shots(page, "writing-form-references-tab")
    page.get_by_label("Describe your change").fill("Plainer definition, reordered")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    after = _headings(article)
    # Keyboard: definition ↔ causes; then drag: prevention (4th) to the top.
    assert after == [before[3], before[1], before[0], before[2]], (before, after)
    saved = Condition.objects.get(pk=article.pk)
    assert [s.order for s in saved.sections.all()] == [0, 1, 2, 3]
    assert "[Essential tremor](article:essential-tremor)" in saved.sections.get(kind=before[0]).body
    assert saved.reading_grade is not None
    assert page.errors == []


def test_writing_tools_pass_axe(editor, articles, new_page, axe_source):
    """The tabs, previews, reading levels and buttons the script adds meet
    WCAG A/AA (Django's own admin markup is Django's business)."""
    page = new_page()
    log_in(page, editor)
    _open_form(page, articles)
    page.get_by_role("tab", name="Sections").click()
    expect(page.locator("#sections-0 .writing-preview-body")).to_contain_text("Muscle")
    page.locator("#sections-0").get_by_role("button", name="Insert a link to an article").click()
    assert page.csp_violations == []
    found = run_axe(page, axe_source)
    # axe-core itself adds <style> elements while it checks this page (the
    # report names axe.min.js, evaluated through DevTools); the CSP rightly
    # refuses them. They are axe's, not the page's: drop them, and only them.
    page.wait_for_timeout(100)
    page.csp_violations.clear()
    ours = [
        v
        for v in found
        if v.fails and any("writing" in n["target"] or "reading" in n["target"] for n in v.nodes)
    ]
    assert not ours, "\n".join(v.report() for v in ours)


def test_errors_open_the_tab_that_holds_them(editor, articles, new_page):
    page = new_page()
    log_in(page, editor)
    _open_form(page, articles)
    page.get_by_role("tab", name="Codes and topics").click()
    page.get_by_role("button", name="Add another Medical code").click()
    page.locator("#id_codes-0-system").select_option("icd10cm")
    page.locator("#id_codes-0-code").fill("not a code")
    page.get_by_role("tab", name="Article").click()  # the error is out of sight when saving
    page.get_by_role("button", name="Save and continue editing").first.click()
    tab = page.get_by_role("tab", name=re.compile("Codes and topics"))
    expect(tab).to_have_attribute("aria-selected", "true")
    expect(tab).to_contain_text("has errors")
    expect(page.locator("#codes-group")).to_be_visible()


def test_drugs_in_a_group_reorder_by_keyboard(editor, articles, new_page):
    page = new_page()
    log_in(page, editor)
    _open_form(page, articles)
    page.get_by_role("tab", name="Treatment").click()
    order = page.locator("#drug_groups-0 .writing-drug-order li")
    names = order.all_inner_texts()
    first_name = names[0].split("Move")[0].strip()
    button = page.get_by_role("button", name=f"Move down: {first_name}")
    button.focus()
    page.keyboard.press("Enter")
    expect(order.nth(1)).to_contain_text(first_name)
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    group = Condition.objects.get(pk=articles.pk).drug_groups.get()
    assert [i.drug.name for i in group.items.all()][1] == first_name


def shots(page, name):
    """The change form, whole, at 1280 px and at 390 px (Sections tab)."""
    WRITING_SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(WRITING_SHOTS / f"{name}-{width}.png"), full_page=True)
        page.screenshot(path=str(WRITING_SHOTS / f"{name}-{width}-window.png"))
    page.set_viewport_size({"width": 1280, "height": 800})
