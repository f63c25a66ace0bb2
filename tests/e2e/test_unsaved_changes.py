"""The article form warns before leaving with unsaved changes
(conditions/static/conditions/unsaved_changes.js): not on an untouched
form, not when saving, and once saved, not any more."""

import pytest

from conditions.models import Condition
from tests import factories
from tests.e2e.conftest import expect, log_in
from tests.factories import SMALL

pytestmark = [pytest.mark.e2e]


def _watch_dialogs(page):
    """Dismiss every dialog (so a warned navigation is cancelled) and
    record its type."""
    seen = []

    def dismiss(dialog):
        seen.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return seen


def test_leaving_the_article_form_with_unsaved_changes_asks_first(editor, new_page):
    article = factories.article("Gout", publish=False, **SMALL)
    change = f"/admin/conditions/condition/{article.pk}/change/"
    history = f"/admin/conditions/condition/{article.pk}/history/"
    page = new_page()
    dialogs = _watch_dialogs(page)
    log_in(page, editor)

    # Untouched: leaving asks nothing.
    page.goto(change)
    page.locator(".object-tools").get_by_role("link", name="History").click()
    page.wait_for_url(f"**{history}")
    assert dialogs == []

    # Typed in: leaving asks, and staying keeps what was typed.
    page.goto(change)
    title = page.locator("#id_title")
    title.click()
    title.press("End")
    title.press_sequentially(" (gouty arthritis)")
    page.locator(".object-tools").get_by_role("link", name="History").click(no_wait_after=True)
    expect(page.locator("#id_title")).to_have_value("Gout (gouty arthritis)")
    page.wait_for_timeout(300)  # the navigation, had it not been cancelled
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(change)

    # Saving leaves without asking, and the saved page asks nothing either.
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Condition.objects.get(pk=article.pk).title == "Gout (gouty arthritis)"
    page.locator(".object-tools").get_by_role("link", name="History").click()
    page.wait_for_url(f"**{history}")
    assert dialogs == ["beforeunload"]
