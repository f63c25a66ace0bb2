"""The review loop in the admin (conditions.admin.workflow): a reviewer's
signature covers exactly what goes live.

Publishing what was read, requesting changes, the emails between editors
and reviewers, the publish gate, the warnings to acknowledge, and compare
for a first review."""

import pytest
from django.core import mail
from django.urls import reverse

from conditions import services
from conditions.models import Condition
from healthlib.lib.roles import REVIEWERS
from tests import factories
from tests.admin_forms import browser_form_data, form_data

pytestmark = pytest.mark.django_db


def _url(condition, action):
    return reverse("admin:conditions_condition_workflow", args=[condition.pk, action])


def _change(condition):
    return reverse("admin:conditions_condition_change", args=[condition.pk])


def _edit(client, condition, **changes):
    data = form_data(client.get(_change(condition)))
    data.update(changes)
    response = client.post(_change(condition), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return response


def _open(client, condition, action):
    page = client.get(_url(condition, action))
    assert page.status_code == 200
    return browser_form_data(page)


def _publish_data(client, condition, **fields):
    data = _open(client, condition, "publish")
    data.update({"update_note": "Reviewed.", "reviewer_name": "Ana Lopez", **fields})
    return data


def test_publish_refused_when_the_article_changed_after_the_reviewer_opened_it(
    editor_client, reviewer_client, client
):
    article = factories.article("Gout", publish=False)
    article.sections.filter(order=0).update(body="Take 5 mg.")
    _edit(editor_client, article, **{"sections-0-body": "Take 5 mg."})
    data = _publish_data(reviewer_client, article)  # the reviewer reads "Take 5 mg."
    article.refresh_from_db()
    _edit(editor_client, article, **{"sections-0-body": "Take 500 mg."})

    response = reviewer_client.post(_url(article, "publish"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed after you opened this page" in html
    reviewed, current = data["revision"], Condition.objects.get(pk=article.pk).latest_revision_id
    assert f"?a={reviewed}&amp;b={current}" in html
    assert not Condition.objects.live().exists()
    assert client.get("/conditions/gout/").status_code == 404

    # Reloaded, the page names the new revision, and that one can go live.
    response = reviewer_client.post(
        _url(article, "publish"), _publish_data(reviewer_client, article)
    )
    assert response.status_code == 302
    assert "Take 500 mg." in client.get("/conditions/gout/").content.decode()


def test_record_review_refused_when_a_newer_version_went_live_meanwhile(reviewer_client):
    article = factories.article("Gout")
    data = _open(reviewer_client, article, "review")
    data["note"] = "Still current."
    services.update_article(
        condition=article, data={**services.snapshots.take(article), "summary": "New."}
    )
    services.publish(condition=article)
    response = reviewer_client.post(_url(article, "review"), data)
    assert response.status_code == 200 and "changed after you opened this page" in (
        response.content.decode()
    )
    assert Condition.objects.live().get().update_notes[0]["note"] != "Still current."


def test_publish_page_shows_what_goes_live(reviewer_client):
    article = factories.article("Gout")
    article.sections.update()
    services.update_article(
        condition=article,
        data={
            **services.snapshots.take(article),
            "summary": "A **new** summary.",
        },
    )
    html = reviewer_client.get(_url(article, "publish")).content.decode()
    assert "What changes for readers" in html and "<ins>" in html


def test_submit_emails_reviewers_with_a_compare_link(
    editor_client, reviewer_client, committed, make_user
):
    make_user("quiet", REVIEWERS, email="")  # no address, nothing to send
    article = factories.article("Gout", publish=False)
    mail.outbox.clear()
    with committed():
        response = editor_client.post(_url(article, "submit"), {"comment": "Ready for you"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reviewer@example.org"]
    assert "Gout" in message.subject and "Ready for you" in message.body
    compare = reverse("admin:conditions_condition_compare", args=[article.pk])
    assert f"http://localhost:8000{compare}" in message.body


def test_request_changes_sends_the_article_back_and_emails_its_author(
    editor_client, reviewer_client, committed
):
    article = factories.article("Gout", publish=False)
    editor_client.post(_url(article, "submit"), {"comment": "Ready"})
    mail.outbox.clear()
    data = _open(reviewer_client, article, "request_changes")
    data["comment"] = "Please cite the 2023 guideline."
    with committed():
        response = reviewer_client.post(_url(article, "request_changes"), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Condition.Status.DRAFT
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
    assert "Please cite the 2023 guideline." in mail.outbox[0].body
    history = editor_client.get(reverse("admin:conditions_condition_history", args=[article.pk]))
    html = history.content.decode()
    assert "Changes requested: Please cite the 2023 guideline." in html
    assert "In review → Draft" in html

    # The editor fixes and resubmits; the reviewer publishes; the author hears.
    _edit(editor_client, article, summary="With the 2023 guideline.")
    editor_client.post(_url(article, "submit"), {"comment": "Fixed"})
    mail.outbox.clear()
    data = _publish_data(reviewer_client, article)
    with committed():
        response = reviewer_client.post(_url(article, "publish"), data)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
    assert "Published" in mail.outbox[0].subject and "/conditions/gout/" in mail.outbox[0].body


def test_request_changes_needs_a_comment_and_a_reviewer(editor_client, reviewer_client):
    article = factories.article("Gout", publish=False)
    editor_client.post(_url(article, "submit"), {})
    assert editor_client.get(_url(article, "request_changes")).status_code == 403
    data = _open(reviewer_client, article, "request_changes")
    response = reviewer_client.post(_url(article, "request_changes"), data)
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert Condition.objects.get(pk=article.pk).status == Condition.Status.IN_REVIEW


def test_no_email_when_a_step_is_refused(editor_client, reviewer_client, committed):
    article = factories.article("Gout", publish=False)
    data = _publish_data(reviewer_client, article)
    _edit(editor_client, article, summary="Changed meanwhile.")
    mail.outbox.clear()
    with committed():
        response = reviewer_client.post(_url(article, "publish"), data)
    assert response.status_code == 200 and mail.outbox == []
    data = _publish_data(reviewer_client, article)
    with committed():
        response = reviewer_client.post(_url(article, "publish"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert len(mail.outbox) == 1  # the same step, once it succeeds, does email


def test_a_link_to_a_missing_article_blocks_publishing(editor_client, reviewer_client, client):
    article = factories.article("Gout", publish=False)
    _edit(
        editor_client, article, **{"sections-0-body": "See [kidney stones](article:kidney-stones)."}
    )
    page = reviewer_client.get(_url(article, "publish")).content.decode()
    assert "Publishing is blocked" in page and "kidney-stones" in page
    response = reviewer_client.post(
        _url(article, "publish"), _publish_data(reviewer_client, article)
    )
    assert response.status_code == 200
    assert "no article has that address" in response.content.decode()
    assert client.get("/conditions/gout/").status_code == 404

    # A draft at that address still blocks: readers would reach a 404.
    stones = factories.article("Kidney stones", publish=False)
    response = reviewer_client.post(
        _url(article, "publish"), _publish_data(reviewer_client, article)
    )
    assert "is not published" in response.content.decode()
    services.publish(condition=stones)
    # The stored checks (the dashboard's) follow the linked article going live.
    assert Condition.objects.get(pk=article.pk).check_problems == []
    response = reviewer_client.post(
        _url(article, "publish"), _publish_data(reviewer_client, article)
    )
    assert response.status_code == 302
    assert 'href="/conditions/kidney-stones/"' in client.get("/conditions/gout/").content.decode()
    services.unpublish(condition=stones)
    [problem] = Condition.objects.get(pk=article.pk).check_problems
    assert problem["code"] == "unpublished_link" and problem["blocking"]


def test_warnings_must_each_be_acknowledged_and_are_recorded(editor_client, reviewer_client):
    article = factories.article("Gout", publish=False, figures=1)  # alt text "Figure 0"
    _edit(editor_client, article, **{"sections-1-body": "Possible causes include:"})
    data = _publish_data(reviewer_client, article)
    keys = list(data.get("acknowledge", []))
    assert keys == []  # nothing ticked when the page opens
    page = reviewer_client.get(_url(article, "publish")).content.decode()
    assert "Possible causes include:" in page and "does not describe the image" in page

    response = reviewer_client.post(_url(article, "publish"), data)
    assert response.status_code == 200
    assert "Tick each warning" in response.content.decode()
    assert not Condition.objects.live().exists()

    form = response.context["form"]
    choices = [key for key, _ in form.fields["acknowledge"].choices]
    assert len(choices) == 2
    response = reviewer_client.post(_url(article, "publish"), {**data, "acknowledge": choices[:1]})
    assert response.status_code == 200 and not Condition.objects.live().exists()

    response = reviewer_client.post(_url(article, "publish"), {**data, "acknowledge": choices})
    assert response.status_code == 302
    published = Condition.objects.get(pk=article.pk).live_revision
    assert sorted(w["key"] for w in published.acknowledged_warnings) == sorted(choices)
    assert any("Possible causes include:" in w["message"] for w in published.acknowledged_warnings)


def test_first_review_compares_against_nothing_as_readers_read_it(editor_client):
    article = factories.article("Gout", publish=False)
    _edit(editor_client, article, **{"sections-0-body": "Read **this** and [that](article:gout)."})
    editor_client.post(_url(article, "submit"), {})
    url = reverse("admin:conditions_condition_compare", args=[article.pk])
    html = editor_client.get(url).content.decode()
    assert "compared with nothing" in html
    sections = html.split("<h2>Sections</h2>")[1].split("<h2>")[0]
    assert sections.count("(added)") == article.sections.count()
    # Everything else is new too, and shown: drugs, references, organizations.
    assert "Drug 0-0 <small>(added)" in html and "(added)" in html.split("<h2>References</h2>")[1]
    assert "Read this and that." in html
    assert "**" not in html and "](article:" not in html


@pytest.mark.parametrize("query", ["?a=²&b=1", "?b=³", "?a=1&b=" + "9" * 40, "?a=x&b=1"])
def test_compare_with_a_malformed_revision_answers_404(editor_client, query):
    article = factories.article("Gout", publish=False)
    url = reverse("admin:conditions_condition_compare", args=[article.pk])
    assert editor_client.get(url + query).status_code == 404
