"""What the reviewer signs is what goes live, on the demo article as it
ships, in Chromium (issue 24's journey).

The editor changes only the summary (Compare shows only the summary),
reverses the Sedatives drug group (Compare and the Publish page show the
move), replaces the figure (the Publish page shows the old and the new
image, the alt text and the credit) and adds a section (it goes last). The
reviewer reads the Publish page and publishes: what readers then get is
exactly the revision the reviewer read.
"""

import io

import pytest
from PIL import Image

from conditions.models import Condition, Section
from tests.e2e.conftest import expect, log_in, save_screenshot, show_tab

pytestmark = [pytest.mark.e2e]

ADDED = " Most people with myoclonus can be helped."
NEW_ALT = "Drawing of the brain and spinal cord with nerves to the arm muscles"
NEW_CREDIT = "Drawn for healthlib by the test suite"
OUTLOOK = "Most people live well with myoclonus once its cause is known."


def _myoclonus():
    return Condition.objects.editable().get(slug="myoclonus")


def _save(page):
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def _changed_items(page):
    """The titles of the children Compare marks as changed, added, removed
    or moved (the unchanged ones are listed for context only)."""
    return page.locator(".diff .diff-item:not(.section-unchanged) > :is(h3, h5)").all_inner_texts()


def _png(path, colour):
    image = Image.new("RGB", (640, 400), colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _sedatives(snapshot):
    group = next(g for g in snapshot["drug_groups"] if g["heading"] == "Sedatives")
    return [d["name"] for d in group["drugs"]]


def test_the_reviewer_publishes_exactly_what_they_read(
    library, editor, reviewer, new_page, tmp_path
):
    demo = _myoclonus()
    change_url = f"/admin/conditions/condition/{demo.pk}/change/"
    compare_url = f"/admin/conditions/condition/{demo.pk}/compare/"
    live = demo.live_revision.snapshot
    order = ["Lorazepam", "Diazepam", "Clonazepam", "Piracetam", "Tetrabenazine"]
    assert _sedatives(live) == order
    [old_figure] = live["figures"]

    editing = new_page()
    log_in(editing, editor)

    # 1. Only the summary: Compare shows the summary and nothing else.
    editing.goto(change_url)
    summary = editing.locator("#id_summary")
    summary.fill(summary.input_value() + ADDED)
    _save(editing)
    editing.goto(compare_url)
    expect(editing.locator(".diff ins").first).to_contain_text("Most people")
    assert editing.locator(".diff dt").all_inner_texts() == ["Summary"]
    assert _changed_items(editing) == []
    save_screenshot(editing, "review-integrity-1-summary-only")

    # 2. Reverse the Sedatives with the Move buttons: shown as moves.
    editing.goto(change_url)
    show_tab(editing, "Treatment")
    group = editing.locator(".inline-related", has_text="Sedatives").first
    for n, name in enumerate(reversed(order[1:])):  # Tetrabenazine up 4 places, …
        for _ in range(len(order) - 1 - n):
            group.get_by_role("button", name=f"Move up: {name}").click()
    _save(editing)
    assert _sedatives(_myoclonus().latest_revision.snapshot) == order[::-1]
    editing.goto(compare_url)
    treatment = editing.locator(".diff-item", has_text="Sedatives").first
    for moved in (
        "Tetrabenazine (moved from 5th to 1st place)",
        "Lorazepam (moved from 1st to 5th place)",
    ):
        expect(treatment).to_contain_text(moved)
    save_screenshot(editing, "review-integrity-2-drugs-reversed")

    # 3. Replace the figure, its alt text and its credit.
    editing.goto(change_url)
    show_tab(editing, "Figures")
    editing.locator("#id_figures-0-image").set_input_files(
        str(_png(tmp_path / "nerves.png", (20, 90, 160)))
    )
    editing.locator("#id_figures-0-alt_text").fill(NEW_ALT)
    editing.locator("#id_figures-0-credit").fill(NEW_CREDIT)
    _save(editing)

    # 4. Add a section in the blank row: it goes last.
    editing.goto(change_url)
    show_tab(editing, "Sections")
    blank = len(live["sections"])
    editing.locator(f"#id_sections-{blank}-kind").select_option("outlook")
    editing.locator(f"#id_sections-{blank}-body").fill(OUTLOOK)
    _save(editing)
    latest = _myoclonus().latest_revision.snapshot
    assert [s["kind"] for s in latest["sections"]] == [
        *(s["kind"] for s in live["sections"]),
        "outlook",
    ]

    editing.locator(".object-tools").get_by_role("link", name="Submit for review").click()
    editing.get_by_role("button", name="Submit").click()
    expect(editing.locator(".messagelist")).to_contain_text("Submitted for review")

    # The reviewer reads the Publish page: every change is on it.
    reviewing = new_page()
    log_in(reviewing, reviewer)
    reviewing.goto(change_url)
    reviewing.locator(".object-tools").get_by_role("link", name="Publish", exact=True).click()
    page = reviewing.locator("main")
    expect(page).to_contain_text("Most people with myoclonus can be helped.")
    expect(page).to_contain_text("Tetrabenazine (moved from 5th to 1st place)")
    images = reviewing.locator(".diff-images")
    expect(images.locator(".diff-image-old img")).to_have_count(1)
    expect(images.locator(".diff-image-new img")).to_have_count(1)
    old_src = images.locator(".diff-image-old img").get_attribute("src")
    new_src = images.locator(".diff-image-new img").get_attribute("src")
    assert old_src != new_src
    for src in (old_src, new_src):  # both thumbnails load: the old file is kept
        assert reviewing.request.get(src).ok, src
    expect(page).to_contain_text(NEW_ALT)
    expect(page).to_contain_text(old_figure["alt_text"])
    expect(page).to_contain_text(NEW_CREDIT)
    expect(page).to_contain_text(OUTLOOK)
    save_screenshot(reviewing, "review-integrity-3-publish-page")
    read = _myoclonus().latest_revision.snapshot

    reviewing.get_by_label("Update note").fill("Summary, sedatives order, new figure, outlook.")
    for box in reviewing.locator(".acknowledgements input[type=checkbox]").all():
        box.check()
    reviewing.get_by_role("button", name="Publish").click()
    expect(reviewing.locator(".messagelist")).to_contain_text("Published.")

    # What went live is the revision the reviewer read, and readers see it.
    # Publishing adds the review's own record (date, reviewer, note) and
    # nothing else.
    went_live = _myoclonus().live_revision.snapshot
    review = {"last_reviewed", "next_review_due", "reviewer_name", "reviewer_credentials"}
    review |= {"update_notes"}
    assert {k: v for k, v in went_live.items() if k not in review} == {
        k: v for k, v in read.items() if k not in review
    }
    reader = new_page()
    reader.goto("/conditions/myoclonus/")
    main = reader.locator("main")
    expect(main).to_contain_text("Most people with myoclonus can be helped.")
    text = main.inner_text()
    assert text.index("Tetrabenazine") < text.index("Piracetam") < text.index("Lorazepam")
    assert reader.locator(f"main img[alt='{NEW_ALT}']").count() == 1
    labels = dict(Section.Kind.choices)
    last = live["sections"][-1]
    headings = [h.strip() for h in main.locator("h2").all_inner_texts()]
    assert headings.index(labels["outlook"]) > headings.index(
        last["heading"] or labels[last["kind"]]
    )
    save_screenshot(reader, "review-integrity-4-live")
    for p in (editing, reviewing, reader):
        assert not p.errors, p.errors
