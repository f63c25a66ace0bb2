"""The JSON API: every response checked against /api/openapi.json."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

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
    params = {
        "mainSearchCriteria.v.c": "G25.31",
        "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
        "mainSearchCriteria.v.dn": "Myoclonus, unspecified",
        "informationRecipient": "PAT",
        "knowledgeResponseType": "application/json",
    }
    body = check(client.get("/api/lookup/", params), "/api/lookup/")
    assert body["matched_code"] == "G25.3" and body["count"] == 1
    snomed = {
        "mainSearchCriteria.v.c": "17450006",
        "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.96",
    }
    body = check(client.get("/api/lookup/", snomed), "/api/lookup/")
    assert body["query"]["system"] == "snomedct" and body["count"] == 1


def test_lookup_ignores_unpublished_articles(client, check, myoclonus):
    services.unpublish(condition=myoclonus)
    body = check(client.get("/api/lookup/", {"code": "G25.3"}), "/api/lookup/")
    assert body["results"] == [] and body["matched_code"] is None


def test_api_query_budgets(client, myoclonus, django_assert_max_num_queries):
    for n in range(30):
        factories.article(f"Listed {n}", sections=1, groups=1, references=0, organizations=0)
    with django_assert_max_num_queries(4):
        assert client.get("/api/conditions/", {"page_size": 50}).status_code == 200
    with django_assert_max_num_queries(10):
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


def _spanish(source, *, title="Mioclonía", slug="mioclonia"):
    """``source``'s Spanish translation, written and published."""
    from conditions.publishing import snapshots

    translation = services.create_translation(source=source, language="es")
    data = snapshots.take(translation)
    data.update(title=title, slug=slug, summary="Sacudidas musculares breves.")
    translation = services.update_article(condition=translation, data=data)
    services.publish(condition=translation, update_note="Primera versión")
    return Condition.objects.live("es").get(slug=slug)


def test_lang_lists_the_articles_published_in_spanish_only(client, check, myoclonus):
    factories.article("Asthma")
    _spanish(myoclonus)
    body = check(client.get("/api/conditions/", {"lang": "es"}), "/api/conditions/")
    assert body["language"] == "es" and body["count"] == 1
    (entry,) = body["results"]
    assert entry["title"] == "Mioclonía" and entry["language"] == "es"
    assert entry["url"] == f"{SITE}/es/conditions/mioclonia/"
    assert entry["api_url"] == f"{SITE}/api/conditions/mioclonia/?lang=es"
    assert entry["translations"] == [
        {
            "language": "en",
            "url": f"{SITE}/conditions/myoclonus/",
            "api_url": f"{SITE}/api/conditions/myoclonus/",
        }
    ]
    assert entry["translation_of"]["slug"] == "myoclonus"
    assert entry["translation_of"]["source_updated"] is False
    # English is unchanged, and says where the Spanish version is.
    response = client.get("/api/conditions/")
    english = check(response, "/api/conditions/")
    assert english["language"] == "en" and response["Content-Language"] == "en"
    assert [e["slug"] for e in english["results"]] == ["asthma", "myoclonus"]
    assert english["results"][1]["translations"][0]["api_url"].endswith(
        "/api/conditions/mioclonia/?lang=es"
    )
    assert english["results"][0]["translations"] == []
    assert english["results"][0]["translation_of"] is None


@pytest.mark.parametrize(
    "header, language",
    [
        ("es", "es"),
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("en;q=0.9, es;q=0.8", "en"),
        ("fr, es;q=0.5, en;q=0.3", "es"),
        ("de, *;q=0.5, es;q=0.4", "en"),
        ("es;q=0, en;q=0.1", "en"),
        ("fr", "en"),
        ("", "en"),
    ],
)
def test_accept_language_chooses_the_language_by_q_value(
    client, check, myoclonus, header, language
):
    _spanish(myoclonus)
    response = client.get("/api/conditions/", HTTP_ACCEPT_LANGUAGE=header)
    body = check(response, "/api/conditions/")
    assert body["language"] == language and response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    assert body["results"][0]["language"] == language


def test_lang_overrides_accept_language(client, check, myoclonus):
    _spanish(myoclonus)
    response = client.get("/api/conditions/", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="es")
    assert check(response, "/api/conditions/")["language"] == "en"


def test_detail_in_spanish_by_its_slug_or_the_english_one(client, check, myoclonus):
    _spanish(myoclonus)
    path = "/api/conditions/{slug}/"
    for slug in ("mioclonia", "myoclonus"):
        response = client.get(f"/api/conditions/{slug}/", {"lang": "es"})
        body = check(response, path)
        assert body["title"] == "Mioclonía" and body["language"] == "es"
        assert response["Content-Language"] == "es"
    body = check(client.get("/api/conditions/mioclonia/", HTTP_ACCEPT_LANGUAGE="es"), path)
    assert body["translation_of"]["url"] == f"{SITE}/conditions/myoclonus/"
    assert body["translation_of"]["translated_from"] is not None
    # Codes stay with the English article; reading levels are Spanish ones.
    assert body["codes"] == []
    assert body["readability"]["language"] == "es" and "fernandez_huerta" in body["readability"]
    english = check(client.get("/api/conditions/myoclonus/"), path)
    assert english["title"] == "Myoclonus" and english["translations"][0]["language"] == "es"


def test_a_translation_behind_its_source_says_so(client, check, myoclonus):
    from conditions.publishing import snapshots

    _spanish(myoclonus)
    data = snapshots.take(myoclonus)
    data["summary"] = "Rewritten in English."
    services.update_article(condition=myoclonus, data=data)
    services.publish(condition=myoclonus, update_note="New summary")
    body = check(
        client.get("/api/conditions/mioclonia/", {"lang": "es"}), "/api/conditions/{slug}/"
    )
    assert body["translation_of"]["source_updated"] is True
    assert body["translation_of"]["source_updated_at"] is not None


def test_an_english_only_article_in_spanish_is_a_404_naming_the_english_one(client, check):
    factories.article("Asthma")
    body = check(
        client.get("/api/conditions/asthma/", {"lang": "es"}), "/api/conditions/{slug}/", 404
    )
    assert body["error"]["code"] == "not_translated"
    assert body["error"]["translations"] == [
        {
            "language": "en",
            "url": f"{SITE}/conditions/asthma/",
            "api_url": f"{SITE}/api/conditions/asthma/",
        }
    ]
    assert f"{SITE}/api/conditions/asthma/" in body["error"]["message"]
    # A slug nobody has is a plain 404.
    body = check(
        client.get("/api/conditions/nothing/", {"lang": "es"}), "/api/conditions/{slug}/", 404
    )
    assert body["error"]["code"] == "not_found"


def test_lookup_answers_in_spanish_falling_back_to_english(client, check, myoclonus):
    _spanish(myoclonus)
    other = factories.article("Essential tremor", codes=[("icd10cm", "G25.3")])
    assert other
    for params in (
        {"code": "G25.3", "informationRecipient.languageCode.c": "es"},
        {"code": "G25.3", "lang": "es"},
        {"mainSearchCriteria.v.c": "G25.3", "informationRecipient.languageCode.c": "sp"},
    ):
        response = client.get("/api/lookup/", params)
        body = check(response, "/api/lookup/")
        assert body["language"] == "es" and body["fallback"] is True
        assert [(r["title"], r["language"], r["fallback"]) for r in body["results"]] == [
            ("Essential tremor", "en", True),
            ("Mioclonía", "es", False),
        ]
        assert response["Content-Language"] == "es, en"
    # Every match translated: no fallback.
    body = check(client.get("/api/lookup/", {"code": "17450006", "lang": "es"}), "/api/lookup/")
    assert body["fallback"] is False and [r["slug"] for r in body["results"]] == ["mioclonia"]
    # English, asked or not.
    body = check(client.get("/api/lookup/", {"code": "G25.3"}), "/api/lookup/")
    assert body["language"] == "en" and body["fallback"] is False
    assert {r["language"] for r in body["results"]} == {"en"}


def test_lookup_in_a_language_the_library_lacks_is_english_flagged(client, check, myoclonus):
    body = check(
        client.get("/api/lookup/", {"code": "G25.3", "informationRecipient.languageCode.c": "fr"}),
        "/api/lookup/",
    )
    assert body["language"] == "en" and body["fallback"] is True
    assert body["query"]["language"] == "fr"
    assert [(r["slug"], r["fallback"]) for r in body["results"]] == [("myoclonus", True)]
    body = check(
        client.get("/api/lookup/", {"code": "G25.3", "informationRecipient.languageCode.c": "1"}),
        "/api/lookup/",
        400,
    )
    assert body["error"]["parameter"] == "informationRecipient.languageCode.c"


def test_api_query_budgets_with_translations(client, myoclonus, django_assert_max_num_queries):
    for n in range(10):
        source = factories.article(f"Listed {n}", sections=1, groups=1, references=0)
        _spanish(source, title=f"Listado {n}", slug=f"listado-{n}")
    _spanish(myoclonus)
    # English's 4, and one for the topics' Spanish names.
    with django_assert_max_num_queries(5):
        assert client.get("/api/conditions/", {"page_size": 50, "lang": "es"}).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/api/conditions/", {"page_size": 50}).status_code == 200
    # English's 10, and one for the topics' Spanish names.
    with django_assert_max_num_queries(11):
        assert client.get("/api/conditions/mioclonia/", {"lang": "es"}).status_code == 200
    with django_assert_max_num_queries(12):
        # Found through the English slug: one query more.
        assert client.get("/api/conditions/myoclonus/", {"lang": "es"}).status_code == 200
    with django_assert_max_num_queries(4):
        response = client.get("/api/lookup/", {"code": "G25.31", "lang": "es"})
        assert response.json()["results"][0]["slug"] == "mioclonia"


def test_a_spanish_slug_asked_for_in_english_points_at_the_english_article(
    client, check, myoclonus
):
    _spanish(myoclonus)
    body = check(client.get("/api/conditions/mioclonia/"), "/api/conditions/{slug}/", 404)
    assert body["error"]["code"] == "not_found"
    assert f"in English it is at {SITE}/api/conditions/myoclonus/." in body["error"]["message"]
    assert [v["language"] for v in body["error"]["translations"]] == ["es", "en"]


def test_topics_are_named_in_the_answers_language(client, check, myoclonus):
    from taggit.models import Tag

    from conditions.models import TopicName

    TopicName.objects.create(
        tag=Tag.objects.get(name="Nervous system"), language="es", name="Sistema nervioso"
    )
    _spanish(myoclonus)

    def names(entry):
        return sorted(t["name"] for t in entry["tags"])

    spanish = ["Movement disorders", "Sistema nervioso"]
    listed = check(client.get("/api/conditions/", {"lang": "es"}), "/api/conditions/")
    assert names(listed["results"][0]) == spanish
    detail = check(
        client.get("/api/conditions/mioclonia/", {"lang": "es"}), "/api/conditions/{slug}/"
    )
    assert names(detail) == spanish
    found = check(client.get("/api/lookup/", {"code": "G25.3", "lang": "es"}), "/api/lookup/")
    assert names(found["results"][0]) == spanish
    english = check(client.get("/api/conditions/myoclonus/"), "/api/conditions/{slug}/")
    assert names(english) == ["Movement disorders", "Nervous system"]


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
