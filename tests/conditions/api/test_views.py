"""The JSON API: every response checked against /api/openapi.json."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import resolve
from django.utils import timezone, translation

from conditions import services
from conditions.models import Condition, Drug
from tests import factories
from tests.factories import URGENT

pytestmark = pytest.mark.django_db


def test_list_is_paginated_and_documented(client, check):
    for title in ["Asthma", "Bronchitis", "Croup", "Dystonia", "Eczema"]:
        factories.article(title)
    factories.article("Hidden draft", publish=False)
    body = check(client.get("/api/conditions/", {"page_size": 2}), "/api/conditions/")
    assert body["count"] == 5 and body["num_pages"] == 3
    assert [r["slug"] for r in body["results"]] == ["asthma", "bronchitis"]
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/conditions/?page_size=2&page=2"
    last = check(client.get(body["next"].replace("page=2", "page=3")), "/api/conditions/")
    assert [r["slug"] for r in last["results"]] == ["eczema"] and last["next"] is None
    first = body["results"][0]
    assert first["url"].endswith("/conditions/asthma/")
    assert first["api_url"].endswith("/api/conditions/asthma/")
    assert first["tags"] == [{"name": "Nervous system", "slug": "nervous-system"}]


def test_list_filters(client, check):
    factories.article("Myoclonus", tags=("Movement disorders",))
    factories.article("Migraine", tags=("Headache",))
    factories.article("Asthma", tags=("Lungs",))
    factories.article("5-HTP deficiency", tags=("Lungs",))

    def slugs(**params):
        body = check(client.get("/api/conditions/", params), "/api/conditions/")
        return [r["slug"] for r in body["results"]]

    assert slugs(letter="m") == ["migraine", "myoclonus"]
    assert slugs(letter="M") == ["migraine", "myoclonus"]
    assert slugs(letter="0-9") == ["5-htp-deficiency"]
    assert slugs(tag="lungs") == ["5-htp-deficiency", "asthma"]
    assert slugs(tag="lungs", letter="a") == ["asthma"]
    assert slugs(tag="no-such-topic") == []

    old = timezone.now() - datetime.timedelta(days=30)
    Condition.objects.live().filter(slug="asthma").update(updated_at=old)
    since = (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0)
    assert "asthma" not in slugs(updated_since=since.date().isoformat())
    assert "asthma" not in slugs(updated_since=since.strftime("%Y-%m-%dT%H:%M:%SZ"))
    # "+00:00" sent without URL-encoding arrives as " 00:00".
    assert "asthma" not in slugs(updated_since=since.strftime("%Y-%m-%dT%H:%M:%S 00:00"))
    assert "asthma" in slugs(updated_since=(old - datetime.timedelta(days=1)).date().isoformat())


def test_page_past_the_end_is_a_json_404(client, check):
    factories.article("Asthma")
    body = check(client.get("/api/conditions/", {"page": 2}), "/api/conditions/", 404)
    assert body["error"]["code"] == "page_not_found"


def test_detail_is_the_whole_structured_article(client, check, myoclonus):
    body = check(client.get("/api/conditions/myoclonus/"), "/api/conditions/{slug}/")
    live = Condition.objects.live().get(slug="myoclonus")
    assert body["title"] == "Myoclonus" and body["alternate_names"] == ["Muscle jerks"]
    assert len(body["sections"]) == 6
    section = body["sections"][0]
    assert section["markdown"].startswith("Muscle twitching")
    assert section["html"].startswith("<p>Muscle twitching")
    assert section["heading"] == "Definition"
    assert [g["heading"] for g in body["drug_groups"]] == ["Group 1", "Group 2"]
    drug = body["drug_groups"][0]["drugs"][0]
    assert drug["name"] == "Drug 0-0" and drug["other_names"] == ["Brand A", "Brand B"]
    assert drug["rxnorm_code"] == "2598" and drug["url"].endswith("/drugs/drug-0-0/")
    assert len(body["references"]) == 3
    assert (
        body["references"][0]["citation"]
        == "Doe J, Roe R. A study number 0. Journal of Tests. 2020;1:1-10."
    )
    assert [o["name"] for o in body["organizations"]] == ["Organization 0", "Organization 1"]
    figure = body["figures"][0]
    assert figure["alt_text"] == "Figure 0"
    assert figure["renditions"] and all("/media/" in r["url"] for r in figure["renditions"])
    assert [r["width"] for r in figure["renditions"]] == [320, 640, 700]
    assert body["review"]["last_reviewed"] == live.last_reviewed.isoformat()
    assert body["review"]["next_review_due"] == live.next_review_due.isoformat()
    assert body["update_notes"][0]["note"] == "First version"
    assert {(c["system"], c["code"]) for c in body["codes"]} == {
        ("icd10cm", "G25.3"),
        ("snomedct", "17450006"),
    }
    assert {t["slug"] for t in body["tags"]} == {"nervous-system", "movement-disorders"}


def test_a_drug_answers_with_what_its_page_shows(client, check, myoclonus):
    drug = Drug.objects.get(name="Drug 0-0")
    drug.uses = "Used to prevent seizures."
    drug.side_effects = "Drowsiness\n- Unsteadiness"
    drug.serious_side_effects = "Trouble breathing"
    drug.save()
    body = check(client.get("/api/conditions/myoclonus/"), "/api/conditions/{slug}/")
    answer = body["drug_groups"][0]["drugs"][0]
    assert answer["text_language"] == "en"
    assert answer["uses"] == "Used to prevent seizures." and answer["description"] == ""
    assert answer["side_effects"] == ["Drowsiness", "Unsteadiness"]
    assert answer["serious_side_effects"] == ["Trouble breathing"]
    assert answer["label_url"] == (
        "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=Drug+0-0"
    )
    assert "mainSearchCriteria.v.c=2598" in answer["medlineplus_url"]
    assert answer["medlineplus_url"].endswith("informationRecipient.languageCode.c=en")
    # A drug without a code or an editor's links has none.
    other = body["drug_groups"][0]["drugs"][1]
    assert other["label_url"] is other["medlineplus_url"] is None
    assert other["side_effects"] == [] and other["uses"] == ""


def test_detail_of_unknown_or_unpublished_article_is_a_json_404(client, check, myoclonus):
    body = check(client.get("/api/conditions/nothing-here/"), "/api/conditions/{slug}/", 404)
    assert body["error"]["code"] == "not_found"
    services.unpublish(condition=myoclonus)
    check(client.get("/api/conditions/myoclonus/"), "/api/conditions/{slug}/", 404)


def test_conditional_gets(client, myoclonus):
    url = "/api/conditions/myoclonus/"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.head(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200

    listing = client.get("/api/conditions/")
    assert (
        client.get("/api/conditions/", headers={"If-None-Match": listing["ETag"]}).status_code
        == 304
    )

    # A new publication changes both.
    data = factories.article_data("Myoclonus", summary="Changed summary.")
    services.update_article(condition=myoclonus, data=data)
    services.publish(condition=myoclonus)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["summary"] == "Changed summary."
    assert changed["ETag"] != etag
    relisted = client.get("/api/conditions/", headers={"If-None-Match": listing["ETag"]})
    assert relisted.status_code == 200


def test_renaming_a_shared_drug_changes_the_etag(client, myoclonus):
    url = "/api/conditions/myoclonus/"
    etag = client.get(url)["ETag"]
    drug = Drug.objects.get(name="Drug 0-0")
    drug.name = "Renamed drug"
    drug.save()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["drug_groups"][0]["drugs"][0]["name"] == "Renamed drug"


def test_lookup_by_code_and_system(client, check, myoclonus):
    factories.article("Other", codes=[("icd10cm", "G25.1")])
    body = check(client.get("/api/lookup/", {"code": "G25.3", "system": "icd10cm"}), "/api/lookup/")
    assert body["matched_code"] == "G25.3" and body["exact"] is True
    assert [r["slug"] for r in body["results"]] == ["myoclonus"]
    body = check(
        client.get("/api/lookup/", {"code": "17450006", "system": "snomedct"}), "/api/lookup/"
    )
    assert [r["slug"] for r in body["results"]] == ["myoclonus"]
    # Lower case, no dot, the system guessed from the code.
    body = check(client.get("/api/lookup/", {"code": "g253"}), "/api/lookup/")
    assert body["query"] == {
        "code": "G25.3",
        "system": "icd10cm",
        "system_oid": "2.16.840.1.113883.6.90",
        "language": None,
    }
    assert body["count"] == 1


def test_lookup_falls_back_to_the_icd10cm_parent(client, check, myoclonus):
    body = check(
        client.get("/api/lookup/", {"code": "G25.31", "system": "icd10cm"}), "/api/lookup/"
    )
    assert body["matched_code"] == "G25.3" and body["exact"] is False
    assert [r["slug"] for r in body["results"]] == ["myoclonus"]
    factories.article("Category", codes=[("icd10cm", "S72")])
    body = check(client.get("/api/lookup/", {"code": "S72.001A"}), "/api/lookup/")
    assert body["matched_code"] == "S72" and [r["slug"] for r in body["results"]] == ["category"]
    # The nearest parent wins over a farther one.
    factories.article("Nearer", codes=[("icd10cm", "G25")])
    body = check(client.get("/api/lookup/", {"code": "G25.31"}), "/api/lookup/")
    assert body["matched_code"] == "G25.3"
    # SNOMED CT has no such hierarchy in its codes.
    body = check(client.get("/api/lookup/", {"code": "174500061"}), "/api/lookup/")
    assert body["matched_code"] is None and body["results"] == []


def test_lookup_with_infobutton_parameters(client, check, myoclonus):
    # Answered as MedlinePlus Connect answers (the feed: test_infobutton.py).
    params = {
        "mainSearchCriteria.v.c": "G25.31",
        "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
        "mainSearchCriteria.v.dn": "Myoclonus, unspecified",
        "informationRecipient": "PAT",
        "knowledgeResponseType": "application/json",
    }
    feed = check(client.get("/api/lookup/", params), "/api/lookup/")["feed"]
    assert [e["title"]["_value"] for e in feed["entry"]] == ["Myoclonus"]
    snomed = {
        "mainSearchCriteria.v.c": "17450006",
        "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.96",
        "knowledgeResponseType": "json",
    }
    feed = check(client.get("/api/lookup/", snomed), "/api/lookup/")["feed"]
    assert {"scheme": "mainSearchCriteria.v.cs", "term": "SNOMEDCT"} in feed["category"]
    assert len(feed["entry"]) == 1


def test_lookup_ignores_unpublished_articles(client, check, myoclonus):
    services.unpublish(condition=myoclonus)
    body = check(client.get("/api/lookup/", {"code": "G25.3"}), "/api/lookup/")
    assert body["results"] == [] and body["matched_code"] is None


def test_api_query_budgets(client, myoclonus, django_assert_max_num_queries):
    for n in range(30):
        factories.article(f"Listed {n}", sections=1, groups=1, references=0, organizations=0)
    with django_assert_max_num_queries(4):
        assert client.get("/api/conditions/", {"page_size": 50}).status_code == 200
    # One of them: the specialists who signed off the live revision.
    with django_assert_max_num_queries(11):
        assert client.get("/api/conditions/myoclonus/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/api/lookup/", {"code": "G25.31"}).status_code == 200


STRICT_URI = re.compile(r"^https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def test_an_empty_tag_is_no_filter(client, check):
    factories.article("Asthma", tags=("Lungs",))
    body = check(client.get("/api/conditions/", {"tag": ""}), "/api/conditions/")
    assert body["count"] == 1


@pytest.mark.parametrize("params", [{}, {"code": ""}, {"system": "icd10cm"}])
def test_lookup_without_a_code_is_an_empty_answer_as_documented(client, check, params):
    body = check(client.get("/api/lookup/", params), "/api/lookup/")
    assert body["count"] == 0 and body["matched_code"] is None and body["query"]["code"] is None


def test_lookup_with_a_code_its_system_cannot_hold_is_an_empty_answer(client, check, myoclonus):
    params = {"code": "G25.3", "system": "snomedct"}
    body = check(client.get("/api/lookup/", params), "/api/lookup/")
    assert body["count"] == 0 and body["exact"] is False


def test_doi_and_url_links_are_valid_uris(client, check):
    condition = factories.article("Asthma", references=2)
    live = Condition.objects.live().get(source=condition)
    first, second = live.references.order_by("order")
    first.doi, first.url = "10.1002/(SICI)1097-4636<12:3>;2-Z #x", ""
    first.save()
    second.doi, second.pmid, second.url = "", "", "https://example.org/récherche?q=ä b"
    second.save()
    body = check(client.get("/api/conditions/asthma/"), "/api/conditions/{slug}/")
    refs = body["references"]
    assert refs[0]["link"] == "https://doi.org/10.1002/%28SICI%291097-4636%3C12%3A3%3E%3B2-Z%20%23x"
    for value in (refs[0]["link"], refs[1]["link"], refs[1]["url"]):
        assert STRICT_URI.match(value), value


def test_detail_carries_reading_levels(client, check, openapi, myoclonus):
    """``readability`` on the article and each section, as stored with the
    published revision, and described in the OpenAPI document."""
    body = check(client.get("/api/conditions/myoclonus/"), "/api/conditions/{slug}/")
    stored = Condition.objects.live().get(slug="myoclonus").live_revision.readability
    keys = {"flesch_kincaid_grade", "smog", "words"}
    assert set(body["readability"]) == keys
    assert body["readability"]["words"] == stored["article"]["words"] > 0
    for section, level in zip(body["sections"], stored["sections"], strict=True):
        assert section["readability"] == {k: level[k] for k in keys}
    schemas = openapi["components"]["schemas"]
    assert set(schemas["ReadabilityEnglish"]["required"]) == keys
    assert schemas["Condition"]["properties"]["readability"] == {
        "$ref": "#/components/schemas/Readability"
    }
    assert "readability" in schemas["Section"]["required"]


def test_detail_measures_a_revision_saved_before_levels_were_kept(client, check, myoclonus):
    live = Condition.objects.live().get(slug="myoclonus")
    live.live_revision.__class__.objects.filter(pk=live.live_revision_id).update(readability={})
    body = check(client.get("/api/conditions/myoclonus/"), "/api/conditions/{slug}/")
    assert body["readability"]["words"] > 0
    assert all(s["readability"]["words"] > 0 for s in body["sections"])


SITE = settings.SITE_URL.rstrip("/")


def test_the_api_carries_it_with_the_emergency_number(client, urgent_article, check):
    data = check(client.get("/api/conditions/myoclonus/"), "/api/conditions/{slug}/")
    [urgent] = data["urgent_help"]
    assert urgent["heading"] == "When to get urgent help"
    assert urgent["emergency_number"] == "112"
    assert URGENT in urgent["markdown"]
    assert data["sections"][0]["kind"] == "urgent_help"


def test_an_article_without_it_has_an_empty_list(client, check):
    factories.article("Asthma")
    assert (
        check(client.get("/api/conditions/asthma/"), "/api/conditions/{slug}/")["urgent_help"] == []
    )


def test_detail_links_the_printable_handout(client, check, openapi, demo):
    """``handout_url``: the article's PDF handout, in the answer's language;
    documented on the article answer only (the list is as it was)."""
    for path, params, expected in (
        ("/api/conditions/myoclonus/", {}, "/conditions/myoclonus/handout.pdf"),
        ("/api/conditions/mioclonia/", {"lang": "es"}, "/es/conditions/mioclonia/handout.pdf"),
    ):
        body = check(client.get(path, params), "/api/conditions/{slug}/")
        assert body["handout_url"] == settings.SITE_URL + expected
        with translation.override(body["language"]):
            match = resolve(expected)
        assert (match.view_name, match.kwargs) == ("conditions:handout", {"slug": body["slug"]})
    schemas = openapi["components"]["schemas"]
    assert "handout_url" in schemas["Condition"]["required"]
    assert schemas["Condition"]["properties"]["handout_url"]["format"] == "uri"
    assert "handout_url" not in schemas["ConditionSummary"]["properties"]
    listed = check(client.get("/api/conditions/"), "/api/conditions/")["results"][0]
    assert "handout_url" not in listed
