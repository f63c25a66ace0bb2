"""The sender of the site's emails: configurable, and never ``…@localhost``
in production without a warning."""

import os
import subprocess
import sys

from django.core.checks import run_checks
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlib.lib.mailfrom import check_from_address, default_from_email, is_local
from tests.paths import ROOT

LABEL = st.from_regex(r"[a-z][a-z0-9-]{0,14}[a-z0-9]", fullmatch=True)


def test_the_configured_sender_wins():
    assert (
        default_from_email(" Health Library <news@health.example.org> ", site_url="http://x")
        == "Health Library <news@health.example.org>"
    )


def test_unset_the_sender_is_on_the_host_of_site_url():
    assert (
        default_from_email("", site_url="https://health.example.org:8443/base")
        == "healthlib <healthlib@health.example.org>"
    )
    assert default_from_email("", site_url="http://localhost:8000") == (
        "healthlib <healthlib@localhost>"
    )


@given(labels=st.lists(LABEL, min_size=2, max_size=4))
@settings(max_examples=40, deadline=None)
def test_a_public_site_url_never_gives_a_local_sender(labels):
    host = ".".join(labels)
    if host == "localhost" or host.endswith(".localhost"):
        return
    sender = default_from_email("", site_url=f"https://{host}/")
    assert sender == f"healthlib <healthlib@{host}>"
    assert not is_local(sender)


def test_local_addresses():
    assert is_local("healthlib <newsletter@localhost>")
    assert is_local("a@LOCALHOST.")
    assert is_local("a@mailhost")
    assert is_local("a@dev.localhost")
    assert not is_local("a@example.org")


def test_the_check_warns_about_a_local_sender_with_debug_off(settings):
    settings.DEBUG = False
    settings.DEFAULT_FROM_EMAIL = "healthlib <healthlib@localhost>"
    [warning] = check_from_address()
    assert warning.id == "healthlib.W001" and "localhost" in warning.msg
    # Registered: `manage.py check` runs it.
    assert "healthlib.W001" in {m.id for m in run_checks()}

    settings.DEFAULT_FROM_EMAIL = "healthlib <healthlib@health.example.org>"
    assert check_from_address() == []
    settings.DEBUG = True
    settings.DEFAULT_FROM_EMAIL = "healthlib <healthlib@localhost>"
    assert check_from_address() == []


def test_production_settings_without_site_url_fail_the_deploy_check(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthlib.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "p" * 60 + "production-like-key",
        "DJANGO_ALLOWED_HOSTS": "health.example.org",
        "HEALTHLIB_VAR_DIR": str(tmp_path),
    }
    env.pop("SITE_URL", None)
    env.pop("DEFAULT_FROM_EMAIL", None)
    command = [sys.executable, "manage.py", "check", "--fail-level", "WARNING"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "healthlib.W001" in result.stderr + result.stdout
    env["DEFAULT_FROM_EMAIL"] = "Health Library <news@health.example.org>"
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
