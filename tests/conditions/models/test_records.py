"""Shared records (conditions.models.records): a drug's RxNorm code is
checked, and its page's links come from the editor's addresses or its code."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from conditions.models import Drug

pytestmark = pytest.mark.django_db

rxcuis = st.from_regex(r"\A[1-9][0-9]{0,9}\Z")
# Anything an editor might paste that is not an RxCUI: spaces, other
# scripts' digits (Python's \d takes them), a line break, letters, a zero
# in front.
not_rxcuis = st.one_of(
    st.text(min_size=1, max_size=10).filter(lambda s: not (s.isascii() and s.isdigit())),
    st.from_regex(r"\A0[0-9]{0,9}\Z"),
    rxcuis.filter(lambda s: len(s) < 10).map(lambda s: s + "\n"),
    st.sampled_from(["٢٥٩٨", "２５９８", "2598 ", " 2598", "25 98"]),
)


def _drug(**fields):
    return Drug(name="Clonazepam", slug="clonazepam", **fields)


@given(code=rxcuis)
def test_an_rxcui_is_accepted(code):
    _drug(rxnorm_code=code).full_clean()


@given(code=not_rxcuis)
def test_anything_else_is_refused_with_the_format(code):
    with pytest.raises(ValidationError) as refused:
        _drug(rxnorm_code=code).full_clean()
    assert "An RxCUI is a whole number of 1 to 10 digits" in str(refused.value)


def test_more_than_ten_digits_is_refused():
    with pytest.raises(ValidationError):
        _drug(rxnorm_code="12345678901").full_clean()


def test_no_code_is_no_link():
    drug = _drug()
    assert drug.label_link == "" and drug.medlineplus_link() == ""
    assert drug.label_link_language == "" and drug.medlineplus_link_language() == ""


@given(code=rxcuis, language=st.sampled_from(["en", "es"]))
def test_an_rxcui_links_to_the_labels_and_to_medlineplus_in_the_readers_language(code, language):
    drug = _drug(rxnorm_code=code)
    label = urlsplit(drug.label_link)
    assert label.netloc == "dailymed.nlm.nih.gov"
    assert parse_qs(label.query)["query"] == ["Clonazepam"]
    with translation.override(language):
        medlineplus = urlsplit(drug.medlineplus_link())
        assert drug.medlineplus_link_language() == language
    params = parse_qs(medlineplus.query)
    assert params["mainSearchCriteria.v.c"] == [code]
    assert params["informationRecipient.languageCode.c"] == [language]


def test_an_editors_addresses_come_first():
    drug = _drug(
        rxnorm_code="2598",
        label_url="https://example.org/label",
        medlineplus_url="https://medlineplus.gov/druginfo/meds/a682279.html",
    )
    assert drug.label_link == "https://example.org/label"
    assert drug.medlineplus_link("es") == "https://medlineplus.gov/druginfo/meds/a682279.html"
    # Their language is the editor's page's: not claimed.
    assert drug.label_link_language == "" and drug.medlineplus_link_language("es") == ""


def test_side_effects_are_one_per_line_without_bullets():
    drug = _drug(side_effects="Drowsiness\n- Unsteadiness\n\n", serious_side_effects="• Rash\n")
    assert drug.side_effect_list == ["Drowsiness", "Unsteadiness"]
    assert drug.serious_side_effect_list == ["Rash"]


def test_every_field_readers_see_only_on_the_drug_page_is_reviewed():
    """A field added to drugs is either read in the articles that list the
    drug (their review covers it) or waits for a reviewer on its own."""
    read_in_articles = {"id", "name", "slug", "names", "updated_at"}
    fields = {f.name for f in Drug._meta.get_fields() if f.concrete}
    assert fields - read_in_articles == set(Drug.REVIEWED_FIELDS)
    assert set(Drug.TEXT_FIELDS) <= set(Drug.REVIEWED_FIELDS)
