"""Editorial workflow and revision history, through the admin's own forms."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conditions import services
from conditions.models import Condition, Revision
from healthlib.lib.roles import EDITORS, REVIEWERS
from tests import factories
from tests.admin_forms import add_rows, browser_form_data, form_data

pytestmark = pytest.mark.django_db


def change_url(condition):
    return reverse("admin:conditions_condition_change", args=[condition.pk])


def workflow_url(condition, action):
    return reverse("admin:conditions_condition_workflow", args=[condition.pk, action])


def workflow_post(client, condition, action, **fields):
    """Open the workflow page as a reviewer would, fill in ``fields`` and
    send it: the page names the revision the reviewer read."""
    data = browser_form_data(client.get(workflow_url(condition, action)))
    data.update(fields)
    return client.post(workflow_url(condition, action), data)


def add_revisions(article, count, comment, start, step):
    """``count`` revisions of the article as it is, "<comment> 0"… at
    ``start``, ``start + step``…, made directly. Returns their snapshot."""
    snapshot = services.snapshots.take(article)
    Revision.objects.bulk_create(
        Revision(
            condition=article,
            snapshot=snapshot,
            comment=f"{comment} {i}",
            created_at=start + step * i,
        )
        for i in range(count)
    )
    return snapshot


def edit_in_admin(client, condition, **changes):
    data = form_data(client.get(change_url(condition)))
    data.update(changes)
    return client.post(change_url(condition), data)


def test_roles_exist_after_migrate():
    editors = Group.objects.get(name=EDITORS)
    reviewers = Group.objects.get(name=REVIEWERS)
    assert Group.objects.filter(name="Newsletter editors").exists()
    assert not editors.permissions.filter(codename="publish_condition").exists()
    assert reviewers.permissions.filter(codename="publish_condition").exists()
    assert editors.permissions.filter(codename="change_condition").exists()


def test_editor_cannot_publish(editor_client):
    article = factories.article("Gout", publish=False)
    assert editor_client.get(workflow_url(article, "publish")).status_code == 403
    response = editor_client.post(
        workflow_url(article, "publish"), {"update_note": "x", "reviewer_name": "Me"}
    )
    assert response.status_code == 403
    assert not Condition.objects.live().exists()
    page = editor_client.get(change_url(article)).content.decode()
    assert "Submit for review" in page and "/workflow/publish/" not in page


def test_editor_submits_and_reviewer_publishes(editor_client, reviewer_client, client):
    article = factories.article("Gout", publish=False)
    response = editor_client.post(workflow_url(article, "submit"), {"comment": "Ready"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Condition.Status.IN_REVIEW

    response = workflow_post(
        reviewer_client,
        article,
        "publish",
        update_note="New treatment guidance.",
        reviewer_name="Ana Lopez",
        reviewer_credentials="MD",
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Condition.Status.PUBLISHED
    assert article.last_reviewed == timezone.localdate()
    assert article.next_review_due == timezone.localdate() + datetime.timedelta(days=1095)
    html = client.get("/conditions/gout/").content.decode()
    assert "by Ana Lopez, MD" in html
    assert "Revision information" in html and "New treatment guidance." in html


def test_published_edit_is_invisible_until_published(editor_client, reviewer_client, client):
    article = factories.article("Gout")
    response = edit_in_admin(editor_client, article, summary="Unreviewed new summary.")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Condition.Status.DRAFT and article.live_revision_id
    assert "Unreviewed new summary." not in client.get("/conditions/gout/").content.decode()
    assert "Unreviewed new summary." not in client.get("/conditions/?letter=g").content.decode()
    preview = editor_client.get(reverse("conditions:preview", args=[article.pk]))
    assert "Unreviewed new summary." in preview.content.decode()

    response = workflow_post(
        reviewer_client, article, "publish", update_note="Summary clarified.", reviewer_name="Ana"
    )
    assert response.status_code == 302
    assert "Unreviewed new summary." in client.get("/conditions/gout/").content.decode()


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


def test_restore_brings_back_sections_drugs_and_references_exactly(editor_client):
    article = factories.article("Gout", publish=False, sections=3, groups=2, references=2)
    original = services.snapshots.take(article)
    first = article.latest_revision
    data = form_data(editor_client.get(change_url(article)))
    # Delete a section, a drug group and a reference, add a section.
    data["sections-1-DELETE"] = "on"
    data["drug_groups-0-DELETE"] = "on"
    data["references-0-DELETE"] = "on"
    add_rows(data, "sections", [{"kind": "outlook", "heading": "", "order": 9, "body": "New."}])
    assert editor_client.post(change_url(article), data).status_code == 302
    assert services.snapshots.take(article)["sections"] != original["sections"]

    url = reverse("admin:conditions_condition_restore", args=[article.pk, first.pk])
    assert "Restore as a new draft" in editor_client.get(url).content.decode()
    assert editor_client.post(url).status_code == 302
    restored = services.snapshots.take(Condition.objects.get(pk=article.pk))
    for key in ("sections", "drug_groups", "references", "organizations", "tags", "title"):
        assert restored[key] == original[key], key
    # History is never rewritten: the restore is one more revision.
    assert article.revisions.count() == 3


def test_history_page_lists_revisions_and_has_query_budget(
    editor_client, django_assert_max_num_queries
):
    article = factories.article("Gout", publish=False, sections=20)
    add_revisions(article, 200, "Edit", timezone.now(), datetime.timedelta(seconds=1))
    url = reverse("admin:conditions_condition_history", args=[article.pk])
    with django_assert_max_num_queries(12):
        response = editor_client.get(url)
    html = response.content.decode()
    assert "Edit 199" in html and "Edit 150" in html and "Edit 149" not in html
    assert "201 revisions" in html
    with django_assert_max_num_queries(12):
        assert "Edit 0<" in editor_client.get(url + "?page=4").content.decode()
    assert ">Created<" in editor_client.get(url + "?page=5").content.decode()


def test_compare_highlights_words_and_lists(editor_client, django_assert_max_num_queries):
    article = factories.article(
        "Gout", publish=False, sections=40, groups=6, drugs_per_group=10, references=30
    )
    old = article.latest_revision
    data = services.snapshots.take(article)
    data["sections"][0]["body"] = data["sections"][0]["body"].replace(
        "Muscle twitching", "Sudden muscle twitching"
    )
    data["drug_groups"][0]["drugs"].pop(0)
    data["references"].append(
        {"order": 99, "authors": "New A", "title": "Fresh study", "journal": "J", "year": 2024}
    )
    services.update_article(condition=article, data=data)
    new = Condition.objects.get(pk=article.pk).latest_revision
    url = reverse("admin:conditions_condition_compare", args=[article.pk])
    with django_assert_max_num_queries(10):
        response = editor_client.get(url, {"a": old.pk, "b": new.pk})
    html = response.content.decode()
    assert "<del>Muscle</del><ins>Sudden muscle</ins> twitching" in html
    groups = html.split("<h2>Drug groups</h2>")[1].split("<h2>")[0]
    # The group changed because one drug left it; the others did not move.
    assert "Group 1 <small>(changed)</small>" in groups
    assert "Drug 0-0 <small>(removed)</small>" in groups and "moved from" not in groups
    references = html.split("<h2>References</h2>")[1].split("<h2>")[0]
    assert "New A. Fresh study <small>(added)</small>" in references


def test_scheduled_publishing(reviewer_client, client):
    article = factories.article("Gout", publish=False)
    go_live = timezone.localtime(timezone.now() + datetime.timedelta(hours=1))
    response = workflow_post(
        reviewer_client,
        article,
        "publish",
        update_note="Scheduled.",
        reviewer_name="Ana",
        go_live_at=go_live.strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 302
    assert client.get("/conditions/gout/").status_code == 404
    # An edit after the approval does not go live with it.
    data = services.snapshots.take(article)
    data["summary"] = "Edited after approval."
    services.update_article(condition=article, data=data)

    call_command("publish_scheduled")
    assert client.get("/conditions/gout/").status_code == 404
    services.publish_scheduled(now=timezone.now() + datetime.timedelta(hours=2))
    html = client.get("/conditions/gout/").content.decode()
    assert "Scheduled." in html and "Edited after approval." not in html
    # Running again publishes nothing more.
    assert (
        services.publish_scheduled(now=timezone.now() + datetime.timedelta(hours=3)).published == []
    )


def test_archive_answers_410_or_redirects(reviewer_client, client):
    old = factories.article("Old name")
    new = factories.article("New name")
    reviewer_client.post(workflow_url(old, "archive"), {"replaced_by": new.pk})
    response = client.get("/conditions/old-name/")
    assert response.status_code == 301 and response["Location"] == "/conditions/new-name/"
    lone = factories.article("Withdrawn")
    reviewer_client.post(workflow_url(lone, "archive"), {})
    assert client.get("/conditions/withdrawn/").status_code == 410


def test_review_due_page_and_report(editor_client, capsys):
    overdue = factories.article("Overdue one")
    soon = factories.article("Soon one")
    later = factories.article("Later one")
    today = timezone.localdate()
    Condition.objects.filter(pk=overdue.pk).update(
        next_review_due=today - datetime.timedelta(days=3)
    )
    Condition.objects.filter(pk=soon.pk).update(next_review_due=today + datetime.timedelta(days=10))
    html = editor_client.get(reverse("admin:conditions_condition_review_due")).content.decode()
    assert "Overdue one" in html and "Soon one" in html and "Later one" not in html
    call_command("review_report")
    out = capsys.readouterr().out
    assert "Overdue for review (1)" in out and "Overdue one" in out
    assert "Due within 30 days (1)" in out and "Soon one" in out and later.title not in out


def test_record_review_updates_live_dates(reviewer_client, client):
    article = factories.article("Gout")
    Condition.objects.filter(source=article).update(last_reviewed=datetime.date(2020, 1, 1))
    response = workflow_post(reviewer_client, article, "review", note="Checked, still current.")
    assert response.status_code == 302
    html = client.get("/conditions/gout/").content.decode()
    assert timezone.localdate().strftime("%B") in html and "Checked, still current." in html


def test_purge_revisions_keeps_live_scheduled_and_newest(capsys):
    article = factories.article("Gout")
    live_id = Condition.objects.get(pk=article.pk).live_revision_id
    old = timezone.now() - datetime.timedelta(days=400)
    Revision.objects.filter(condition=article).update(created_at=old)
    snapshot = add_revisions(article, 20, "old", old, datetime.timedelta(minutes=1))
    scheduled = Revision.objects.create(
        condition=article, snapshot=snapshot, created_at=old, approved_go_live_at=timezone.now()
    )
    call_command("purge_revisions", "--keep", "3", "--older-than", "30")
    remaining = set(Revision.objects.filter(condition=article).values_list("pk", flat=True))
    assert live_id in remaining and scheduled.pk in remaining
    assert len(remaining) <= 3 + 2
    assert "Deleted" in capsys.readouterr().out
    with pytest.raises(Exception, match="--keep must be at least 1"):
        call_command("purge_revisions", "--keep", "0", "--older-than", "30")


def test_renamed_address_redirects_once_published(client):
    article = factories.article("Shaking palsy")
    client.get("/conditions/shaking-palsy/")  # cached under the old address
    data = services.snapshots.take(article)
    data["slug"] = "parkinsons-disease"
    services.update_article(condition=article, data=data)
    assert client.get("/conditions/shaking-palsy/").status_code == 200  # not yet published
    services.publish(condition=article)
    response = client.get("/conditions/shaking-palsy/")
    assert response.status_code == 301
    assert response["Location"] == "/conditions/parkinsons-disease/"
    # A new article may take the old address back.
    factories.article("Shaking palsy")
    assert client.get("/conditions/shaking-palsy/").status_code == 200
