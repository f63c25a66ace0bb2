"""The admin on a phone (issue 31): every page an editor, a medical
reviewer and a newsletter editor uses fits a 390px-wide screen with no
sideways scrolling, and axe-core finds nothing serious on it, as on the
public pages (test_accessibility.py).

The pages come from the admin's registry (``tests/admin_pages.py``), so a
new model or admin page is measured too. To stay cheap: one browser
context per role, one pass, each kind of page (its URL name) once, by the
first role that can open it; each role's own dashboard. A box that
scrolls sideways inside a page is allowed only for a true data table
(Django's lists of records), as a labelled region the keyboard can focus.

Screenshots of the dashboards and of each tab of the article form go to
tests/e2e/screenshots/admin-*.png for people to look at."""

import pytest
from django.urls import resolve

from conditions.models import Condition
from tests.admin_pages import add_one_of_each, admin_pages
from tests.e2e.conftest import log_in, run_axe, save_screenshot, show_tab, write_audit_log

pytestmark = [pytest.mark.e2e]

ROLES = ["reviewer", "editor", "newsletter_editor"]
# The article form's tabs (conditions/static/conditions/article_form/tabs.js).
TABS = ["Sections", "Treatment", "References and resources", "Figures", "Codes and topics"]

NOT_ADMIN_PAGES = {
    "index",  # each role's dashboard is measured on its own
    # The email itself, as subscribers' mail programs show it
    # (newsletter/templates/newsletter/email/), not a page of the admin.
    "newsletter_edition_preview",
}

MEASURE = """() => {
    const boxes = [...document.querySelectorAll("body *")].filter(el => {
        const overflow = getComputedStyle(el).overflowX;
        return (overflow === "auto" || overflow === "scroll")
            && el.scrollWidth > el.clientWidth + 1 && el.offsetParent !== null;
    });
    const wide = [...document.querySelectorAll("body *")].filter(el => {
        const box = el.getBoundingClientRect();
        return box.width && box.right > innerWidth + 1 && !boxes.some(b => b.contains(el));
    });
    return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: innerWidth,
        wide: wide.slice(0, 5).map(el => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`),
        boxes: boxes.map(el => ({
            what: `${el.tagName.toLowerCase()}.${el.className}`,
            table: !!el.querySelector("table"),
            focusable: el.tabIndex === 0,
            named: !!(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")),
        })),
    };
}"""


@pytest.fixture
def admin_library(library, editor, reviewer, newsletter_editor):
    add_one_of_each(editor)
    return {"editor": editor, "reviewer": reviewer, "newsletter_editor": newsletter_editor}


def _check(page, name, axe_source, problems):
    measured = page.evaluate(MEASURE)
    if measured["scrollWidth"] > measured["innerWidth"]:
        problems.append(
            f"{name} ({page.url}) scrolls sideways: {measured['scrollWidth']}px wide,"
            f" from {measured['wide']}"
        )
    for box in measured["boxes"]:
        if not (box["table"] and box["focusable"] and box["named"]):
            problems.append(f"{name}: a box scrolls sideways that is not a labelled table: {box}")
    violations = run_axe(page, axe_source, preload=False)
    write_audit_log(f"admin-{name}", violations)
    problems += [f"{name} ({page.url}):\n{v.report()}" for v in violations if v.fails]


def _article_form_tab_by_tab(page, axe_source, problems):
    """Each tab of the article form shows other parts (the others are
    hidden, so not measured): each is measured when shown."""
    article = Condition.objects.editable().get(slug="myoclonus")
    page.goto(f"/admin/conditions/condition/{article.pk}/change/")
    save_screenshot(page, "admin-article-form")
    for tab in TABS:
        show_tab(page, tab)
        name = "article-form-" + tab.lower().replace(" ", "-")
        save_screenshot(page, f"admin-{name}")
        _check(page, name, axe_source, problems)


def _merge_topics_page(page, axe_source, problems):
    """Reached only from the topics' list, by its action."""
    page.goto("/admin/conditions/topic/")
    boxes = page.locator("input[name='_selected_action']")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("select[name='action']").select_option("merge_topics")
    page.get_by_role("button", name="Go").click()
    page.get_by_role("heading", name="Merge topics").wait_for()
    _check(page, "topic_merge", axe_source, problems)


def test_every_admin_page_fits_a_phone(admin_library, new_page, axe_source):
    problems, seen, opened = [], set(), []
    for role in ROLES:
        user = admin_library[role]
        page = new_page("phone")
        log_in(page, user)
        save_screenshot(page, f"admin-dashboard-{role}")
        _check(page, f"dashboard-{role}", axe_source, problems)
        for url in admin_pages(user, objects_per_model=1):
            view = resolve(url).url_name
            if view in seen or view in NOT_ADMIN_PAGES:
                continue
            # Asked first without the page (same cookies): some answers
            # are no page at all (a refused step, data for a script).
            answer = page.request.get(url, max_redirects=0)
            if answer.status != 200 or "html" not in answer.headers.get("content-type", ""):
                continue
            page.goto(url)
            seen.add(view)
            opened.append(view)
            _check(page, view, axe_source, problems)
        if role == "reviewer":
            _article_form_tab_by_tab(page, axe_source, problems)
            _merge_topics_page(page, axe_source, problems)
        assert not page.errors, f"{role}: JavaScript errors {page.errors}"
        assert not page.broken, f"{role}: resources that did not load {page.broken}"

    assert not problems, "\n".join(problems)
    assert {"condition_change", "condition_history", "condition_compare", "edition_change"} <= {
        v.removeprefix("conditions_").removeprefix("newsletter_") for v in opened
    }, opened
