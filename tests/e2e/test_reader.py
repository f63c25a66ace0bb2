"""A reader finds an article, follows its table of contents to a drug and
comes back; searches with a misspelling; prints an article."""

import re

import pytest

from tests.e2e.conftest import expect

pytestmark = [pytest.mark.e2e]


def heading(page):
    return page.get_by_role("heading", level=1)


def test_reader_goes_from_home_to_an_article_and_a_drug_and_back(library, page):
    page.goto("/")
    letters = page.get_by_role("navigation", name="Conditions by letter")
    letters.get_by_role("link", name="M", exact=True).click()
    expect(page).to_have_url(re.compile(r"/conditions/\?letter=m$"))
    expect(heading(page)).to_have_text("Conditions A–Z")

    page.get_by_role("main").get_by_role("link", name="Myoclonus", exact=True).click()
    expect(page).to_have_url(re.compile(r"/conditions/myoclonus/$"))
    expect(heading(page)).to_have_text("Myoclonus")

    toc = page.get_by_role("navigation", name="On this page")
    toc.get_by_role("link", name="Treatment").click()
    expect(page).to_have_url(re.compile(r"/conditions/myoclonus/#section-\d+-treatment$"))
    treatment = page.get_by_role("region", name="Treatment")
    expect(treatment.get_by_role("heading", name="Treatment")).to_be_in_viewport()
    expect(treatment.get_by_role("heading", name="Sedatives")).to_be_visible()

    treatment.get_by_role("link", name="Clonazepam").first.click()
    expect(page).to_have_url(re.compile(r"/drugs/clonazepam/$"))
    expect(heading(page)).to_have_text("Clonazepam")
    expect(page.get_by_role("main").get_by_role("link", name="Myoclonus")).to_be_visible()

    page.go_back()
    expect(page).to_have_url(re.compile(r"/conditions/myoclonus/#section-\d+-treatment$"))
    expect(heading(page)).to_have_text("Myoclonus")
    expect(treatment.get_by_role("heading", name="Treatment")).to_be_in_viewport()
    assert not page.errors


def test_misspelled_search_offers_the_right_word(library, page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search the health library").fill("myoclonis")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=myoclonis$"))

    suggestion = page.locator(".did-you-mean").get_by_role("link")
    expect(suggestion).to_have_text(re.compile(r"^myoclonus$", re.IGNORECASE))
    suggestion.click()
    expect(page).to_have_url(re.compile(r"/search/\?q=myoclonus$", re.IGNORECASE))
    expect(heading(page)).to_have_text(re.compile("Search results for “myoclonus”", re.I))
    results = page.get_by_role("main").get_by_role("list").filter(has=page.locator("h2"))
    results.get_by_role("link", name="Myoclonus", exact=True).click()
    expect(heading(page)).to_have_text("Myoclonus")


def test_printed_article_has_no_navigation(library, page):
    page.goto("/conditions/myoclonus/")
    navigation = [
        page.get_by_role("link", name="Skip to content"),
        page.get_by_role("banner"),
        page.get_by_role("navigation", name="Main"),
        page.get_by_role("navigation", name="Breadcrumb"),
        page.get_by_role("navigation", name="On this page"),
        page.get_by_role("search"),
        page.get_by_role("complementary", name="Our free newsletter"),
        page.get_by_role("contentinfo"),
    ]
    for part in navigation[1:]:
        expect(part.first).to_be_visible()

    page.emulate_media(media="print")
    for part in navigation:
        expect(part.first).to_be_hidden()
    expect(heading(page)).to_have_text("Myoclonus")
    expect(page.get_by_role("heading", name="Treatment", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="References", exact=True)).to_be_visible()
    # External links print their address, since paper cannot be clicked.
    after = page.get_by_role("link", name="Health Canada").evaluate(
        "a => getComputedStyle(a, '::after').content"
    )
    assert "http" in after or "attr(href)" in after, after
