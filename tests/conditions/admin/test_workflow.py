"""Editorial workflow and revision history, through the admin's own forms
(conditions.admin.workflow): submit, publish, archive, record a review,
restore, history, compare, the review-due list, and a revision's own page."""

import csv
import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conditions import services
from conditions.models import Condition
from tests import factories
from tests.admin_forms import (
    add_rows,
    change_url,
    edit_in_admin,
    form_data,
    workflow_post,
    workflow_url,
)
from tests.factories import add_revisions

pytestmark = pytest.mark.django_db


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


def test_publish_form_has_no_shell_commands(reviewer_client):
    article = factories.article("Gout", publish=False)
    url = reverse("admin:conditions_condition_workflow", args=[article.pk, "publish"])
    html = reviewer_client.get(url).content.decode()
    assert "Go live at" in html
    assert "publish_scheduled" not in html and "manage.py" not in html


def test_staff_open_the_revision_a_handout_names(client, urgent_article):
    staff = User.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(staff)
    url = reverse(
        "admin:conditions_condition_revision",
        args=[urgent_article.pk, urgent_article.live_revision_id],
    )
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Revision <strong>{urgent_article.live_revision_id}</strong>" in html
    assert "Readers see this revision now." in html
    assert html.index("When to get urgent help") < html.index("Definition")
    # Not for readers.
    client.logout()
    assert client.get(url).status_code == 302


def test_review_due_list_as_csv(editor_client):
    overdue = factories.article("=Overdue one")
    soon = factories.article("Soon one")
    today = timezone.localdate()
    Condition.objects.filter(pk=overdue.pk).update(
        next_review_due=today - datetime.timedelta(days=3)
    )
    Condition.objects.filter(pk=soon.pk).update(next_review_due=today + datetime.timedelta(days=10))
    response = editor_client.get(
        reverse("admin:conditions_condition_review_due"), {"format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(response.content.decode().splitlines()))
    assert rows[0][:5] == ["article", "language", "state", "next review due", "days overdue"]
    # A title a spreadsheet would run as a formula is kept as text.
    assert rows[1][:3] == ["'=Overdue one", "en", "overdue"] and rows[1][4] == "3"
    assert rows[2][:3] == ["Soon one", "en", "due within 30 days"] and rows[2][4] == "0"
