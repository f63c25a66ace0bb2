"""Readers' pages of the shared records (conditions.views): drug pages worth
opening, and the topic index."""

import pytest

from conditions.models import Drug
from tests import factories

pytestmark = pytest.mark.django_db


def test_drug_page_shows_what_editors_filled_in(client):
    factories.article("Alpha condition")
    drug = Drug.objects.get(slug="drug-0-0")
    drug.other_names = "Brandname"
    drug.description = "A medicine that calms nerve signals."
    drug.usual_use = "Taken by mouth, once or twice a day."
    drug.side_effects = "Drowsiness\n- Unsteadiness"
    drug.label_url = "https://dailymed.nlm.nih.gov/dailymed/example"
    drug.medlineplus_url = "https://medlineplus.gov/druginfo/meds/a682279.html"
    drug.save()
    html = client.get("/drugs/drug-0-0/").content.decode()
    assert "Also called: Brandname" in html
    assert "A medicine that calms nerve signals." in html
    assert '<h2 id="drug-use-h">How it is usually used</h2>' in html
    assert "<li>Drowsiness</li><li>Unsteadiness</li>" in html
    assert 'href="https://medlineplus.gov/druginfo/meds/a682279.html"' in html
    assert 'href="https://dailymed.nlm.nih.gov/dailymed/example"' in html
    # The classes it is listed under in published articles.
    assert "Listed as: Group 1" in html
    assert "Alpha condition" in html


def test_drug_page_without_editor_fields_invents_nothing(client):
    factories.article("Alpha condition")
    html = client.get("/drugs/drug-0-0/").content.decode()
    for absent in ("How it is usually used", "Side effects", "MedlinePlus", "Official label"):
        assert absent not in html


def test_topic_index_lists_topics_of_published_articles_with_counts(client):
    factories.article("Tremor", tags=["Movement disorders", "Nervous system"])
    factories.article("Myoclonus", tags=["Movement disorders"])
    factories.article("Draft", tags=["Secret topic"], publish=False)
    response = client.get("/topics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/topics/movement-disorders/">Movement disorders</a>' in html
    assert "(2 articles)" in html and "(1 article)" in html
    assert "Secret topic" not in html
    assert html.index("Movement disorders") < html.index("Nervous system")


def test_topics_are_linked_from_the_header(client):
    html = client.get("/").content.decode()
    assert '<li><a href="/topics/">Topics</a></li>' in html
