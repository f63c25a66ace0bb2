"""Readers' pages of the shared records (conditions.views): drug pages worth
opening, and the topic index."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions import services
from conditions.models import Condition, Drug
from tests import factories

pytestmark = pytest.mark.django_db


# The parts of a drug's page, in the order readers meet them: (field, the
# heading it is shown under, or None for the lead paragraph).
PARTS = [
    ("description", None),
    ("uses", "What it is used for"),
    ("usual_use", "How it is usually taken"),
    ("side_effects", "Common side effects"),
    ("serious_side_effects", "Serious side effects: get medical help right away"),
]
TEXTS = {
    "description": "A medicine that calms nerve signals.",
    "uses": "Used to prevent seizures.",
    "usual_use": "Taken by mouth, once or twice a day.",
    "side_effects": "Drowsiness\n- Unsteadiness",
    "serious_side_effects": "Trouble breathing",
}


def _headings(html):
    return re.findall(r"<h2 id=\"[\w-]+\">([^<]*)</h2>", html)


@pytest.fixture
def listed_drug(db):
    factories.article("Alpha condition")
    return Drug.objects.get(slug="drug-0-0")


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(filled=st.sets(st.sampled_from([field for field, _ in PARTS])))
def test_drug_page_shows_the_parts_that_have_text_under_their_headings_in_order(
    client, listed_drug, filled
):
    for field, _ in PARTS:
        setattr(listed_drug, field, TEXTS[field] if field in filled else "")
    listed_drug.save()
    html = client.get("/drugs/drug-0-0/").content.decode()
    expected = [heading for field, heading in PARTS if heading and field in filled]
    # Then always: where to read more (none here: no code, no links), the
    # articles that list it.
    assert _headings(html) == [*expected, "Articles that list Drug 0-0"]
    assert ("A medicine that calms nerve signals." in html) == ("description" in filled)
    if "side_effects" in filled:
        assert "<li>Drowsiness</li><li>Unsteadiness</li>" in html
    if "serious_side_effects" in filled:
        assert "<li>Trouble breathing</li>" in html and 'href="tel:911"' in html
    # Always: the caution, the classes, the article.
    assert "This page does not list every use or side effect." in html
    assert "Listed as: Group 1" in html and "Alpha condition" in html


def test_drug_page_without_editor_text_or_code_invents_nothing(client, listed_drug):
    html = client.get("/drugs/drug-0-0/").content.decode()
    for absent in (
        "used for",
        "usually taken",
        "ide effects",
        "MedlinePlus",
        "DailyMed",
        'rel="external',
        "tel:",
    ):
        assert absent not in html


def test_drug_page_links_to_the_label_and_medlineplus_by_its_code(client, listed_drug):
    listed_drug.other_names = "Klonopin"
    listed_drug.rxnorm_code = "2598"
    listed_drug.save()
    html = client.get("/drugs/drug-0-0/").content.decode()
    assert "Also called: Klonopin" in html
    assert _headings(html) == ["More about Drug 0-0", "Articles that list Drug 0-0"]
    medlineplus = (
        "https://connect.medlineplus.gov/application?"
        "mainSearchCriteria.v.cs=2.16.840.1.113883.6.88&amp;mainSearchCriteria.v.c=2598&amp;"
        "mainSearchCriteria.v.dn=Drug+0-0&amp;informationRecipient.languageCode.c=en"
    )
    assert (
        f'<a href="{medlineplus}" rel="external noopener" hreflang="en">Drug 0-0 on MedlinePlus</a>'
    ) in html
    dailymed = "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&amp;query=Drug+0-0"
    assert (
        f'<a href="{dailymed}" rel="external noopener" hreflang="en">'
        "Official labels for Drug 0-0 on DailyMed</a>"
    ) in html
    # Search engines read the same as a schema.org Drug.
    data = _json_ld(html)
    assert data["@type"] == "Drug" and data["name"] == "Drug 0-0"
    assert data["alternateName"] == ["Klonopin"]
    assert data["code"] == {"@type": "MedicalCode", "codeValue": "2598", "codingSystem": "RxNorm"}
    assert data["drugClass"] == [{"@type": "DrugClass", "name": "Group 1"}]
    assert data["labelDetails"] == dailymed.replace("&amp;", "&")
    assert data["url"] == data["@id"] == "http://localhost:8000/drugs/drug-0-0/"


def test_an_editors_addresses_are_linked_as_they_are(client, listed_drug):
    listed_drug.rxnorm_code = "2598"
    listed_drug.label_url = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=x"
    listed_drug.medlineplus_url = "https://medlineplus.gov/druginfo/meds/a682279.html"
    listed_drug.save()
    html = client.get("/drugs/drug-0-0/").content.decode()
    assert (
        '<a href="https://medlineplus.gov/druginfo/meds/a682279.html" rel="external noopener">'
        in html
    )
    assert (
        '<a href="https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=x" '
        'rel="external noopener">Official label for Drug 0-0</a>'
    ) in html
    assert "connect.medlineplus.gov" not in html and "search.cfm" not in html


def test_spanish_drug_page_says_its_text_is_in_english_and_links_medlineplus_in_spanish(
    client, listed_drug
):
    translation = services.create_translation(
        source=Condition.objects.editable().get(slug="alpha-condition"), language="es"
    )
    services.publish(condition=translation)
    listed_drug.names = {"es": "Fármaco 0-0"}
    listed_drug.rxnorm_code = "2598"
    listed_drug.uses = "Used to prevent seizures."
    listed_drug.save()
    html = client.get("/es/drugs/drug-0-0/").content.decode()
    assert '<h1 id="drug-title">Fármaco 0-0</h1>' in html
    assert "La información sobre este medicamento está en inglés." in html
    assert '<p lang="en">Used to prevent seizures.</p>' in html
    assert "informationRecipient.languageCode.c=es" in html
    assert 'hreflang="es">Fármaco 0-0 en MedlinePlus</a>' in html
    # DailyMed is in English, and says so.
    assert re.search(r'hreflang="en">[^<]*DailyMed</a>[^<]*\(en inglés\)', html)
    data = _json_ld(html)
    assert data["name"] == "Fármaco 0-0" and data["alternateName"] == ["Drug 0-0"]


@pytest.mark.parametrize("articles", [1, 12])
def test_drug_page_query_budget_whatever_the_number_of_articles(
    client, django_assert_max_num_queries, articles
):
    for n in range(articles):
        factories.article(f"Condition {n:02d}", sections=1, references=0, organizations=0)
    drug = Drug.objects.get(slug="drug-0-0")
    drug.rxnorm_code, drug.side_effects = "2598", "Drowsiness"
    drug.save()
    # The drug, its articles and the classes it is listed as: three, however
    # many articles list it.
    with django_assert_max_num_queries(3):
        response = client.get("/drugs/drug-0-0/")
    assert response.status_code == 200
    assert response.content.decode().count('<li><a href="/conditions/condition-') == articles


def _json_ld(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


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
