"""The published article names the specialists who signed off its live
revision: on the page, in the API and in the JSON-LD."""

import json
import re

import pytest
from django.utils import timezone

from conditions import services
from conditions.models import Signoff
from conditions.services import signoffs
from tests.conditions.signoff_steps import decide, edit, in_review, invite


@pytest.fixture
def signed_off(db, reviewer):
    article = in_review(title="Signed condition")
    invitation, _ = invite(article, reviewer)
    decide(invitation)
    services.publish(condition=article, user=reviewer, reviewer_name="Rev Iewer")
    return article


def jsonld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_page_the_api_and_json_ld_name_the_specialist(client, signed_off):
    today = timezone.localdate()
    html = client.get("/conditions/signed-condition/").content.decode()
    assert "Reviewed by Dr A. Neurologist, MD, on" in html
    assert f'<time datetime="{today.isoformat()}">' in html
    data = jsonld(html)
    assert data["lastReviewed"] == today.isoformat()
    assert data["reviewedBy"] == [
        {"@type": "Person", "name": "Rev Iewer"},
        {"@type": "Person", "name": "Dr A. Neurologist", "honorificSuffix": "MD"},
    ]
    review = client.get("/api/conditions/signed-condition/").json()["review"]
    assert review["signoffs"] == [
        {"name": "Dr A. Neurologist", "credentials": "MD", "signed_off_on": today.isoformat()}
    ]


def test_only_the_live_revisions_signoffs_are_shown(client, signed_off, reviewer):
    # A later publication without that specialist no longer names them.
    edit(signed_off, "Another change.")
    services.submit_for_review(condition=signed_off)
    signed_off.refresh_from_db()
    services.publish(condition=signed_off, user=reviewer, reviewer_name="Rev Iewer")
    html = client.get("/conditions/signed-condition/").content.decode()
    assert "Dr A. Neurologist" not in html
    assert client.get("/api/conditions/signed-condition/").json()["review"]["signoffs"] == []
    # The decision itself stays in the record.
    assert Signoff.objects.filter(published_in__isnull=False).count() == 1


def test_a_request_for_changes_is_never_shown_to_readers(client, db, reviewer):
    article = in_review(title="Disputed condition")
    invitation, _ = invite(article, reviewer)
    decide(invitation, Signoff.Decision.CHANGES_REQUESTED, "No.")
    signoffs.withdraw_invitation(invitation=invitation, user=reviewer)
    services.publish(condition=article, user=reviewer)
    assert "Dr A. Neurologist" not in client.get("/conditions/disputed-condition/").content.decode()
