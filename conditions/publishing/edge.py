"""The edge cache (Varnish in front of the app servers), purged exactly.

A receiver of the live-change event (``conditions.publishing.events``):
each cacheable page names its tags in an ``xkey`` header
(``healthlib.lib.pagecache``), and a change purges, by ``xkey``, exactly
the tags the page cache bumps for it (``invalidation.tags_for``), in every
language. The VCL that answers the purge is ``deploy/varnish/healthlib.vcl``.

Configured by ``EDGE_CACHE_URL`` (unset: nothing is sent) and
``EDGE_CACHE_PURGE_SECRET`` (sent as ``X-Purge-Secret``). The purge is sent
after the commit, with a short timeout (``EDGE_CACHE_TIMEOUT``), and never
fails the change: a failure is logged (a page it missed then lives at
most the VCL's TTL).
"""

import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction

from conditions.publishing import invalidation
from healthlib.lib.pagecache import in_every_language

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Purge-Secret"  # noqa: S105 - a header name, not a secret
# Tags per purge request: Varnish refuses request headers over 8 KB.
HEADER_BUDGET = 4000


def on_live_change(sender, change, **kwargs):
    """Purge the pages ``change`` touches, once the change is committed."""
    if not settings.EDGE_CACHE_URL:
        return
    keys = in_every_language(invalidation.tags_for(change))
    if keys:
        transaction.on_commit(lambda: purge(keys))


def batches(keys, budget=HEADER_BUDGET):
    """``keys`` sorted, in space-separated groups of at most ``budget``
    characters (one that is longer on its own goes alone)."""
    batch, size = [], 0
    for key in sorted(keys):
        if batch and size + len(key) + 1 > budget:
            yield " ".join(batch)
            batch, size = [], 0
        batch.append(key)
        size += len(key) + 1
    if batch:
        yield " ".join(batch)


def purge(keys):
    """Send ``PURGE`` requests for ``keys`` to the edge cache. Returns
    whether every one was accepted; never raises."""
    url = settings.EDGE_CACHE_URL + "/"
    if not url.startswith(("http://", "https://")):
        logger.error("EDGE_CACHE_URL must be an http:// or https:// address: %r", url)
        return False
    ok = True
    for header in batches(keys):
        request = urllib.request.Request(url, method="PURGE")  # noqa: S310 - scheme checked
        request.add_header("xkey", header)
        if settings.EDGE_CACHE_PURGE_SECRET:
            request.add_header(SECRET_HEADER, settings.EDGE_CACHE_PURGE_SECRET)
        try:
            timeout = settings.EDGE_CACHE_TIMEOUT
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                response.read()
        except (OSError, ValueError) as error:  # URLError, HTTPError, timeouts
            ok = False
            logger.error("Edge cache purge of %r failed: %s", header, error)
    return ok
