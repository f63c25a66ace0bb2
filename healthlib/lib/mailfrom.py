"""The sender of the site's emails (``DEFAULT_FROM_EMAIL``): the review
loop's notifications, and newsletters without a From address of their own.

Set it with the ``DEFAULT_FROM_EMAIL`` environment variable. Unset, it is
derived from ``SITE_URL`` (``healthlib@health.example.org``), so a
production site never sends from ``…@localhost``, which mail servers
refuse or file as spam; a system check warns when it would.
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

SENDER_NAME = "healthlib"


def default_from_email(configured, *, site_url):
    """``configured`` (the environment variable) if set, else an address
    on the host of ``site_url``."""
    if configured.strip():
        return configured.strip()
    host = urlsplit(site_url).hostname or "localhost"
    return f"{SENDER_NAME} <{SENDER_NAME}@{host}>"


def is_local(address):
    """Whether ``address`` ("Name <a@b>" or "a@b") is on a host no other
    mail server can answer: localhost, or a name without a dot."""
    domain = parseaddr(address)[1].rpartition("@")[2].lower().rstrip(".")
    return domain == "localhost" or domain.endswith(".localhost") or "." not in domain


def check_from_address(app_configs=None, **kwargs):
    """Warn when, with debug off, the site would send from a local address."""
    if settings.DEBUG or not is_local(settings.DEFAULT_FROM_EMAIL):
        return []
    return [
        checks.Warning(
            f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: mail servers refuse or "
            "file as spam email from a local address.",
            hint="Set DEFAULT_FROM_EMAIL to an address of your domain, or SITE_URL to the "
            "site's public address (the sender is then healthlib@ its host).",
            id="healthlib.W001",
        )
    ]
