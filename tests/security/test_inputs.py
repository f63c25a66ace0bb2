"""Issue 13, item 8: client addresses behind a proxy, sign-up addresses
without a public domain, uploads named as something else, and crafted
admin posts."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from conditions.models import Condition, Figure
from healthlib.lib.proxy import client_address, parse_networks
from newsletter import signups
from newsletter.models import Newsletter, Subscriber
from tests import factories
from tests.admin_forms import add_rows, form_data

ADD_URL = "/admin/conditions/condition/add/"


# --- The client's address behind a proxy --------------------------------------


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),  # through our proxy
        ("10.0.0.5", "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # client-written 1.2.3.4 ignored
        ("10.0.0.5", "1.2.3.4, 203.0.113.7, 10.0.0.6", "203.0.113.7"),  # two trusted hops
        ("198.51.100.9", "203.0.113.7", "198.51.100.9"),  # not from a trusted proxy
        ("10.0.0.5", "garbage", "10.0.0.5"),
        ("10.0.0.5", "", "10.0.0.5"),
        ("10.0.0.5", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_only_a_trusted_proxy_is_believed(remote, forwarded, expected):
    assert client_address(remote, forwarded, parse_networks(["10.0.0.0/24"])) == expected


def _sign_up(client, email, **headers):
    return client.post(
        "/newsletter/",
        {"email": email, "website": ""},
        REMOTE_ADDR="10.0.0.5",
        **headers,
    )


@pytest.mark.django_db
def test_sign_up_limit_is_per_visitor_behind_a_trusted_proxy(client):
    Newsletter.objects.create(name="Current Research From Top Journals")
    with override_settings(TRUSTED_PROXIES=["10.0.0.5"]):
        for i in range(5):
            response = _sign_up(
                client, f"reader{i}@example.org", HTTP_X_FORWARDED_FOR="203.0.113.7"
            )
            assert response.status_code == 200
        assert (
            _sign_up(client, "reader9@example.org", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
            == 429
        )
        # Another visitor behind the same proxy still gets in...
        assert (
            _sign_up(client, "other@example.org", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code
            == 200
        )
        # ...and a forged left-most entry changes nothing.
        assert (
            _sign_up(
                client, "forged@example.org", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7"
            ).status_code
            == 429
        )
    assert Subscriber.objects.filter(consent_ip="203.0.113.8").count() == 1


@pytest.mark.django_db
def test_forwarded_header_is_ignored_without_trusted_proxies(client):
    Newsletter.objects.create(name="Current Research From Top Journals")
    for i in range(5):
        _sign_up(client, f"reader{i}@example.org", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert (
        _sign_up(client, "late@example.org", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
    )


# --- Sign-up addresses ----------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "a@localhost",
        "a@[127.0.0.1]",
        "a@[IPv6:::1]",
        "a@intranet",
        "a@printer.local",
        "a@host.localhost",
        "a@x.invalid",
        "a@x.test",
        "a@10.0.0.1",
    ],
)
def test_addresses_without_a_public_domain_are_refused(email):
    with pytest.raises(ValidationError):
        signups.normalize_email(email)


@pytest.mark.parametrize("email", ["a@example.org", "a@mail.example.co.uk", "a@xn--bcher-kva.de"])
def test_public_addresses_are_accepted(email):
    assert signups.normalize_email(email) == email


@pytest.mark.django_db
def test_sign_up_form_refuses_localhost(client):
    Newsletter.objects.create(name="Current Research From Top Journals")
    response = client.post("/newsletter/", {"email": "a@localhost", "website": ""})
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


# --- Uploads --------------------------------------------------------------------


@pytest.mark.django_db
def test_png_named_pdf_is_stored_and_served_as_png(client):
    condition = factories.article("Tremor", publish=False)
    figure = Figure(condition=condition, alt_text="A hand", order=0)
    figure.image = factories.upload("scan.pdf")
    figure.save()
    assert figure.image.name.endswith("/scan.png")
    response = client.get(figure.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_media_that_is_not_an_image_is_a_download(client, settings):
    (settings.MEDIA_ROOT / "figures").mkdir(parents=True)
    (settings.MEDIA_ROOT / "figures" / "old.pdf").write_bytes(factories.png_bytes())
    response = client.get("/media/figures/old.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Crafted admin posts --------------------------------------------------------


def _article_post(admin_client):
    data = form_data(admin_client.get(ADD_URL))
    data.update(
        {
            "title": "Essential tremor",
            "slug": "essential-tremor",
            "summary": "A shaking of the hands.",
            "audience": "patient",
            "tags": "Nervous system",
        }
    )
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "1; DROP TABLE x", "١", "1.5", "99999999999999999999999"])
def test_non_numeric_organization_id_is_a_form_error(admin_client, value):
    data = _article_post(admin_client)
    add_rows(data, "organization_links", [{"organization": value, "order": 0}])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Condition.objects.exists()


@pytest.mark.django_db
def test_non_numeric_drug_id_is_a_form_error(admin_client):
    data = _article_post(admin_client)
    add_rows(
        data, "drug_groups", [{"heading": "Sedatives", "order": 0, "drug_list": ["abc", "1x"]}]
    )
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
