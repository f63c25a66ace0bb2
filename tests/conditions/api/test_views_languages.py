"""The JSON API in other languages: ``lang`` and Accept-Language choose the
answer's language, translations behind their source say so, and lookups
fall back to English. Every response checked against /api/openapi.json."""

import pytest
from django.conf import settings

from conditions import services
from conditions.models import Condition
from tests import factories

pytestmark = pytest.mark.django_db

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
        {"code": "G25.3", "informationRecipient.languageCode.c": "sp"},
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
    # English's 11, and one for the topics' Spanish names.
    with django_assert_max_num_queries(12):
        assert client.get("/api/conditions/mioclonia/", {"lang": "es"}).status_code == 200
    with django_assert_max_num_queries(13):
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
