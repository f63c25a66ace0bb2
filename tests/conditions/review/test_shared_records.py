"""Changes to shared records under medical review
(conditions.review.shared_records): what a drug's own page says is
reviewed like an article. Someone who may not publish proposes it, on a new
drug, a draft's drug or a published one alike; readers see it nowhere (the
drug's page, the API, search) until a medical reviewer approves it."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions import services
from conditions.models import Condition, Drug, PendingChange
from conditions.review import shared_records
from tests import factories
from tests.admin_forms import browser_form_data

pytestmark = pytest.mark.django_db

# A word no article uses: wherever readers can see the text, it is found.
WORD = "Zorblaxin"
TEXT = {
    "description": f"{WORD} is a medicine.",
    "uses": f"Used against {WORD} fits.",
    "usual_use": f"Taken by mouth ({WORD}).",
    "side_effects": f"{WORD} drowsiness",
    "serious_side_effects": f"{WORD} rash",
    "other_names": f"{WORD} XR",
}

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    str.strip
)
page_values = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(Drug.TEXT_FIELDS, texts),
        "other_names": texts,
        "rxnorm_code": st.from_regex(r"\A[1-9][0-9]{0,9}\Z"),
        "label_url": st.sampled_from(["https://example.org/label", "https://example.com/l?x=1"]),
        "medlineplus_url": st.just("https://medlineplus.gov/druginfo/meds/a682279.html"),
    },
).filter(bool)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=page_values, published=st.booleans())
def test_an_editors_text_for_a_drug_page_always_waits_for_a_reviewer(
    editor, reviewer, values, published
):
    condition = Condition.objects.editable().filter(slug="gout").first()
    if condition is None:
        condition = factories.article("Gout", groups=1, drugs_per_group=1, publish=False)
    drug = Drug.objects.get(name="Drug 0-0")
    if published and not condition.live_revision_id:
        services.publish(condition=condition)
        condition.refresh_from_db()
    before = {name: getattr(drug, name) for name in Drug.REVIEWED_FIELDS}
    for name, value in values.items():
        setattr(drug, name, value)

    pending = shared_records.save(record=drug, changed=list(values), user=editor)

    assert pending is not None and pending.changes == values
    assert pending.proposed_by == editor
    stored = Drug.objects.get(pk=drug.pk)
    assert {name: getattr(stored, name) for name in Drug.REVIEWED_FIELDS} == before
    # The reviewer's approval is what writes it.
    shared_records.approve(pending=pending, user=reviewer)
    stored.refresh_from_db()
    assert {name: getattr(stored, name) for name in values} == values
    assert not PendingChange.objects.exists()
    Drug.objects.filter(pk=drug.pk).update(**before)


def test_a_reviewers_text_and_an_editors_names_for_a_draft_apply_at_once(editor, reviewer):
    factories.article("Gout", groups=1, drugs_per_group=1, publish=False)
    drug = Drug.objects.get(name="Drug 0-0")
    drug.uses = "Used for gout."
    assert shared_records.save(record=drug, changed=["uses"], user=reviewer) is None
    drug.name = "Colchicine"
    drug.names = {"es": "Colchicina"}
    assert shared_records.save(record=drug, changed=["name", "names"], user=editor) is None
    drug.refresh_from_db()
    assert (drug.name, drug.names, drug.uses) == (
        "Colchicine",
        {"es": "Colchicina"},
        "Used for gout.",
    )
    assert not PendingChange.objects.exists()


def test_an_editor_changing_a_name_and_the_text_of_a_drafts_drug(editor):
    """The name changes at once (the draft's review reads it); the text waits."""
    factories.article("Gout", groups=1, drugs_per_group=1, publish=False)
    drug = Drug.objects.get(name="Drug 0-0")
    drug.name, drug.uses = "Colchicine", "Used for gout."
    pending = shared_records.save(record=drug, changed=["name", "uses"], user=editor)
    drug.refresh_from_db()
    assert (drug.name, drug.uses) == ("Colchicine", "")
    assert pending.changes == {"uses": "Used for gout."}


def _public(client):
    """The drug's page (in English and Spanish) and the API's answer for
    the article that lists it, as one string; and how many search results
    the text's word finds."""
    pages = [
        client.get("/drugs/drug-0-0/").content.decode(),
        client.get("/es/drugs/drug-0-0/").content.decode(),
        client.get("/api/conditions/gout/").content.decode(),
    ]
    search = client.get("/search/", {"q": WORD}).content.decode()
    return "\n".join(pages), search.count('class="result-title"')


def test_text_an_editor_wrote_for_a_drafts_drug_is_public_only_once_approved(
    editor_client, reviewer, client
):
    """The editor writes the drug's page for a draft; the reviewer publishes
    the draft, having read the article; the drug's text still waits for its
    own approval, and only then do readers see it."""
    condition = factories.article("Gout", groups=1, drugs_per_group=1, publish=False)
    drug = Drug.objects.get(name="Drug 0-0")
    url = reverse("admin:conditions_drug_change", args=[drug.pk])
    data = browser_form_data(editor_client.get(url))
    data.update(TEXT, rxnorm_code="2598")
    response = editor_client.post(url, data, follow=True)
    assert "waits for a medical reviewer" in response.content.decode()

    services.publish(condition=condition, user=reviewer)
    services.publish(
        condition=services.create_translation(source=condition, language="es"), user=reviewer
    )
    public, found = _public(client)
    assert WORD not in public and found == 0
    assert "2598" not in public and "connect.medlineplus.gov" not in public

    shared_records.approve(pending=PendingChange.objects.get(), user=reviewer)
    public, found = _public(client)
    for text in TEXT.values():
        assert public.count(text) >= 3, text  # both pages and the API
    assert "connect.medlineplus.gov" in public and '"rxnorm_code": "2598"' in public
    assert found == 2  # the article that lists it (by its other name) and the drug


def test_an_editor_adding_a_drug_with_its_page_text_proposes_the_text(
    editor_client, reviewer_client
):
    response = editor_client.post(
        reverse("admin:conditions_drug_add"),
        {"name": "Newdrugamab", "slug": "newdrugamab", "uses": "Used for testing."},
        follow=True,
    )
    assert "waits for a medical reviewer" in response.content.decode()
    drug = Drug.objects.get(name="Newdrugamab")
    assert drug.uses == ""
    pending = PendingChange.objects.get()
    assert pending.changes == {"uses": "Used for testing."}
    # The reviewer sees what waits on the drug's own page, and approves it.
    page = reviewer_client.get(reverse("admin:conditions_drug_change", args=[drug.pk]))
    assert "Waiting for approval" in page.content.decode()
    assert "Used for testing." in page.content.decode()
    url = reverse("admin:conditions_pendingchange_change", args=[pending.pk])
    reviewer_client.post(url, {"decision": "approve"})
    drug.refresh_from_db()
    assert drug.uses == "Used for testing."


def test_an_invalid_code_is_refused_in_the_form_and_nothing_waits(editor_client):
    factories.article("Gout", groups=1, drugs_per_group=1)
    drug = Drug.objects.get(name="Drug 0-0")
    url = reverse("admin:conditions_drug_change", args=[drug.pk])
    data = browser_form_data(editor_client.get(url))
    data.update(rxnorm_code="2598a", uses="Used for gout.")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "An RxCUI is a whole number of 1 to 10 digits" in response.content.decode()
    # What was typed is still in the form, to correct.
    assert "Used for gout." in response.content.decode()
    assert not PendingChange.objects.exists()
