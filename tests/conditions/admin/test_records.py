"""Shared records in the admin (conditions.admin.records): drugs,
organizations and topics, whose changes a live page shows wait for a
medical reviewer."""

import pytest
from django.urls import reverse

from conditions import services
from conditions.models import Condition, Drug, Organization, PendingChange, Topic
from conditions.review import shared_records
from tests import factories
from tests.admin_forms import browser_form_data

pytestmark = pytest.mark.django_db


def test_drug_changes_by_an_editor_wait_for_a_reviewer(client, editor, reviewer):
    factories.article("Alpha condition")
    drug = Drug.objects.get(slug="drug-0-0")
    client.force_login(editor)
    data = {
        "name": drug.name,
        "slug": drug.slug,
        "other_names": "",
        "rxnorm_code": "",
        "description": "",
        "usual_use": "",
        "side_effects": "Drowsiness",
        "label_url": "",
        "medlineplus_url": "https://medlineplus.gov/druginfo/meds/a682279.html",
    }
    response = client.post(reverse("admin:conditions_drug_change", args=[drug.pk]), data)
    assert response.status_code == 302
    client.logout()
    assert "Drowsiness" not in client.get("/drugs/drug-0-0/").content.decode()
    pending = PendingChange.objects.get()
    assert set(pending.changes) == {"side_effects", "medlineplus_url"}
    shared_records.approve(pending=pending, user=reviewer)
    html = client.get("/drugs/drug-0-0/").content.decode()
    assert "<li>Drowsiness</li>" in html
    assert "a682279" in html


def _drug_change_url(drug):
    return reverse("admin:conditions_drug_change", args=[drug.pk])


def test_an_editor_renaming_a_live_drug_waits_for_approval(
    editor_client, reviewer_client, client, editor
):
    factories.article("Gout", groups=1, drugs_per_group=2)
    drug = Drug.objects.get(name="Drug 0-0")
    data = browser_form_data(editor_client.get(_drug_change_url(drug)))
    data["name"] = "Renamed drug"
    response = editor_client.post(_drug_change_url(drug), data, follow=True)
    assert "waits for a medical reviewer" in response.content.decode()
    assert Drug.objects.get(pk=drug.pk).name == "Drug 0-0"
    page = client.get("/conditions/gout/").content.decode()
    assert "Drug 0-0" in page and "Renamed drug" not in page

    pending = PendingChange.objects.get()
    assert pending.changes == {"name": "Renamed drug"} and pending.proposed_by == editor
    # Editors cannot approve their own change.
    url = reverse("admin:conditions_pendingchange_change", args=[pending.pk])
    assert editor_client.post(url, {"decision": "approve"}).status_code == 403
    response = reviewer_client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    assert Drug.objects.get(pk=drug.pk).name == "Renamed drug"
    assert "Renamed drug" in client.get("/conditions/gout/").content.decode()
    assert not PendingChange.objects.exists()


def test_organization_url_and_topic_name_changes_wait_for_approval(
    editor_client, reviewer_client, client
):
    factories.article("Gout", organizations=1, tags=("Joints",))
    org = Organization.objects.get()
    url = reverse("admin:conditions_organization_change", args=[org.pk])
    data = browser_form_data(editor_client.get(url))
    data["url"] = "https://evil.example/"
    editor_client.post(url, data)
    assert Organization.objects.get().url == "https://example.org/"
    assert "evil.example" not in client.get("/conditions/gout/").content.decode()

    from taggit.models import Tag

    tag = Tag.objects.get(name="Joints")
    url = reverse("admin:conditions_topic_change", args=[tag.pk])
    data = browser_form_data(editor_client.get(url))
    data["name"] = "Bones"
    editor_client.post(url, data)
    assert Tag.objects.get(pk=tag.pk).name == "Joints"
    assert PendingChange.objects.count() == 2

    changelist = reverse("admin:conditions_pendingchange_changelist")
    response = reviewer_client.post(
        changelist,
        {"action": "reject", "_selected_action": [p.pk for p in PendingChange.objects.all()]},
    )
    assert response.status_code == 302
    assert not PendingChange.objects.exists()
    assert Organization.objects.get().url == "https://example.org/"


def test_editors_still_create_drugs_and_rename_ones_no_live_page_shows(editor_client):
    # Their names are read in the drafts that list them, which are reviewed.
    # (What only the drug's page shows always waits: tests/conditions/review/
    # test_shared_records.py.)
    response = editor_client.post(
        reverse("admin:conditions_drug_add"), {"name": "Newdrugamab", "slug": "newdrugamab"}
    )
    assert response.status_code == 302
    drug = Drug.objects.get(name="Newdrugamab")
    data = browser_form_data(editor_client.get(_drug_change_url(drug)))
    data["name"] = "Newdrugumab"
    data["names"] = '{"es": "Nuevofármaco"}'
    editor_client.post(_drug_change_url(drug), data)
    drug.refresh_from_db()
    assert (drug.name, drug.names) == ("Newdrugumab", {"es": "Nuevofármaco"})
    assert not PendingChange.objects.exists()


def test_a_reviewer_changes_a_shared_record_at_once(reviewer_client, client):
    factories.article("Gout", groups=1, drugs_per_group=1)
    drug = Drug.objects.get()
    data = browser_form_data(reviewer_client.get(_drug_change_url(drug)))
    data["name"] = "Colchicine"
    reviewer_client.post(_drug_change_url(drug), data)
    assert "Colchicine" in client.get("/conditions/gout/").content.decode()
    assert not shared_records.pending_for(drug)


def test_topics_are_in_the_library_and_a_pending_rename_names_them_topics(
    editor_client, reviewer_client
):
    factories.article("Gout", tags=("Joints",))
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:conditions_topic_changelist") in index and "/admin/taggit/" not in index
    topic = Topic.objects.get(name="Joints")
    url = reverse("admin:conditions_topic_change", args=[topic.pk])
    data = browser_form_data(editor_client.get(url))
    data["name"] = "Bones"
    response = editor_client.post(url, data)
    assert response.url == reverse("admin:conditions_topic_changelist")
    pending = PendingChange.objects.get()
    assert str(pending) == "Topic “Joints”"
    page = reviewer_client.get(reverse("admin:conditions_pendingchange_change", args=[pending.pk]))
    assert f'<a href="{url}">Joints</a>' in page.content.decode()


def test_a_reviewer_merges_topics_and_readers_see_one(reviewer_client, editor_client, client):
    factories.article("Gout", tags=("Joints", "Pain"))
    factories.article("Bursitis", tags=("Joint problems", "Pain"))
    # Cached before the merge: the merge refreshes them.
    assert "Gout" in client.get("/topics/joints/").content.decode()
    assert "Bursitis" in client.get("/topics/joint-problems/").content.decode()
    ids = list(
        Topic.objects.filter(name__in=["Joints", "Joint problems"]).values_list("pk", flat=True)
    )
    merge = reverse("admin:conditions_topic_merge")
    chosen = {"_selected_action": ids}

    # Editors rename topics through a reviewer; they do not merge them.
    changelist = reverse("admin:conditions_topic_changelist")
    assert "merge_topics" not in editor_client.get(changelist).content.decode()
    assert editor_client.post(merge, {**chosen, "into": "Joints"}).status_code == 403

    page = reviewer_client.post(changelist, {**chosen, "action": "merge_topics", "index": 0})
    assert page.status_code == 200
    assert "Merge into the topic" in page.content.decode()
    # A name is needed: nothing changes without one.
    page = reviewer_client.post(merge, {**chosen, "into": ""})
    assert page.status_code == 200 and Topic.objects.filter(pk__in=ids).count() == 2

    response = reviewer_client.post(merge, {**chosen, "into": "Joint problems"})
    assert response.status_code == 302
    kept = Topic.objects.get(name="Joint problems")
    assert set(Topic.objects.values_list("name", flat=True)) == {"Joint problems", "Pain"}
    page = client.get("/topics/joint-problems/").content.decode()
    assert "Gout" in page and "Bursitis" in page
    assert client.get("/topics/joints/").status_code == 404
    gout = Condition.objects.live().get(slug="gout")
    assert set(gout.tags.names()) == {"Joint problems", "Pain"} and kept.pk in ids


def test_a_live_topics_names_in_other_languages_wait_for_approval_too(
    editor_client, reviewer_client, client
):
    from taggit.models import Tag

    from conditions.models import TopicName

    gout = factories.article("Gout", tags=("Joints",))
    services.publish(condition=services.create_translation(source=gout, language="es"))
    tag = Tag.objects.get(name="Joints")
    TopicName.objects.create(tag=tag, language="es", name="Articulaciones")
    url = reverse("admin:conditions_topic_change", args=[tag.pk])
    data = browser_form_data(editor_client.get(url))
    (field,) = [k for k, v in data.items() if v == "Articulaciones"]
    data[field] = "Huesos"
    response = editor_client.post(url, data, follow=True)
    assert "waits for a medical reviewer" in response.content.decode()
    assert TopicName.objects.get(tag=tag).name == "Articulaciones"
    page = client.get("/es/conditions/gout/").content.decode()
    assert "Articulaciones" in page and "Huesos" not in page

    pending = PendingChange.objects.get()
    assert pending.changes == {"names": {"es": "Huesos"}}
    listed = reviewer_client.get(reverse("admin:conditions_pendingchange_changelist"))
    assert "names: “es: Articulaciones” → “es: Huesos”" in listed.content.decode()
    url = reverse("admin:conditions_pendingchange_change", args=[pending.pk])
    reviewer_client.post(url, {"decision": "approve"})
    assert TopicName.objects.get(tag=tag).name == "Huesos"
    assert "Huesos" in client.get("/es/conditions/gout/").content.decode()


def test_a_reviewer_names_a_live_topic_at_once(reviewer_client, client):
    from taggit.models import Tag

    from conditions.models import TopicName

    gout = factories.article("Gout", tags=("Joints",))
    services.publish(condition=services.create_translation(source=gout, language="es"))
    tag = Tag.objects.get(name="Joints")
    url = reverse("admin:conditions_topic_change", args=[tag.pk])
    data = browser_form_data(reviewer_client.get(url))
    data.update({"names-0-language": "es", "names-0-name": "Articulaciones"})
    assert reviewer_client.post(url, data).status_code == 302
    assert TopicName.objects.get(tag=tag).name == "Articulaciones"
    assert not PendingChange.objects.exists()
    assert "Articulaciones" in client.get("/es/conditions/gout/").content.decode()
