"""Cards (conditions.clinical.cards): within CDS Hooks' limits, plain text
shown as it is in Markdown, the same card for the same call."""

import pytest

from conditions.clinical import cards
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_long_title_is_cut_to_fit_the_summary():
    # As long as a title may be (200 characters; PostgreSQL refuses more).
    title = ("A" * 40 + " " + "very long name " * 12)[:200].strip()
    condition = factories.article(title, **factories.SMALL)
    card = cards.article_card(condition.live_copy, "call-1")
    assert len(card["summary"]) < cards.SUMMARY_LIMIT + 1
    assert card["summary"].endswith("…") and card["summary"].startswith("Patient information: A")
    assert len(card["links"][0]["label"]) <= cards.SUMMARY_LIMIT


def test_markup_in_an_article_is_shown_as_text():
    condition = factories.article(
        "Stings",
        summary="Bee *stings* <b>hurt</b> [x](javascript:alert(1))\n# no",
        **factories.SMALL,
    )
    detail = cards.article_card(condition.live_copy, "call-1")["detail"]
    assert detail.startswith(r"Bee \*stings\* \<b\>hurt\</b\> \[x\](javascript:alert(1)) \# no")


def test_the_same_call_gets_the_same_card_id():
    live = factories.article("Asthma", **factories.SMALL).live_copy
    assert cards.article_card(live, "a")["uuid"] == cards.article_card(live, "a")["uuid"]
    assert cards.article_card(live, "a")["uuid"] != cards.article_card(live, "b")["uuid"]


def test_the_attribution_names_the_reviewer_and_the_licence(settings):
    settings.CONTENT_PUBLISHER = "Example Health"
    settings.CONTENT_LICENCE_NAME = ""
    live = factories.article("Asthma", **factories.SMALL).live_copy
    live.reviewer_name, live.reviewer_credentials = "Ana Ruiz", "MD"
    assert cards.attribution(live).startswith(
        r"From Example Health. Medically reviewed by Ana Ruiz, MD"
    )
    assert "Licence" not in cards.attribution(live)
    assert cards.attribution() == "From Example Health."
