"""Articles and drugs by their medical codes (conditions.selectors.codes):
ICD-10-CM's parent fallback, SNOMED CT as it is, translations found
through their English article, drugs by RxCUI; a fixed number of queries."""

import pytest

from conditions import selectors
from conditions.models import Condition, Drug, codes
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    myoclonus = factories.article(
        "Myoclonus", codes=[("icd10cm", "G25.3"), ("snomedct", "17450006")], groups=1
    )
    tremor = factories.article("Essential tremor", codes=[("icd10cm", "G25")], groups=0)
    draft = factories.article("Draft only", codes=[("icd10cm", "G25.31")], publish=False)
    live = {c.source_id: c.pk for c in Condition.objects.live(language=None)}
    return {"myoclonus": live[myoclonus.pk], "tremor": live[tremor.pk], "draft": draft}


def test_a_code_matches_itself_then_its_nearest_parent(library):
    assert selectors.articles_for_code(codes.ICD10CM, "G25.3") == ("G25.3", [library["myoclonus"]])
    # G25.31 is only on a draft: its parent G25.3 answers.
    assert selectors.articles_for_code(codes.ICD10CM, "G25.31") == ("G25.3", [library["myoclonus"]])
    assert selectors.articles_for_code(codes.ICD10CM, "G25.9") == ("G25", [library["tremor"]])
    assert selectors.articles_for_code(codes.ICD10CM, "I10") == (None, [])
    # SNOMED CT has no parents here.
    assert selectors.articles_for_code(codes.SNOMEDCT, "17450006")[1] == [library["myoclonus"]]
    assert selectors.articles_for_code(codes.SNOMEDCT, "174500060") == (None, [])


def test_many_codes_are_matched_in_one_query(library, django_assert_num_queries):
    pairs = [(codes.ICD10CM, f"G{n:02d}.{n % 10}") for n in range(200)]
    pairs += [(codes.ICD10CM, "G25.39"), (codes.SNOMEDCT, "17450006")]
    with django_assert_num_queries(1):
        found = selectors.match_codes(pairs)
    assert found[(codes.ICD10CM, "G25.39")] == ("G25.3", [library["myoclonus"]])
    assert found[(codes.ICD10CM, "G25.5")] == ("G25", [library["tremor"]])
    assert found[(codes.SNOMEDCT, "17450006")] == ("17450006", [library["myoclonus"]])
    assert (codes.ICD10CM, "G10.0") not in found
    assert selectors.match_codes([]) == {}


def test_a_translation_is_given_where_published(library, django_assert_num_queries):
    from conditions import services
    from conditions.publishing import snapshots

    working = Condition.objects.editable().get(slug="myoclonus")
    translation = services.create_translation(source=working, language="es")
    data = snapshots.take(translation)
    data.update(title="Mioclonía", slug="mioclonia")
    services.publish(condition=services.update_article(condition=translation, data=data))
    english = [library["myoclonus"], library["tremor"]]
    with django_assert_num_queries(1):
        chosen = selectors.in_language(english, "es")
    assert chosen[library["myoclonus"]].title == "Mioclonía"
    assert chosen[library["tremor"]].title == "Essential tremor"
    assert {c.title for c in selectors.in_language(english, "en").values()} == {
        "Myoclonus",
        "Essential tremor",
    }
    assert selectors.in_language([], "es") == {}


def test_drugs_by_rxnorm_and_the_live_articles_listing_them(library, django_assert_num_queries):
    drug = Drug.objects.get(name="Drug 0-0")
    drug.rxnorm_code = "2598"
    drug.save()
    assert selectors.drugs_by_rxnorm(["2598", "nope", "2598"]) == {"2598": drug}
    assert selectors.drugs_by_rxnorm(["0", ""]) == {}
    with django_assert_num_queries(1):
        listing = selectors.articles_listing([drug.pk], ["en", "es"])
    assert [a.pk for a in listing[drug.pk]] == [library["myoclonus"]]
    assert selectors.articles_listing([], ["en"]) == {}


@pytest.mark.parametrize(
    "system, code",
    [("icd10cm", "G25.3"), ("icd10cm", "G25.31"), ("icd10cm", "G25.9"), ("icd10cm", "I10"),
     ("snomedct", "17450006"), ("snomedct", "174500060")],
)  # fmt: skip
def test_the_same_articles_as_the_code_look_up(library, client, system, code):
    answer = client.get("/api/lookup/", {"code": code, "system": system}).json()
    matched, english = selectors.articles_for_code(system, code)
    assert answer["matched_code"] == matched
    live = Condition.objects.live(language=None)
    assert sorted(r["slug"] for r in answer["results"]) == sorted(
        live.filter(pk__in=english).values_list("slug", flat=True)
    )
