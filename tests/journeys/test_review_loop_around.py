"""Around the review loop: what editorial teams expect besides the steps.

Requested changes stay in front of the author (the dashboard's "Changes
requested" list, the reviewer's latest comment at the top of the change
page) until the article is resubmitted; the messages after a step say
whether anyone was actually emailed, and the dashboard says when no
reviewer can be; a reviewer's byline is kept on their account and
prefilled; the demo accounts can receive the loop's emails.
"""

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from conditions.models import Byline, Condition
from healthlib.lib.roles import EDITORS, REVIEWERS
from tests import factories
from tests.admin_forms import browser_form_data, form_data
from tests.factories import SMALL

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer", REVIEWERS, first_name="Rita", last_name="Reyes")


def _url(condition, action):
    return reverse("admin:conditions_condition_workflow", args=[condition.pk, action])


def _change(condition):
    return reverse("admin:conditions_condition_change", args=[condition.pk])


def _messages(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _submit(client, condition, comment="Ready"):
    response = client.post(_url(condition, "submit"), {"comment": comment})
    assert response.status_code == 302
    return response


def _request_changes(client, condition, comment):
    data = browser_form_data(client.get(_url(condition, "request_changes")))
    data["comment"] = comment
    response = client.post(_url(condition, "request_changes"), data)
    assert response.status_code == 302
    return response


def _publish(client, condition, **fields):
    data = browser_form_data(client.get(_url(condition, "publish")))
    data.update({"update_note": "Reviewed.", **fields})
    response = client.post(_url(condition, "publish"), data)
    assert response.status_code == 302, response.context["form"].errors
    return response


def _panel(response, panel_id):
    html = response.content.decode()
    if f'id="{panel_id}"' not in html:
        return None
    start = html.index(f'id="{panel_id}"')
    return html[start : html.index("</section>", start)]


def _note(response):
    """The "changes requested" note at the top of the change page, or None."""
    html = response.content.decode()
    if 'id="changes-requested"' not in html:
        return None
    start = html.index('id="changes-requested"')
    return html[start : html.index("</div>", start)]


# Changes requested ---------------------------------------------------------


def test_the_dashboard_lists_articles_sent_back_until_they_are_resubmitted(
    editor_client, reviewer_client
):
    gout = factories.article("Gout", publish=False, user=editor_client.user, **SMALL)
    other = factories.article("Asthma", publish=False, user=editor_client.user, **SMALL)
    _submit(editor_client, gout)
    _submit(editor_client, other)
    assert _panel(editor_client.get(reverse("admin:index")), "dashboard-changes-requested") is None

    _request_changes(reviewer_client, gout, "Please cite the 2023 guideline & its dose table.")
    listed = _panel(editor_client.get(reverse("admin:index")), "dashboard-changes-requested")
    assert 'Changes requested <span class="dashboard-count">(1)</span>' in listed
    assert _change(gout) in listed and "Asthma" not in listed
    assert "Rita Reyes" in listed
    # The reviewer's words, escaped, without the history's "Changes requested:" prefix.
    assert "Please cite the 2023 guideline &amp; its dose table." in listed
    assert "Changes requested: Please" not in listed
    # Reviewers see it too: they know what they are waiting for.
    assert "Gout" in _panel(
        reviewer_client.get(reverse("admin:index")), "dashboard-changes-requested"
    )

    # Editing keeps it listed; resubmitting takes it off.
    data = form_data(editor_client.get(_change(gout)))
    data["summary"] = "With the 2023 guideline."
    assert editor_client.post(_change(gout), data).status_code == 302
    assert "Gout" in _panel(
        editor_client.get(reverse("admin:index")), "dashboard-changes-requested"
    )
    _submit(editor_client, gout, "Cited")
    assert _panel(editor_client.get(reverse("admin:index")), "dashboard-changes-requested") is None


def test_the_change_page_shows_the_latest_comment_at_the_top_until_resubmitted(
    editor_client, reviewer_client
):
    gout = factories.article("Gout", publish=False, user=editor_client.user, **SMALL)
    assert _note(editor_client.get(_change(gout))) is None
    _submit(editor_client, gout)
    _request_changes(reviewer_client, gout, "First: shorten the summary.")
    note = _note(editor_client.get(_change(gout)))
    assert "Changes requested" in note and "Rita Reyes" in note
    assert "First: shorten the summary." in note
    # The note comes before the form's fields.
    html = editor_client.get(_change(gout)).content.decode()
    assert html.index('id="changes-requested"') < html.index('name="title"')

    _submit(editor_client, gout)
    _request_changes(reviewer_client, gout, "Second: add the 2023 guideline.\nAnd its dose.")
    note = _note(editor_client.get(_change(gout)))
    assert "Second: add the 2023 guideline.<br>And its dose." in note
    assert "First:" not in note  # only the latest

    # Saving an edit keeps it; resubmitting removes it, also for the reviewer.
    data = form_data(editor_client.get(_change(gout)))
    data["summary"] = "Shorter."
    editor_client.post(_change(gout), data)
    assert "Second:" in _note(editor_client.get(_change(gout)))
    _submit(editor_client, gout)
    assert _note(editor_client.get(_change(gout))) is None
    assert _note(reviewer_client.get(_change(gout))) is None
    # Published, it stays gone.
    _publish(reviewer_client, gout)
    assert Condition.objects.editable().get(pk=gout.pk).changes_requested_in is None
    assert _note(editor_client.get(_change(gout))) is None


# Who was emailed -----------------------------------------------------------


def test_submitting_says_the_reviewers_were_emailed_only_when_they_were(
    editor_client, reviewer_client, committed, settings
):
    settings.DEFAULT_FROM_EMAIL = "Health Library <review@health.example.org>"
    gout = factories.article("Gout", publish=False, **SMALL)
    with committed():
        response = _submit(editor_client, gout)
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]
    # From the configured sender.
    assert mail.outbox[0].from_email == "Health Library <review@health.example.org>"
    assert _messages(response) == [
        ("success", "Submitted for review. The medical reviewers have been emailed a link to it.")
    ]
    assert (
        "dashboard-no-reviewer-email"
        not in editor_client.get(reverse("admin:index")).content.decode()
    )


def test_without_a_reviewer_email_the_editor_and_the_dashboard_say_so(
    editor_client, committed, make_user, client_for
):
    make_user("quiet", REVIEWERS, email="")
    gout = factories.article("Gout", publish=False, **SMALL)
    with committed():
        response = _submit(editor_client, gout)
    assert mail.outbox == []
    [(level, text)] = _messages(response)
    assert level == "warning"
    assert "nobody was emailed" in text and "no medical reviewer has an email address" in text
    assert "have been emailed" not in text
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert 'id="dashboard-no-reviewer-email"' in html
    assert "No medical reviewer has an email address," in html

    # A reviewer who submits their own article is not emailed about it.
    own = client_for(make_user("solo", REVIEWERS))
    User.objects.filter(username="quiet").delete()
    with committed():
        response = _submit(own, factories.article("Asthma", publish=False, **SMALL))
    assert mail.outbox == []
    assert _messages(response)[0][0] == "warning"
    # …but the dashboard knows a reviewer can be emailed.
    assert (
        "dashboard-no-reviewer-email"
        not in editor_client.get(reverse("admin:index")).content.decode()
    )


def test_sending_back_says_whether_the_author_was_emailed(
    reviewer_client, committed, make_user, client_for
):
    with_email = client_for(make_user("writer", EDITORS))
    without = client_for(make_user("nomail", EDITORS, email=""))
    for client, title in ((with_email, "Gout"), (without, "Asthma")):
        article = factories.article(title, publish=False, user=client.user, **SMALL)
        _submit(client, article)
        mail.outbox.clear()
        with committed():
            response = _request_changes(reviewer_client, article, "Shorter, please.")
        [(level, text)] = _messages(response)
        if client is with_email:
            assert [m.to for m in mail.outbox] == [["writer@example.org"]]
            assert (level, text) == (
                "success",
                "Sent back to the author, who has been emailed your comment.",
            )
        else:
            assert mail.outbox == []
            assert level == "warning" and "nobody was emailed" in text


# The reviewer's byline -----------------------------------------------------


def test_the_byline_is_stored_once_on_the_account_and_prefilled(
    editor_client, reviewer_client, make_user, client_for
):
    first = factories.article("Gout", publish=False, **SMALL)
    form = browser_form_data(reviewer_client.get(_url(first, "publish")))
    # No byline yet: the account's name, no credentials.
    assert (form["reviewer_name"], form["reviewer_credentials"]) == ("Rita Reyes", "")
    _publish(reviewer_client, first, reviewer_name="Dr. Rita Reyes", reviewer_credentials="MD, MPH")
    assert Byline.objects.get(user=reviewer_client.user).credentials == "MD, MPH"

    second = factories.article("Asthma", publish=False, **SMALL)
    form = browser_form_data(reviewer_client.get(_url(second, "publish")))
    assert (form["reviewer_name"], form["reviewer_credentials"]) == ("Dr. Rita Reyes", "MD, MPH")
    _publish(reviewer_client, second)
    page = Client().get("/conditions/asthma/").content.decode()
    assert "Dr. Rita Reyes, MD, MPH" in page

    # Another reviewer gets their own, not the last one's.
    other = client_for(make_user("second", REVIEWERS))
    third = factories.article("Eczema", publish=False, **SMALL)
    form = browser_form_data(other.get(_url(third, "publish")))
    assert (form["reviewer_name"], form["reviewer_credentials"]) == ("Second", "")
    # Changing it on the form changes it on the account: one byline each.
    _publish(reviewer_client, third, reviewer_name="Rita Reyes", reviewer_credentials="MD")
    assert list(Byline.objects.values_list("name", "credentials")) == [("Rita Reyes", "MD")]


def test_the_article_form_loads_the_unsaved_changes_warning(editor_client):
    gout = factories.article("Gout", publish=False, **SMALL)
    for url in (_change(gout), reverse("admin:conditions_condition_add")):
        assert "conditions/unsaved_changes.js" in editor_client.get(url).content.decode()


# The demo ------------------------------------------------------------------


def test_demo_accounts_have_email_addresses_and_the_reviewer_a_byline(load_demo):
    load_demo(debug=True)
    emails = dict(User.objects.values_list("username", "email"))
    assert emails == {
        "editor": "editor@example.org",
        "reviewer": "reviewer@example.org",
        "newsletter": "newsletter@example.org",
    }
    reviewer = User.objects.get(username="reviewer")
    assert (reviewer.byline.name, reviewer.byline.credentials) == ("Demo Medical Reviewer", "MD")

    # The editor's next submission reaches the demo reviewer, whose Publish
    # form is prefilled with the byline.
    client = Client()
    client.force_login(reviewer)
    demo = Condition.objects.editable().get(slug="myoclonus")
    form = browser_form_data(client.get(_url(demo, "publish")))
    assert (form["reviewer_name"], form["reviewer_credentials"]) == ("Demo Medical Reviewer", "MD")
    editor = Client()
    editor.force_login(User.objects.get(username="editor"))
    assert "dashboard-no-reviewer-email" not in editor.get(reverse("admin:index")).content.decode()

    # Loading again keeps an address someone changed.
    User.objects.filter(username="editor").update(email="lead.editor@example.org")
    load_demo(debug=True)
    assert User.objects.get(username="editor").email == "lead.editor@example.org"


def test_an_article_sent_back_is_not_among_the_reviewers_drafts(editor_client, reviewer_client):
    gout = factories.article("Gout", publish=False, user=editor_client.user, **SMALL)
    _submit(editor_client, gout)
    _request_changes(reviewer_client, gout, "Shorter.")
    # The reviewer saved the last revision, but the draft is the author's.
    assert "Gout" not in _panel(reviewer_client.get(reverse("admin:index")), "dashboard-my-drafts")
    data = form_data(editor_client.get(_change(gout)))
    data["summary"] = "Short."
    editor_client.post(_change(gout), data)
    assert "Gout" in _panel(editor_client.get(reverse("admin:index")), "dashboard-my-drafts")
