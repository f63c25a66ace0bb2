"""Cross-site protection for the public forms on cached pages.

The newsletter sign-up and "Was this page helpful?" sit on pages every
anonymous reader shares (the page cache, Varnish). A CSRF token in them
would be one visitor's token in everyone's page, so those two forms carry
none. They are protected instead the way browsers now allow without a
token (as Go's ``net/http.CrossOriginProtection`` and the Fetch Metadata
guidance do), plus what they had already:

* ``Sec-Fetch-Site`` (every current browser sends it): anything but
  ``same-origin`` or ``none`` (typed by the user) is refused;
* otherwise ``Origin`` (sent with every cross-origin POST, ``null`` from
  sandboxed frames and privacy-stripped requests): it must be this site's
  own origin or one of ``CSRF_TRUSTED_ORIGINS``;
* otherwise ``Referer``, when sent, must be of the same origin;
* a request with none of the three is not from a browser a forged page
  could drive, and is accepted: what protects the forms from scripts is
  the rate limit per address, the honeypot field, and double opt-in for
  the sign-up (nobody is subscribed without clicking the emailed link).

Everything else (the admin, logins) keeps Django's CSRF tokens.
"""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_callable
from django.views.decorators.csrf import csrf_exempt

REASON = "Cross-site form submission refused (%s)."


def _origin(url):
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def _allowed(request):
    own = f"{request.scheme}://{request.get_host()}".lower()
    return {own, *(o.rstrip("/").lower() for o in settings.CSRF_TRUSTED_ORIGINS)}


def cross_site_reason(request):
    """Why ``request`` is a cross-site submission, or None when it is not."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        if fetch_site.lower() in ("same-origin", "none"):
            return None
        return f"Sec-Fetch-Site: {fetch_site}"
    origin = request.headers.get("Origin")
    if origin is not None:
        if origin.lower() in _allowed(request):
            return None
        return f"Origin: {origin}"
    referer = request.headers.get("Referer")
    if referer is not None and _origin(referer) not in _allowed(request):
        return "Referer of another site"
    return None


def same_origin_post(view):
    """``view`` without Django's CSRF token, its POSTs refused (403, the
    CSRF failure page) when they come from another site."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            reason = cross_site_reason(request)
            if reason is not None:
                failure = get_callable(settings.CSRF_FAILURE_VIEW)
                return failure(request, reason=REASON % reason)
        return view(request, *args, **kwargs)

    return wrapper
