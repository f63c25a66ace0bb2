"""A reader in Spanish: switches the demo article to Spanish and back,
searches in Spanish with and without accents, and reads the notice when the
English article changed after the translation."""

import re

import pytest

from conditions import services
from conditions.models import Condition
from conditions.publishing import snapshots
from tests.e2e.conftest import expect

pytestmark = [pytest.mark.e2e]


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_reader_switches_the_demo_article_to_spanish_and_back(library, page):
    page.goto("/conditions/myoclonus/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switcher = page.get_by_role("navigation", name="Language")
    switcher.get_by_role("link", name="Español").click()

    expect(page).to_have_url(re.compile(r"/es/conditions/mioclonia/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(heading(page)).to_have_text("Mioclonía")
    # The interface is Spanish too, and the page was signed off by its own reviewer.
    expect(page.get_by_role("navigation", name="En esta página")).to_be_visible()
    reviewed = re.compile(r"Revisado por última vez el \d+ de \w+ de \d{4}")
    expect(page.get_by_text(reviewed).first).to_be_visible()
    treatment = page.get_by_role("region", name="Tratamiento")
    expect(treatment.get_by_role("link", name="Carbamazepina")).to_be_visible()

    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/conditions/myoclonus/$"))
    expect(heading(page)).to_have_text("Myoclonus")


@pytest.mark.parametrize("query", ["mioclonía", "mioclonia", "MIOCLONIAS"])
def test_a_spanish_search_finds_the_article_with_or_without_accents(library, page, query):
    page.goto("/es/")
    search = page.get_by_role("search").first
    search.get_by_role("searchbox").fill(query)
    search.get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/es/search/\?q="))
    results = page.get_by_role("main")
    expect(results.get_by_role("link", name="Mioclonía").first).to_be_visible()
    # Only Spanish articles are found in Spanish.
    expect(results.get_by_role("link", name="Myoclonus", exact=True)).to_have_count(0)


def test_readers_of_the_translation_learn_that_the_english_page_changed(library, page):
    source = Condition.objects.editable().get(slug="myoclonus")
    data = snapshots.take(source)
    data["summary"] = "Myoclonus is a sudden, brief jerk of a muscle or a group of muscles."
    services.update_article(condition=source, data=data, comment="Clearer summary")
    services.publish(condition=source, update_note="Summary rewritten")

    page.goto("/es/conditions/mioclonia/")
    notice = page.get_by_role("note").filter(has_text="La versión en inglés")
    expect(notice).to_be_visible()
    notice.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/conditions/myoclonus/$"))
    expect(page.get_by_text("a sudden, brief jerk").first).to_be_visible()
