"""Translations: an article in another language with its own medical
sign-off, that knows which English revision it was made from and says so,
to editors and to readers, when the English article changes after it."""

import pytest
from django.urls import reverse

from conditions import services
from conditions.models import Condition
from conditions.publishing import snapshots
from tests import factories

pytestmark = pytest.mark.django_db


def _translate(source, *, title="Gota", slug="gota", publish=True, reviewer=None):
    """The Spanish translation of ``source``, rewritten by a translator and,
    unless ``publish=False``, signed off by a reviewer."""
    translation = services.create_translation(source=source, language="es")
    data = snapshots.take(translation)
    data.update(title=title, slug=slug, summary="Un resumen en español.")
    for section in data["sections"]:
        section["body"] = "Texto traducido al español.\n\n- Un punto\n- Otro punto\n"
    data["drug_groups"][0]["heading"] = "Grupo uno"
    translation = services.update_article(condition=translation, data=data, comment="Traducido")
    if publish:
        services.publish(
            condition=translation,
            user=reviewer,
            reviewer_name="Dra. Ana Ruiz",
            reviewer_credentials="MD",
            update_note="Primera versión en español",
            acknowledged=[p["key"] for p in _warnings(translation)] if reviewer else (),
        )
        translation.refresh_from_db()
    return translation


def _warnings(condition):
    from conditions.review import content_checks as checks

    return checks.warnings(
        checks.problems(condition.latest_revision.snapshot, language=condition.language)
    )


def _republish_english(source):
    data = snapshots.take(source)
    data["summary"] = "A new summary in English."
    data["sections"][0]["body"] += "\n\nA new paragraph in English."
    services.update_article(condition=source, data=data)
    services.publish(condition=source, update_note="Summary rewritten")
    source.refresh_from_db()


def test_a_translation_starts_from_the_published_english_text_and_records_it():
    source = factories.article("Gout", codes=[("icd10cm", "M10.9")])
    translation = services.create_translation(source=source, language="es")
    assert translation.language == "es" and translation.translation_of == source
    assert translation.translated_from_id == source.live_revision_id
    assert translation.status == Condition.Status.DRAFT
    # Its own text to rewrite (a copy), the same shared drugs; the codes stay English.
    assert translation.sections.count() == source.sections.count()
    assert set(translation.drug_groups.values_list("items__drug", flat=True)) == set(
        source.drug_groups.values_list("items__drug", flat=True)
    )
    assert not translation.codes.exists()
    # Its review is its own, not the English reviewer's.
    assert translation.last_reviewed is None and translation.reviewer_name == ""
    # The same slug is free in another language.
    assert translation.slug == "gout"


def test_only_one_translation_per_language_and_only_of_english_articles():
    source = factories.article("Gout")
    translation = services.create_translation(source=source, language="es")
    with pytest.raises(services.WorkflowError, match="already has"):
        services.create_translation(source=source, language="es")
    with pytest.raises(services.WorkflowError, match="Only an English article"):
        services.create_translation(source=translation, language="es")
    with pytest.raises(services.WorkflowError, match="not translated into"):
        services.create_translation(source=source, language="fr")


def test_the_reviewer_who_publishes_a_translation_signs_it_off(client, reviewer):
    source = factories.article("Gout")
    translation = _translate(source, reviewer=reviewer)
    assert translation.reviewer_name == "Dra. Ana Ruiz"
    assert translation.last_reviewed is not None
    source.refresh_from_db()
    assert source.reviewer_name != "Dra. Ana Ruiz"

    page = client.get("/es/conditions/gota/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="es"' in html
    assert "Texto traducido al español." in html and "Grupo uno" in html
    assert "Dra. Ana Ruiz" in html
    assert "source-updated" not in html
    # Both pages offer the other language, with hreflang alternates.
    assert 'hreflang="en"' in html and "/conditions/gout/" in html
    english = client.get("/conditions/gout/").content.decode()
    assert 'hreflang="es"' in english and "/es/conditions/gota/" in english


def test_republishing_the_english_article_marks_the_translation_and_tells_readers(client):
    source = factories.article("Gout")
    translation = _translate(source)
    assert "source-updated" not in client.get("/es/conditions/gota/").content.decode()

    _republish_english(source)
    translation.refresh_from_db()
    assert translation.source_updated_at is not None
    assert Condition.objects.source_updated().filter(pk=translation.pk).exists()
    html = client.get("/es/conditions/gota/").content.decode()
    assert 'class="source-updated"' in html
    assert 'href="/conditions/gout/"' in html

    # Saving the English working copy without publishing changes nothing more.
    before = translation.source_updated_at
    _republish_english(source)
    translation.refresh_from_db()
    assert translation.source_updated_at == before


def test_a_reviewer_records_that_the_english_change_does_not_affect_the_translation(
    client, reviewer, editor
):
    source = factories.article("Gout")
    translation = _translate(source)
    _republish_english(source)
    translation.refresh_from_db()

    with pytest.raises(services.PermissionDenied):
        services.record_source_change_unaffecting(translation=translation, user=editor)
    services.record_source_change_unaffecting(
        translation=translation, user=reviewer, comment="Only the English summary changed"
    )
    translation.refresh_from_db()
    source.refresh_from_db()
    assert translation.source_updated_at is None
    assert translation.translated_from_id == source.live_revision_id
    assert translation.revisions.first().comment.endswith("Only the English summary changed")
    # Nothing to publish: the translation's text did not change.
    assert translation.status == Condition.Status.PUBLISHED
    assert not translation.has_unpublished_changes
    assert 'class="source-updated"' not in client.get("/es/conditions/gota/").content.decode()


def test_publishing_an_updated_translation_clears_the_notice(client):
    source = factories.article("Gout")
    translation = _translate(source)
    _republish_english(source)
    data = snapshots.take(translation)
    data["summary"] = "Un resumen nuevo."
    services.update_article(condition=translation, data=data)
    services.publish(condition=translation, update_note="Actualizado")
    translation.refresh_from_db()
    source.refresh_from_db()
    assert translation.source_updated_at is None
    assert translation.translated_from_id == source.live_revision_id
    assert 'class="source-updated"' not in client.get("/es/conditions/gota/").content.decode()


def test_the_english_address_in_spanish_leads_to_the_translation(client):
    source = factories.article("Gout")
    _translate(source)
    response = client.get("/es/conditions/gout/")
    assert response.status_code == 301 and response["Location"] == "/es/conditions/gota/"


def test_each_language_lists_its_own_articles(client):
    source = factories.article("Gout")
    factories.article("Asthma")
    _translate(source)
    english = client.get("/conditions/?letter=g").content.decode()
    spanish = client.get("/es/conditions/?letter=g").content.decode()
    assert "Gout" in english and "Gota" not in english
    assert "Gota" in spanish and "Gout" not in spanish
    assert "Asthma" in client.get("/conditions/?letter=a").content.decode()
    assert "Asthma" not in client.get("/es/conditions/?letter=a").content.decode()
    # A draft translation is nowhere.
    other = factories.article("Migraine")
    _translate(other, title="Migraña", slug="migrana", publish=False)
    assert client.get("/es/conditions/migrana/").status_code == 404


def test_editors_start_a_translation_and_find_translations_that_need_updating(editor_client):
    source = factories.article("Gout")
    url = reverse("admin:conditions_condition_workflow", args=[source.pk, "translate"])
    page = editor_client.get(url)
    assert page.status_code == 200 and "Español" in page.content.decode()
    response = editor_client.post(url, {"language": "es"})
    translation = Condition.objects.editable("es").get(translation_of=source)
    assert response["Location"] == reverse(
        "admin:conditions_condition_change", args=[translation.pk]
    )
    change = editor_client.get(response["Location"]).content.decode()
    assert "Español translation" in change and "Gout" in change
    # No second translation into the same language is offered.
    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url, {"language": "es"}).status_code == 200
    assert Condition.objects.editable("es").filter(translation_of=source).count() == 1

    services.publish(condition=translation)
    _republish_english(source)
    changelist = reverse("admin:conditions_condition_changelist")
    listed = editor_client.get(changelist + "?language=source_updated").content.decode()
    assert "English article changed" in listed
    change = editor_client.get(response["Location"]).content.decode()
    assert "Source updated" in change and "See what changed in English" in change


def test_the_reviewers_page_for_an_unaffecting_change_shows_the_english_changes(reviewer_client):
    source = factories.article("Gout")
    translation = _translate(source)
    _republish_english(source)
    url = reverse(
        "admin:conditions_condition_workflow", args=[translation.pk, "source_unaffecting"]
    )
    page = reviewer_client.get(url).content.decode()
    assert "What changed in the English article" in page
    assert "A new paragraph in English." in page
    source.refresh_from_db()
    english_compare = reverse("admin:conditions_condition_compare", args=[source.pk])
    assert f'href="{english_compare}?a=' in page
    assert reviewer_client.post(url, {"comment": "Summary only"}).status_code == 302
    translation.refresh_from_db()
    assert translation.source_updated_at is None


def test_renaming_a_translation_keeps_its_old_spanish_address(client):
    source = factories.article("Gout")
    translation = _translate(source)
    data = snapshots.take(translation)
    data["slug"] = "gota-enfermedad"
    services.update_article(condition=translation, data=data)
    services.publish(condition=translation)
    assert client.get("/es/conditions/gota/")["Location"] == "/es/conditions/gota-enfermedad/"
    # The English article's address is untouched.
    assert client.get("/conditions/gout/").status_code == 200


def test_deleting_an_english_article_takes_its_translation_down_too(client):
    source = factories.article("Gout")
    _translate(source)
    assert client.get("/es/conditions/gota/").status_code == 200
    services.delete_article(condition=source)
    assert not Condition.objects.filter(language="es").exists()
    assert client.get("/es/conditions/gota/").status_code == 404
