"""Production settings: manage.py check --deploy is clean, and a missing
secret key stops start-up with one line."""

import os
import subprocess
import sys

import pytest

from tests.paths import ROOT

pytestmark = pytest.mark.django_db


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthlib.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "p" * 60 + "production-like-key",
        "DJANGO_ALLOWED_HOSTS": "health.example.org",
        "SITE_URL": "https://health.example.org",
        "ANYMAIL_WEBHOOK_SECRET": "provider:webhook-secret",
        "NEWSLETTER_POSTAL_ADDRESS": "1 Example Street, Springfield",
        "HEALTHLIB_VAR_DIR": str(tmp_path),
    }
    root = ROOT
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    no_key = {k: v for k, v in env.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env=no_key,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "healthlib: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
    )
