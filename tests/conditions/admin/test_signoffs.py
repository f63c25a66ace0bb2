"""Sign-offs in the admin (conditions.admin.signoffs): invite, send again,
withdraw; the article's page and the Publish page say where each stands."""

from html.parser import HTMLParser

import pytest
from django.core import mail

from conditions.models import Signoff, SignoffAccess, SignoffInvitation
from conditions.services import signoffs
from tests.conditions.signoff_steps import decide, in_review, invite


def change_url(article):
    return f"/admin/conditions/condition/{article.pk}/change/"


def test_a_reviewer_invites_from_an_article_in_review(db, reviewer_client, committed):
    article = in_review()
    page = reviewer_client.get(change_url(article)).content.decode()
    assert "Invite a specialist" in page
    url = f"/admin/conditions/condition/{article.pk}/signoffs/invite/"
    with committed():
        response = reviewer_client.post(
            url, {"name": "Dr A. Neurologist", "credentials": "MD", "email": "neuro@example.org"}
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["neuro@example.org"]
    page = reviewer_client.get(change_url(article)).content.decode()
    assert "Dr A. Neurologist, MD" in page and "waiting" in page


def test_a_bad_invitation_says_why_and_saves_nothing(db, reviewer_client):
    article = in_review()
    url = f"/admin/conditions/condition/{article.pk}/signoffs/invite/"
    response = reviewer_client.post(url, {"name": "", "email": "nope"})
    assert response.status_code == 200
    assert not SignoffInvitation.objects.exists()


def test_editors_cannot_invite_or_withdraw(db, editor_client, reviewer):
    article = in_review()
    invitation, _ = invite(article, reviewer)
    base = f"/admin/conditions/condition/{article.pk}/signoffs"
    assert editor_client.get(f"{base}/invite/").status_code == 403
    assert editor_client.post(f"{base}/{invitation.pk}/withdraw/").status_code == 403
    assert "Invite a specialist" not in editor_client.get(change_url(article)).content.decode()


def test_withdrawing_and_sending_again(db, reviewer_client, reviewer, committed):
    article = in_review()
    invitation, _ = invite(article, reviewer)
    base = f"/admin/conditions/condition/{article.pk}/signoffs/{invitation.pk}"
    assert reviewer_client.get(f"{base}/withdraw/").status_code == 405
    with committed():
        reviewer_client.post(f"{base}/resend/")
    assert len(mail.outbox) == 1
    reviewer_client.post(f"{base}/withdraw/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_publishing_is_refused_with_the_reason(db, reviewer_client, reviewer):
    article = in_review()
    invitation, _ = invite(article, reviewer)
    decide(invitation, Signoff.Decision.CHANGES_REQUESTED, "Wrong dose.")
    url = f"/admin/conditions/condition/{article.pk}/workflow/publish/"
    page = reviewer_client.get(url).content.decode()
    assert "requested changes" in page and "Wrong dose." in page and "Withdraw" in page
    article.refresh_from_db()
    response = reviewer_client.post(
        url,
        {
            "revision": article.latest_revision_id,
            "update_note": "New",
            "reviewer_name": "Rev",
            "reviewer_credentials": "MD",
            "acknowledge": [p["key"] for p in article.check_problems],
        },
    )
    assert response.status_code == 200
    assert "Publishing is blocked by the specialists" in response.content.decode()
    article.refresh_from_db()
    assert article.live_revision_id is None or article.has_unpublished_changes


@pytest.mark.parametrize("model", [Signoff, SignoffAccess])
def test_the_record_of_decisions_and_uses_is_read_only(db, reviewer_client, model):
    name = model._meta.model_name
    assert reviewer_client.get(f"/admin/conditions/{name}/add/").status_code == 403
    assert reviewer_client.get(f"/admin/conditions/{name}/").status_code == 200
    assert signoffs.link_days() > 0


class _Forms(HTMLParser):
    """Each form's buttons, by the form they submit, and any form opened
    inside another (which browsers ignore: its end tag then closes the
    outer form, and the article's fields fall outside it)."""

    def __init__(self):
        super().__init__()
        self.depth, self.nested, self.ids, self.button_forms = 0, 0, set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.nested += self.depth > 0
            self.depth += 1
            self.ids.add(attrs.get("id"))
        elif tag == "button" and attrs.get("form"):
            self.button_forms.append(attrs["form"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


@pytest.mark.parametrize("page", ["change", "workflow/publish"])
def test_the_send_again_and_withdraw_buttons_are_in_forms_of_their_own(
    db, reviewer_client, reviewer, page
):
    article = in_review()
    invitation, _ = invite(article, reviewer)
    forms = _Forms()
    forms.feed(
        reviewer_client.get(f"/admin/conditions/condition/{article.pk}/{page}/").content.decode()
    )
    assert forms.nested == 0
    assert forms.button_forms == [
        f"signoff-{invitation.pk}-resend",
        f"signoff-{invitation.pk}-withdraw",
    ]
    assert set(forms.button_forms) <= forms.ids
