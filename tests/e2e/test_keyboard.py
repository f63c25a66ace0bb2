"""Keyboard only: the main journeys work with Tab and Enter, every element
that takes focus shows it, and the skip link leads to the content."""

import re

import pytest

from tests.e2e.conftest import expect, focus_is_visible

pytestmark = [pytest.mark.e2e]

DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name") || "",
        text: (el.tagName === "INPUT" ? "" : el.innerText || "").trim(),
        inViewport: box.bottom > 0 && box.top < window.innerHeight
            && box.right > 0 && box.left < window.innerWidth,
    };
}"""


def focused(page):
    return page.evaluate(DESCRIBE_FOCUS)


def tab_to(page, *, text=None, name=None, limit=80):
    """Tab forward until the element with this text (or form field name) has
    focus, checking on the way that every focus stop is visible."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        seen.append(now["text"][:30] or now["name"] or now["tag"])
        where = f"{now['tag']} {now['text'][:40]!r} on {page.url}"
        assert focus_is_visible(page), f"no visible focus indicator on {where}"
        assert now["inViewport"], f"focused element scrolled out of sight: {where}"
        if (text is not None and now["text"] == text) or (name is not None and now["name"] == name):
            return now
    raise AssertionError(f"never reached {text or name!r} with Tab; went through {seen}")


def test_skip_link_is_the_first_stop_and_leads_to_the_content(library, page):
    page.goto("/conditions/myoclonus/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert focus_is_visible(page)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab continues inside the content, not in the header.
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").first
    ).to_be_focused()


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_reader_journey_by_keyboard(library, new_page, width):
    page = new_page(width)
    page.goto("/")
    tab_to(page, text="M")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?letter=m$"))

    tab_to(page, text="Myoclonus")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Myoclonus")

    tab_to(page, text="Treatment")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#section-\d+-treatment$"))
    # Tab goes on from the section the link led to: its first drug.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Lorazepam")).to_be_focused()

    tab_to(page, text="Clonazepam")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clonazepam")
    tab_to(page, text="Myoclonus")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Myoclonus")


def test_search_and_suggestion_by_keyboard(library, page):
    page.goto("/")
    tab_to(page, name="q")
    page.keyboard.type("myoclonis")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=myoclonis$"))

    suggestion = page.locator(".did-you-mean a")
    tab_to(page, text=suggestion.inner_text())
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=myoclonus$", re.IGNORECASE))
    tab_to(page, text="Myoclonus")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/conditions/myoclonus/$"))


def test_newsletter_sign_up_by_keyboard(library, page, mailoutbox):
    page.goto("/conditions/myoclonus/")
    tab_to(page, name="email")
    page.keyboard.type("keys@example.org")
    tab_to(page, text="Sign up")
    page.keyboard.press("Enter")
    # Back on the article, with the confirmation.
    expect(page).to_have_url(re.compile(r"/conditions/myoclonus/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Myoclonus")
    expect(page.locator(".messages")).to_contain_text("Check your email")
    assert [m.to for m in mailoutbox] == [["keys@example.org"]]


@pytest.mark.parametrize(
    "path", ["/", "/conditions/myoclonus/", "/search/?q=myoclonus", "/newsletter/"]
)
def test_every_focus_stop_shows_focus(library, page, path):
    """Tab through the whole page: each stop has a visible focus indicator,
    on screen, and the order starts with the skip link."""
    page.goto(path)
    stops = []
    for _ in range(150):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == "body" or (stops and now == stops[0]):
            break
        where = f"{now['tag']} {now['text'][:40] or now['name']!r}"
        assert focus_is_visible(page), f"no visible focus indicator on {where} at {path}"
        assert now["inViewport"], f"focused element out of sight: {where} at {path}"
        stops.append(now)
    else:
        raise AssertionError(f"Tab never left {path}'s last element")
    assert stops[0]["text"] == "Skip to content"
    assert len(stops) > 5
