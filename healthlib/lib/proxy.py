"""The client's address behind a reverse proxy, trusting only the proxies
an operator configured.

Behind a proxy ``REMOTE_ADDR`` is the proxy's address, so per-address
limits (sign-up, login throttling) would apply to every visitor at once.
A proxy appends the address it received the request from to
``X-Forwarded-For``; everything to the left of that was written by the
client and proves nothing. So the header is read from the right, and only
while the hop that handed it over is one of ``TRUSTED_PROXIES``: the first
address not in that list is the client. With no trusted proxies (the
default) the header is ignored altogether.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed


def parse_networks(values):
    """``["10.0.0.1", "10.1.0.0/16"]`` as networks (one address: a /32 or /128)."""
    return [ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip()]


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(remote_addr, forwarded_for, trusted):
    """The client's address from ``remote_addr`` and ``X-Forwarded-For``."""
    current = _address(remote_addr or "")
    if current is None:
        return remote_addr
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    while any(current in network for network in trusted) and hops:
        previous = _address(hops.pop())
        if previous is None:
            break  # a garbled entry: stop at the last address we could trust
        current = previous
    return str(current)


class TrustedProxyMiddleware:
    """Sets ``REMOTE_ADDR`` to the client's address when the request came
    through a trusted proxy. First in MIDDLEWARE, so the page cache, the
    rate limits and django-axes all see the same address."""

    def __init__(self, get_response):
        self.trusted = parse_networks(settings.TRUSTED_PROXIES)
        if not self.trusted:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        forwarded = meta.get("HTTP_X_FORWARDED_FOR")
        if forwarded:
            meta["REMOTE_ADDR"] = client_address(meta.get("REMOTE_ADDR"), forwarded, self.trusted)
        return self.get_response(request)
