"""Every admin change form, opened and posted back as a browser would.

Editors spend their day changing what exists. This opens the change form of
every model registered with the admin, on the demo content and on a large
article, and posts it back unchanged, then with the changes editors make
most: a small edit, a figure removed, a figure's image replaced, sections
reordered. Any of these answering anything but a redirect is a bug editors
would hit.
"""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile

from conditions.models import Condition
from tests import factories
from tests.admin_forms import browser_form_data, change_url_of, form_errors

pytestmark = pytest.mark.django_db


def _resave(client, obj, change=None):
    """Open ``obj``'s change form, apply ``change`` to the data, post it."""
    url = change_url_of(obj)
    page = client.get(url)
    assert page.status_code == 200, url
    data = browser_form_data(page)
    if change is not None:
        change(data)
    response = client.post(url, data)
    assert response.status_code == 302, (url, form_errors(response))
    return response


def test_every_admin_change_form_saves_unchanged(one_of_each_model, admin_client):
    for model, objects in one_of_each_model.items():
        model_admin = admin.site._registry[model]
        for obj in objects:
            assert obj is not None, f"the test library has no {model._meta.label}"
            request = admin_client.get(change_url_of(obj)).wsgi_request
            if not model_admin.has_change_permission(request, obj):
                # Read-only records (deliveries) open, and have nothing to save.
                assert admin_client.get(change_url_of(obj)).status_code == 200
                continue
            _resave(admin_client, obj)


@pytest.mark.parametrize("which", ["demo", "large"])
def test_article_saves_with_a_small_change(library, admin_client, which):
    article = library[which]

    def change(data):
        data["sections-0-body"] = data["sections-0-body"] + "\n\nOne more sentence."
        data["revision_comment"] = "Added a sentence"

    _resave(admin_client, article, change)
    article.refresh_from_db()
    assert article.sections.first().body.endswith("One more sentence.")
    assert article.latest_revision.comment == "Added a sentence"
    assert article.figures.count() >= 1


@pytest.mark.parametrize("which", ["demo", "large"])
def test_article_saves_with_a_figure_removed(library, admin_client, which):
    article = library[which]
    before = article.figures.count()

    def change(data):
        data["figures-0-DELETE"] = "on"

    _resave(admin_client, article, change)
    assert article.figures.count() == before - 1
    # Readers keep the published figure until the removal is published.
    assert article.live_copy.figures.count() == before


@pytest.mark.parametrize("which", ["demo", "large"])
def test_article_saves_with_a_figure_image_replaced(library, admin_client, which):
    article = library[which]
    old = article.figures.first()

    def change(data):
        data["figures-0-image"] = SimpleUploadedFile(
            "new-image.png", factories.png_bytes(900, 500, "#884422"), "image/png"
        )

    _resave(admin_client, article, change)
    new = article.figures.get(alt_text=old.alt_text, caption=old.caption)
    assert new.image.name != old.image.name and "new-image" in new.image.name
    assert (new.width, new.height) == (900, 500)
    assert new.renditions[0]["source"] == new.image.name


def test_article_saves_with_a_bad_image_as_a_form_error(library, admin_client):
    article = library["demo"]
    url = change_url_of(article)
    data = browser_form_data(admin_client.get(url))
    data["figures-0-image"] = SimpleUploadedFile("x.png", b"not an image", "image/png")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert Condition.objects.get(pk=article.pk).latest_revision_id == article.latest_revision_id


@pytest.mark.parametrize("which", ["demo", "large"])
def test_article_saves_with_sections_reordered(library, admin_client, which):
    article = library[which]
    first, second = list(article.sections.all())[:2]

    def change(data):
        data["sections-0-order"], data["sections-1-order"] = (
            data["sections-1-order"],
            data["sections-0-order"],
        )

    _resave(admin_client, article, change)
    reordered = list(article.sections.all())
    assert reordered[0].pk == second.pk and reordered[1].pk == first.pk


@pytest.mark.parametrize("which", ["demo", "large"])
def test_article_saves_with_drug_groups_and_references_reordered(library, admin_client, which):
    article = library[which]
    groups = list(article.drug_groups.all())
    references = list(article.references.all())

    def change(data):
        for prefix in ("drug_groups", "references"):
            data[f"{prefix}-0-order"], data[f"{prefix}-1-order"] = (
                data[f"{prefix}-1-order"],
                data[f"{prefix}-0-order"],
            )

    _resave(admin_client, article, change)
    assert list(article.drug_groups.all())[:2] == [groups[1], groups[0]]
    assert list(article.references.all())[:2] == [references[1], references[0]]
    # The drugs of each group stay exactly as they were.
    for group in groups:
        group.refresh_from_db()
        assert group.items.count() == len(group.drugs.all())


def _rows_in_order(data, prefix, order):
    """Number the rows as the drag-and-drop script does after a drop: 1, 2,
    3… in their new order on the page (``order`` lists row indexes)."""
    for position, row in enumerate(order, start=1):
        data[f"{prefix}-{row}-order"] = str(position)


@pytest.mark.parametrize("which", ["demo", "large"])
def test_article_saves_as_dragged_and_dropped(library, admin_client, which):
    article = library[which]
    sections = list(article.sections.all())
    figures = list(article.figures.all())
    group = article.drug_groups.first()
    drugs = [item.drug_id for item in group.items.all()]

    def change(data):
        # The last section dragged to the top; the others keep their order.
        count = len(sections)
        _rows_in_order(data, "sections", [count - 1, *range(count - 1)])
        _rows_in_order(data, "figures", list(reversed(range(len(figures)))))
        # Drugs within a group: the script reorders the select's options,
        # so the browser sends them in the new order.
        data["drug_groups-0-drug_list"] = [str(d) for d in reversed(drugs)]

    _resave(admin_client, article, change)
    reordered = list(article.sections.all())
    assert reordered[0].pk == sections[-1].pk
    assert [s.pk for s in reordered[1:]] == [s.pk for s in sections[:-1]]
    assert [s.order for s in reordered] == list(range(len(sections)))  # 0..n as before
    assert [f.pk for f in article.figures.all()] == [f.pk for f in reversed(figures)]
    assert [item.drug_id for item in group.items.all()] == list(reversed(drugs))


def test_section_added_in_the_browser_goes_last(library, admin_client):
    article = library["large"]
    count = article.sections.count()

    def change(data):
        total = int(data["sections-TOTAL_FORMS"])
        data[f"sections-{total}-kind"] = "other"
        data[f"sections-{total}-body"] = "A new last section."
        data[f"sections-{total}-order"] = ""  # the hidden order field of a new row is empty
        data["sections-TOTAL_FORMS"] = str(total + 1)

    _resave(admin_client, article, change)
    last = list(article.sections.all())[-1]
    assert last.body == "A new last section." and last.order == count
