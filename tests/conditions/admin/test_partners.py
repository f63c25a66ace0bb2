"""Partners in the admin: a key is shown once when made and never again,
revoked with a tick; the requests chart is drawn on the server; webhook
addresses follow the link checker's rules."""

import re

import pytest
from django.utils import timezone

from conditions.models import ApiKey, Partner, PartnerUsage, WebhookEndpoint
from conditions.partners import keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(user)
    return client


def _form(partner=None, **extra):
    data = {
        "name": "Clinic",
        "contact_email": "web@clinic.example",
        "requests_per_hour": "",
        "notes": "",
        "keys-TOTAL_FORMS": "0",
        "keys-INITIAL_FORMS": "0",
        "webhooks-TOTAL_FORMS": "0",
        "webhooks-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_a_new_key_is_shown_once(admin_client):
    response = admin_client.post(
        "/admin/conditions/partner/add/",
        _form(**{"keys-TOTAL_FORMS": "1", "keys-0-label": "website"}),
        follow=True,
    )
    shown = re.search(r"<code>(hl_[^<]+)</code>", response.content.decode())
    assert shown, response.content.decode()[:2000]
    key = shown.group(1)
    row = ApiKey.objects.get()
    assert keys.find(key) == row and row.label == "website"
    page = admin_client.get(f"/admin/conditions/partner/{row.partner_id}/change/")
    assert key not in page.content.decode() and row.prefix in page.content.decode()


def test_a_key_is_revoked_with_a_tick(admin_client):
    partner = Partner.objects.create(name="Clinic", contact_email="web@clinic.example")
    row, key = keys.create_key(partner=partner)
    data = _form(
        **{
            "keys-TOTAL_FORMS": "1",
            "keys-INITIAL_FORMS": "1",
            "keys-0-id": str(row.pk),
            "keys-0-partner": str(partner.pk),
            "keys-0-label": "",
            "keys-0-revoke": "on",
        }
    )
    response = admin_client.post(f"/admin/conditions/partner/{partner.pk}/change/", data)
    assert response.status_code == 302
    assert keys.find(key) is None


def test_the_usage_chart_is_drawn_without_script(admin_client):
    partner = Partner.objects.create(name="Clinic", contact_email="web@clinic.example")
    PartnerUsage.objects.create(partner=partner, day=timezone.localdate(), requests=42)
    page = admin_client.get(f"/admin/conditions/partner/{partner.pk}/change/").content.decode()
    assert "<svg" in page and "42 in all" in page
    assert "delivery log" in page.lower()


def test_an_internal_webhook_address_is_refused(admin_client):
    data = _form(
        **{
            "webhooks-TOTAL_FORMS": "1",
            "webhooks-0-url": "https://127.0.0.1/hook",
            "webhooks-0-kinds": ["condition"],
            "webhooks-0-active": "on",
        }
    )
    response = admin_client.post("/admin/conditions/partner/add/", data)
    assert response.status_code == 200
    assert "internal" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
