"""A small fixed-window rate limit on Django's cache.

``hit("newsletter-signup", ip, limit=5, period=3600)`` counts one attempt
and says whether it is still within the limit. With a shared cache (Redis)
the count is shared by every worker; with the local-memory cache it is per
process, which is fine for development.

Client addresses: ``client_ip`` is ``REMOTE_ADDR``. Behind a reverse
proxy, list the proxy in ``TRUSTED_PROXIES``: ``healthlib.lib.proxy`` then sets
REMOTE_ADDR from the X-Forwarded-For entry that proxy appended (never from
the entries a client can write), so each visitor has a limit of their own.
"""

import hashlib
import time

from django.core.cache import cache


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def _cache_key(scope, key, period):
    window = int(time.time() // period)
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{window}"


def seconds_left(period):
    """Seconds until the current ``period``-second window ends, when every
    limit of that period starts counting again (what Retry-After says)."""
    return period - int(time.time()) % period


def exceeded(scope, key, *, limit, period):
    """Whether ``key`` has used up its ``limit`` attempts in ``scope`` this
    period (a check that counts nothing, before ``hit`` counts a failure)."""
    return (cache.get(_cache_key(scope, key, period)) or 0) >= limit


def hit(scope, key, *, limit, period):
    """Count one attempt for ``key`` in ``scope``; True while at most
    ``limit`` attempts were made in the current ``period`` seconds."""
    cache_key = _cache_key(scope, key, period)
    if cache.add(cache_key, 1, timeout=period):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=period)
        count = 1
    return count <= limit
