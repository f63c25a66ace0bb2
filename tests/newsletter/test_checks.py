"""The newsletter's system checks (newsletter.checks): check --deploy warns
without the webhook secret."""

import pytest
from django.core import checks

SECRET = "hook:right-secret"


@pytest.mark.parametrize("secret", [None, ""])
def test_check_deploy_warns_without_the_secret(settings, secret):
    settings.ANYMAIL = {"WEBHOOK_SECRET": secret}
    found = checks.run_checks(include_deployment_checks=True)
    assert "newsletter.W001" in [m.id for m in found]
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    found = checks.run_checks(include_deployment_checks=True)
    assert "newsletter.W001" not in [m.id for m in found]


@pytest.mark.parametrize("address", ["", "  \n "])
def test_check_deploy_warns_without_a_postal_address(settings, address):
    settings.NEWSLETTER_POSTAL_ADDRESS = address
    found = checks.run_checks(include_deployment_checks=True)
    assert "newsletter.W002" in [m.id for m in found]
    settings.NEWSLETTER_POSTAL_ADDRESS = "1 Example Street, Springfield"
    found = checks.run_checks(include_deployment_checks=True)
    assert "newsletter.W002" not in [m.id for m in found]
