"""The article admin (conditions.admin.articles), driven through its own
forms: adding and changing an article, its figures, the content checks on
its page, a revision for every save and none for a stale form, the form's
wording, and the writing tools' preview and link choices."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conditions.models import Condition, Drug, GlossaryTerm, Organization, Section
from healthlib.lib.markdown import render_markdown
from tests import factories
from tests.admin_forms import add_rows, change_url, edit_in_admin, form_data

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


def test_treatment_colon_before_drug_groups_is_not_a_gap(admin_client):
    from conditions import services

    data = factories.article_data("Treated", groups=1, sections=6)
    data["sections"][4]["body"] = "Medicines may include:"
    assert data["sections"][4]["kind"] == "treatment"
    article = services.create_article(data=data)
    html = admin_client.get(reverse("admin:conditions_condition_change", args=[article.pk]))
    assert "Medicines may include:" not in html.content.decode().split("content-checks")[-1][:2000]
    assert "No broken article links, content gaps" in html.content.decode()


def test_article_form_wording(editor_client):
    article = factories.article("Gout", publish=False)
    html = editor_client.get(
        reverse("admin:conditions_condition_change", args=[article.pk])
    ).content.decode()
    assert "/conditions/myoclonus/" in html and "/conditions//" not in html
    assert "Drug groups (shown in the Treatment section)" in html
    assert "Drug group (shown in the Treatment section)s" not in html
    # The tags box gets room from the admin's own style sheet.
    assert 'class="form-row field-tags' in html
    assert "/static/healthlib/admin.css" in html


def test_every_admin_save_stores_one_revision(editor_client):
    article = factories.article("Gout", publish=False)
    before = article.revisions.count()
    edit_in_admin(editor_client, article, summary="One", revision_comment="Clarified")
    edit_in_admin(editor_client, article, summary="Two")
    revisions = list(article.revisions.order_by("-created_at", "-id"))
    assert len(revisions) == before + 2
    assert revisions[1].comment == "Clarified"
    assert revisions[1].author.username == "editor"
    assert revisions[0].snapshot["summary"] == "Two"


def test_stale_form_is_refused_and_newer_edit_survives(editor_client, reviewer_client):
    article = factories.article("Gout", publish=False)
    stale = form_data(editor_client.get(change_url(article)))
    # Someone else saves first.
    assert edit_in_admin(reviewer_client, article, summary="Reviewer's edit").status_code == 302
    stale["summary"] = "Editor's stale edit"
    response = editor_client.post(change_url(article), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this article" in html
    assert reverse("admin:conditions_condition_compare", args=[article.pk]) in html
    article.refresh_from_db()
    assert article.summary == "Reviewer's edit"


PREVIEW = reverse("admin:conditions_condition_markdown_preview")


LINKS = reverse("admin:conditions_condition_link_choices")


@pytest.mark.django_db
def test_preview_refuses_anonymous_and_non_staff(client, make_user):
    response = client.post(PREVIEW, {"body": "Hello"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_user("reader", is_staff=False))
    response = client.post(PREVIEW, {"body": "Hello"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(LINKS, {"q": "x"}).status_code == 302


@pytest.mark.django_db
def test_preview_refuses_staff_who_may_not_write_articles(staff_without_role_client):
    assert staff_without_role_client.post(PREVIEW, {"body": "Hello"}).status_code == 403
    assert staff_without_role_client.get(LINKS, {"q": "x"}).status_code == 403


@pytest.mark.django_db
def test_preview_renders_and_sanitizes_like_the_public_page(editor_client):
    GlossaryTerm.objects.create(term="myoclonus", plain="muscle twitching")
    body = (
        "Myoclonus is **brief** twitching. See [tremor](article:essential-tremor).\n\n"
        "<script>alert(1)</script> [bad](javascript:alert(1)) About 10% of people.\n"
    )
    assert editor_client.get(PREVIEW).status_code == 405
    response = editor_client.post(PREVIEW, {"body": body})
    assert response.status_code == 200
    result = response.json()
    article = factories.article("Page", sections=1)
    section = Section.objects.filter(condition__is_live=True, condition__slug=article.slug).get()
    Section.objects.filter(pk=section.pk).update(body=body)
    section.refresh_from_db()
    section.save()  # renders body_html, as publishing does
    assert result["html"] == section.body_html == render_markdown(body)
    assert "<script" not in result["html"] and 'href="javascript' not in result["html"]
    assert 'href="/conditions/essential-tremor/"' in result["html"]
    report = result["readability"]
    assert report["words"] > 0 and report["target"] == 8
    assert report["hard_words"] == [{"term": "myoclonus", "plain": "muscle twitching"}]
    assert report["percentages"][0]["suggestion"] == "Say “about 1 in 10”."


@pytest.mark.django_db
def test_link_choices_by_title_or_other_name_with_drafts_marked(editor_client):
    factories.article("Essential tremor", alternate_names="Familial tremor\nBenign tremor")
    factories.article("Tremor in children", publish=False)
    factories.article("Gout")
    results = editor_client.get(LINKS, {"q": "tremor"}).json()["results"]
    # Titles that start with the words typed come first.
    assert [(r["title"], r["published"]) for r in results] == [
        ("Tremor in children", False),
        ("Essential tremor", True),
    ]
    assert editor_client.get(LINKS, {"q": "familial"}).json()["results"][0]["also_called"] == [
        "Familial tremor"
    ]
    assert editor_client.get(LINKS, {"q": "   "}).json()["results"] == []
