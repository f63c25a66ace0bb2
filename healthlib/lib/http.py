"""Conditional GET, one way for every answer that supports it (pages from
the page cache, the JSON API): an ``ETag`` from the body, ``Last-Modified``
when known, and 304 Not Modified when the client already has it."""

import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import http_date


def body_etag(content):
    """A strong validator for ``content`` (bytes)."""
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def conditional(request, response, *, etag, last_modified=None):
    """Put the validators on ``response`` and answer 304 when the request's
    ``If-None-Match`` / ``If-Modified-Since`` match. ``last_modified`` is a
    Unix timestamp."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
