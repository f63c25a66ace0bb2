"""API keys as a partner uses them: sent in a header, they raise the
anonymous rate limit and count requests per day; unknown and revoked keys
get the API's JSON 401; nothing records what was read."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conditions.models import ApiKey, Partner, PartnerUsage
from conditions.partners import keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return Partner.objects.create(name="Clinic", contact_email="web@clinic.example")


def test_a_key_is_stored_hashed_and_found_again(partner):
    row, key = keys.create_key(partner=partner, label="site")
    assert key not in {row.prefix, row.hashed} and key.startswith("hl_" + row.prefix + "_")
    assert keys.find(key) == row
    keys.revoke(row)
    assert keys.find(key) is None


@settings(max_examples=30, deadline=None)
@given(noise=st.text(max_size=60))
def test_no_other_string_finds_a_key(noise):
    partner, _ = Partner.objects.get_or_create(name="P", contact_email="p@example.org")
    row, key = keys.create_key(partner=partner)
    if noise != key:
        assert keys.find(noise) is None
        assert keys.find(key[:-1] + noise) is None or noise == key[-1]


@pytest.mark.parametrize("header", ["HTTP_X_API_KEY", "HTTP_AUTHORIZATION"])
def test_requests_with_a_key_are_counted_per_day(client, partner, header):
    _row, key = keys.create_key(partner=partner)
    value = key if header == "HTTP_X_API_KEY" else f"Bearer {key}"
    for _ in range(3):
        assert client.get("/api/conditions/", **{header: value}).status_code == 200
    assert client.get("/api/conditions/").status_code == 200  # anonymous: not counted
    assert list(PartnerUsage.objects.values_list("partner", "requests")) == [(partner.pk, 3)]
    assert ApiKey.objects.get().last_used_on is not None


@pytest.mark.parametrize("value", ["hl_nothere_xyz", "", "Basic abc"])
def test_unknown_keys_get_a_json_401(client, value):
    response = client.get("/api/conditions/", HTTP_AUTHORIZATION=value)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_revoked_keys_get_a_json_401(client, partner):
    row, key = keys.create_key(partner=partner)
    keys.revoke(row)
    response = client.get("/api/changes/", HTTP_X_API_KEY=key)
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"status", "code", "message"}


def test_a_key_raises_the_rate_limit(client, partner, settings):
    settings.API_ANONYMOUS_REQUESTS_PER_HOUR = 2
    settings.API_PARTNER_REQUESTS_PER_HOUR = 4
    _row, key = keys.create_key(partner=partner)
    statuses = [client.get("/api/conditions/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get("/api/conditions/")
    assert refused.json()["error"]["code"] == "rate_limited" and refused["Retry-After"]
    statuses = [client.get("/api/conditions/", HTTP_X_API_KEY=key).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    partner.requests_per_hour = 10
    partner.save()
    assert client.get("/api/conditions/", HTTP_X_API_KEY=key).status_code == 200
