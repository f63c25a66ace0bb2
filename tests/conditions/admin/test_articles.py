"""Editors' admin, driven through its own forms."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conditions.models import Condition, Drug, Organization
from tests import factories
from tests.admin_forms import add_rows, form_data

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/conditions/condition/add/"


def _new_article_post(admin_client, **overrides):
    data = form_data(admin_client.get(ADD_URL))
    data.update(
        {
            "title": "Essential tremor",
            "slug": "essential-tremor",
            "summary": "A shaking of the hands.",
            "audience": "patient",
            "tags": "Nervous system, Movement disorders",
        }
    )
    data.update(overrides)
    return data


def test_editor_creates_an_article_with_sections_drugs_and_a_reference(admin_client):
    propranolol = Drug.objects.create(name="Propranolol", slug="propranolol")
    primidone = Drug.objects.create(name="Primidone", slug="primidone")
    nih = Organization.objects.create(name="NINDS", region="US", url="https://www.ninds.nih.gov/")
    data = _new_article_post(admin_client)
    add_rows(
        data,
        "sections",
        [
            {"kind": "definition", "heading": "", "order": 0, "body": "Tremor is shaking."},
            {"kind": "causes", "heading": "", "order": 1, "body": "Causes include:\n\n- Genes"},
            {"kind": "treatment", "heading": "", "order": 2, "body": "Drugs may help."},
        ],
    )
    add_rows(
        data,
        "drug_groups",
        [
            {
                "heading": "Beta blockers",
                "order": 0,
                "drug_list": [str(primidone.pk), str(propranolol.pk)],
            },
        ],
    )
    add_rows(
        data,
        "references",
        [
            {
                "order": 0,
                "authors": "Doe J",
                "title": "Tremor today",
                "journal": "Neurology",
                "year": "2020",
                "volume": "9",
                "pages": "1-2",
            },
        ],
    )
    add_rows(data, "organization_links", [{"organization": nih.pk, "order": 0}])
    add_rows(data, "codes", [{"system": "icd10cm", "code": "G25.0"}])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""

    article = Condition.objects.editable().get(slug="essential-tremor")
    assert [s.kind for s in article.sections.all()] == ["definition", "causes", "treatment"]
    group = article.drug_groups.get()
    # The order the editor chose, not alphabetical or by id.
    assert [i.drug.name for i in group.items.all()] == ["Primidone", "Propranolol"]
    assert article.references.get().ama() == ("Doe J. Tremor today. <i>Neurology</i>. 2020;9:1-2.")
    assert sorted(t.name for t in article.tags.all()) == ["Movement disorders", "Nervous system"]
    assert article.status == Condition.Status.DRAFT
    assert article.revisions.count() == 1
    # Not yet visible to readers.
    assert admin_client.get("/conditions/essential-tremor/").status_code == 404


def test_sections_are_renumbered_in_the_order_given(admin_client):
    data = _new_article_post(admin_client)
    add_rows(
        data,
        "sections",
        [
            {"kind": "symptoms", "heading": "", "order": 5, "body": "b"},
            {"kind": "definition", "heading": "", "order": 1, "body": "a"},
        ],
    )
    assert admin_client.post(ADD_URL, data).status_code == 302
    article = Condition.objects.editable().get(slug="essential-tremor")
    assert [(s.kind, s.order) for s in article.sections.all()] == [
        ("definition", 0),
        ("symptoms", 1),
    ]


def test_duplicate_slug_is_a_form_error(admin_client):
    factories.article("Essential tremor", publish=False)
    response = admin_client.post(ADD_URL, _new_article_post(admin_client))
    assert response.status_code == 200
    assert "Another article already uses this slug." in response.content.decode()
    assert Condition.objects.editable().filter(slug="essential-tremor").count() == 1


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("notes.png", b"this is not an image", "image/png"),
            "Upload a valid image",
        ),
        (lambda: factories.upload("huge.png", width=8000, height=6000), "at most 40 megapixels"),
    ],
)
def test_figure_form_refuses_bad_images(admin_client, upload, message):
    upload = upload() if callable(upload) else upload
    data = _new_article_post(admin_client)
    add_rows(data, "figures", [{"image": upload, "alt_text": "x", "order": 0}])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Condition.objects.exists()  # nothing half-saved


def test_figure_over_20_mb_is_refused(admin_client, settings):
    settings.FIGURE_MAX_BYTES = 1000  # the same check, without a 20 MB upload
    data = _new_article_post(admin_client)
    add_rows(data, "figures", [{"image": factories.upload(), "alt_text": "x", "order": 0}])
    response = admin_client.post(ADD_URL, data)
    assert "figures may be at most" in response.content.decode()


def test_figure_needs_alt_text_and_gets_renditions(admin_client):
    data = _new_article_post(admin_client)
    add_rows(data, "figures", [{"image": factories.upload(), "alt_text": "", "order": 0}])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    data["figures-0-image"] = factories.upload(width=1500, height=1000)
    data["figures-0-alt_text"] = "A diagram"
    assert admin_client.post(ADD_URL, data).status_code == 302
    figure = Condition.objects.get().figures.get()
    assert [r["width"] for r in figure.renditions] == [320, 640, 960, 1280, 1500]
    assert "320w" in figure.srcset


def test_content_checks_flag_missing_links_and_gaps(admin_client):
    data = factories.article_data("Checked")
    data["sections"][0]["body"] = (
        "See [a missing article](article:no-such-thing). Possible causes include:"
    )
    from conditions import services

    article = services.create_article(data=data)
    html = admin_client.get(reverse("admin:conditions_condition_change", args=[article.pk]))
    html = html.content.decode()
    assert "no article has that address" in html and "no-such-thing" in html
    assert "is followed by no list" in html and "Possible causes include:" in html


def test_lists_filters_and_used_in_counts(admin_client):
    factories.article("Alpha")
    factories.article("Beta", publish=False)
    html = admin_client.get("/admin/conditions/condition/?q=alph").content.decode()
    assert "Alpha" in html and ">Beta<" not in html
    assert admin_client.get("/admin/conditions/condition/?review=overdue").status_code == 200
    drugs = admin_client.get("/admin/conditions/drug/").content.decode()
    assert "Drug 0-0" in drugs
    # Counted once per article, not once more for the live copy.
    assert '<td class="field-used_in">2</td>' in drugs
    assert admin_client.get("/admin/conditions/organization/").status_code == 200


def test_drug_autocomplete_answers_for_drug_groups(admin_client):
    Drug.objects.create(name="Clonazepam", slug="clonazepam")
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "conditions",
            "model_name": "druggroup",
            "field_name": "drugs",
            "term": "clon",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Clonazepam"]


def test_treatment_colon_before_drug_groups_is_not_a_gap(admin_client):
    from conditions import services

    data = factories.article_data("Treated", groups=1, sections=6)
    data["sections"][4]["body"] = "Medicines may include:"
    assert data["sections"][4]["kind"] == "treatment"
    article = services.create_article(data=data)
    html = admin_client.get(reverse("admin:conditions_condition_change", args=[article.pk]))
    assert "Medicines may include:" not in html.content.decode().split("content-checks")[-1][:2000]
    assert "No broken article links, content gaps" in html.content.decode()
