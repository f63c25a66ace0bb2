"""Print the VCL for Varnish in front of healthlib (healthlib/deploy/healthlib.vcl
with this deployment's values).

    manage.py edge_cache_vcl --backend 10.0.0.5:8000 --purger 10.0.0.0/24 \\
        > /etc/varnish/default.vcl
"""

import ipaddress
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

TEMPLATE = Path(settings.BASE_DIR) / "healthlib" / "deploy" / "healthlib.vcl"
# What the VCL string literal can hold without escaping (VCL has none).
_SECRET = re.compile(r"[A-Za-z0-9._~+/=:-]{16,200}")
_TTL = re.compile(r"\d+[smhd]")
_HOST = re.compile(r"[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]")


def acl_entry(network):
    """``10.0.0.0/24`` as an ACL line (``"10.0.0.0"/24;``)."""
    try:
        net = ipaddress.ip_network(network, strict=False)
    except ValueError:
        raise CommandError(f"--purger {network!r}: not an address or network.") from None
    return f'    "{net.network_address}"/{net.prefixlen};'


def render(*, backend, purgers, ttl, secret, session_cookie):
    host, sep, port = backend.rpartition(":")
    if not sep or not _HOST.fullmatch(host) or not port.isdigit():
        raise CommandError(f"--backend {backend!r}: give HOST:PORT (e.g. 127.0.0.1:8000).")
    if not _SECRET.fullmatch(secret or ""):
        raise CommandError(
            "EDGE_CACHE_PURGE_SECRET must be set: 16 to 200 characters of letters, "
            "digits and ._~+/=:- (e.g. from `openssl rand -hex 32`)."
        )
    if not _TTL.fullmatch(ttl):
        raise CommandError(f"--ttl {ttl!r}: give a duration such as 3600s, 1h or 1d.")
    values = {
        "@BACKEND_HOST@": host.strip("[]"),
        "@BACKEND_PORT@": port,
        "@PURGERS@": "\n".join(acl_entry(p) for p in purgers),
        "@PURGE_SECRET@": secret,
        "@SESSION_COOKIE@": re.escape(session_cookie),
        "@TTL@": ttl,
    }
    vcl = TEMPLATE.read_text()
    for placeholder, value in values.items():
        vcl = vcl.replace(placeholder, value)
    return vcl


class Command(BaseCommand):
    help = "Print the Varnish VCL for this deployment (purge secret: EDGE_CACHE_PURGE_SECRET)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend", default="127.0.0.1:8000", help="the app server (gunicorn), HOST:PORT"
        )
        parser.add_argument(
            "--purger",
            action="append",
            help="an address or network the app servers purge from (repeat; default loopback)",
        )
        parser.add_argument("--ttl", default="1h", help="how long a page is kept unpurged")

    def handle(self, *args, **options):
        self.stdout.write(
            render(
                backend=options["backend"],
                purgers=options["purger"] or ["127.0.0.1", "::1"],
                ttl=options["ttl"],
                secret=settings.EDGE_CACHE_PURGE_SECRET,
                session_cookie=settings.SESSION_COOKIE_NAME,
            ),
            ending="",
        )
