"""Whole-page caching of readers' pages, with exact invalidation.

A cached page depends on a few *tags* named before the page is rendered
(``article:myoclonus``, ``az``, ``drug:clonazepam``…). Each tag has a
version in the cache; a page is stored with the versions it was rendered
under, and served only while they are all still current. Changing content
bumps exactly the tags of the pages that show it (see
``conditions.publishing.invalidation``).

Why this cannot serve a stale page after a publish returns: a request reads
its tags' versions *before* it reads the database, and a publish bumps the
versions after its transaction commits (and before it returns). A render
that read old rows therefore carries old versions, and is never served
again once the publish has returned.

Every anonymous reader gets the same page, whatever cookies they carry
(a language, a CSRF token from the admin's login page, an anonymous
session): the public forms carry no per-visitor token (see
``healthlib.lib.origin``). Only a logged-in session, a flash message to
show once, and anything but GET/HEAD bypass the cache: they are neither
served from it nor stored in it. A response that sets a cookie or a CSRF
token is per visitor and is never stored.

Cached and cacheable pages carry their tags in an ``xkey`` header, so an
edge cache (Varnish with the xkey vmod) can be purged by the same tags
(``conditions.publishing.edge``).

A page may state its own framing policy, as a view says it to the
middleware: django-csp's per-view policy (``_csp_replace`` and the like,
read by the CSP middleware listed before this one) and Django's
``xframe_options_exempt`` (for the clickjacking middleware a hit skips).
Those attributes are kept with the page and set again on every hit, so a
page partners may frame (the embed) stays frameable from the cache, and
every other page stays ``DENY``.
"""

import functools
import hashlib
import uuid
from importlib import import_module

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.urls import get_resolver
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from healthlib.lib.http import body_etag, conditional

TAG_PREFIX = "pagecache:tag:"
# "page2": entries of the releases that put a CSRF token in pages are not read.
# "page3": an entry has six parts (the response's attributes, see
# RESPONSE_ATTRIBUTES); a release that reads five-part entries does not
# read these (one sharing the cache during an upgrade would fail on them).
PAGE_PREFIX = "pagecache:page3:"
# The response header naming a page's tags, for the edge cache's purges.
XKEY_HEADER = "xkey"

# How long an entry may live at most, whatever its tags say (seconds).
PAGE_TIMEOUT = getattr(settings, "PAGE_CACHE_TIMEOUT", 24 * 3600)
PUBLIC_CACHE_CONTROL = {"public": True, "max_age": 0, "must_revalidate": True}
# What a view may set on its response for the middleware around the page
# cache (see the module's docstring): kept with the page, set on each hit.
RESPONSE_ATTRIBUTES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "xframe_options_exempt",
)


def tag_cache():
    """Where tag versions live: shared by every worker (see settings)."""
    return caches["pagecache_tags"]


def _tag_key(tag):
    return TAG_PREFIX + tag


def _in_language(tags, language):
    """A page's tags in its language: the source language's pages use the
    tags as they are, another language's pages the tags prefixed with it."""
    if not language or language == settings.LANGUAGE_CODE:
        return list(tags)
    return [f"{language}:{t}" for t in tags]


def in_every_language(tags):
    """``tags`` as the pages of every language name them (what their
    ``xkey`` header says)."""
    tags = {t for t in tags if t}
    return {tagged for code, _ in settings.LANGUAGES for tagged in _in_language(tags, code)}


def bump(*tags):
    """Make every page that depends on any of ``tags`` stale, in every
    language (a change to an article, drug or topic shows on the pages of
    each language that lists it; one more key per language is cheaper
    than working out which).

    Bumped at once and again when the current transaction commits, so a
    render that read the rows before the commit is never served after it.
    """
    tags = in_every_language(tags)
    if not tags:
        return

    def do_bump():
        tag_cache().set_many({_tag_key(t): uuid.uuid4().hex for t in tags}, timeout=None)

    do_bump()
    transaction.on_commit(do_bump)


def _versions(tags):
    keys = [_tag_key(t) for t in tags]
    versions = tag_cache()
    found = versions.get_many(keys)
    missing = {k: uuid.uuid4().hex for k in keys if k not in found}
    if missing:
        # add(), not set(): a concurrent bump must win over our guess.
        for key, value in missing.items():
            if not versions.add(key, value, timeout=None):
                value = versions.get(key)
            found[key] = value
    return [found[k] for k in keys]


def current_versions(tags, language):
    """The current versions of ``tags`` as the pages in ``language`` name
    them. Something derived from those pages (a PDF of an article) keeps
    them beside what it stores: it is stale once they differ, exactly when
    the pages are. Read them before reading the database, as pages do."""
    return _versions(_in_language(tags, language))


def _shared():
    return settings.PAGE_CACHE_SHARED


def clear():
    """Forget every cached page (this process's copies and the shared ones)."""
    caches["pagecache_local"].clear()
    cache.clear()


def _usable(entry):
    # An entry of another shape was stored by an older release: a miss.
    return entry is not None and len(entry) == 3 and len(entry[1]) == 6


def _fresh_entry(key):
    """The page stored under ``key`` if it was rendered under its tags'
    current versions: from this process's memory first, then from the shared
    cache (which spares a render per worker and server)."""
    entry = caches["pagecache_local"].get(key)
    current = None
    if _usable(entry):
        current = _versions(entry[2])
        if entry[0] == current:
            return entry
    if not _shared():
        return None
    entry = cache.get(key)
    if not _usable(entry):
        return None
    if current is None:
        current = _versions(entry[2])
    if entry[0] != current:
        return None
    caches["pagecache_local"].set(key, entry, PAGE_TIMEOUT)
    return entry


def _set_entry(key, entry):
    caches["pagecache_local"].set(key, entry, PAGE_TIMEOUT)
    if _shared():
        cache.set(key, entry, PAGE_TIMEOUT)


def _logged_in(session_key):
    """Whether ``session_key`` is a logged-in user's session. Read from the
    session store directly: ``request.session`` would mark the response as
    varying on the cookie."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return "_auth_user_id" in store.load()


def _may_be_cached(request):
    """GET/HEAD without a flash message to show: what a cached page could
    answer, before asking whether the visitor is signed in."""
    if request.method not in ("GET", "HEAD"):
        return False
    return not request.COOKIES.get("messages")  # an emptied one was shown


def is_cacheable_request(request):
    """Anonymous GET/HEAD without a flash message to show: the cached page.
    Other cookies do not matter (an anonymous session, a language, a CSRF
    cookie): the page is the same for every anonymous reader."""
    if not _may_be_cached(request):
        return False
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return True
    cached = getattr(request, "_pagecache_logged_in", None)
    if cached is None:
        cached = request._pagecache_logged_in = _logged_in(key)
    return not cached


def is_storable_response(request, response):
    """A 200 that is the same for everyone: it sets no cookie and used no
    CSRF token (a page that did is one visitor's)."""
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
        and "private" not in response.get("Cache-Control", "")
    )


def xkey(tags):
    """The ``xkey`` header's value for a page of ``tags`` (already in the
    page's language)."""
    return " ".join(sorted(tags))


# Query parameters some cached page reads, with how to put a value in its
# canonical form (None: as if absent). Filled by ``cached_page(query=...)``.
# The key of a page is its path and these parameters only: ``?utm_source=x``
# or ``?1234`` do not make a new entry, and ``?letter=M`` shares
# ``?letter=m``'s.
_KEY_PARAMS = {}


def _key_params(request):
    params = []
    for name, canonical in _KEY_PARAMS.items():
        raw = request.GET.get(name)
        value = canonical(raw) if raw is not None else None
        if value is not None:
            params.append((name, value))
    return sorted(params)


def _page_key(request):
    key = request.path + "?" + "&".join(f"{name}={value}" for name, value in _key_params(request))
    digest = hashlib.sha256(key.encode()).hexdigest()
    return PAGE_PREFIX + digest


def _serve(request, entry):
    status, content, headers, etag, last_modified, attributes = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    for name, value in attributes.items():
        setattr(response, name, value)
    return _finish(request, response, etag, last_modified, "hit")


def _finish(request, response, etag, last_modified, outcome):
    patch_cache_control(response, **PUBLIC_CACHE_CONTROL)
    response["X-Page-Cache"] = outcome
    answer = conditional(
        request, response, etag=etag, last_modified=parse_http_date_safe(last_modified)
    )
    if answer is not response:
        # A 304's headers replace the browser's stored ones: the same policy.
        for name in RESPONSE_ATTRIBUTES:
            if hasattr(response, name):
                setattr(answer, name, getattr(response, name))
    return answer


def cached_page(tags, *, query=None):
    """Cache a readers' view under the tags ``tags(request, **kwargs)`` returns.

    ``query`` maps the query parameters the view reads to a function giving
    a value's canonical form, or None when the view treats the value as if
    the parameter were absent (``{"letter": ...}`` on the A–Z). Every other
    parameter is ignored: the page is the same with it.

    The view renders and stores; ``PageCacheMiddleware`` serves the hits."""
    query = dict(query or {})
    for name, canonical in query.items():
        if _KEY_PARAMS.setdefault(name, canonical) is not canonical:
            raise ValueError(f"Query parameter {name!r} is canonicalized two ways.")

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_cacheable_request(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True)
                return response
            # Hits were answered by PageCacheMiddleware; this renders and stores.
            if any(name not in query for name, _ in _key_params(request)):
                # Another page's parameter (?letter= on an article) is part
                # of the key but not of this page: storing it would only
                # duplicate the page. Served, not stored.
                response = view(request, *args, **kwargs)
                patch_cache_control(response, **PUBLIC_CACHE_CONTROL)
                return response
            page_tags = sorted(
                _in_language(tags(request, *args, **kwargs), translation.get_language())
            )
            versions = _versions(page_tags)  # before any database read
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if not is_storable_response(request, response):
                patch_cache_control(response, private=True)
                return response
            response[XKEY_HEADER] = xkey(page_tags)
            content = response.content
            etag = body_etag(content)
            last_modified = http_date()
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() in ("content-type", "content-language", "x-robots-tag", XKEY_HEADER)
            ]
            attributes = {
                name: getattr(response, name)
                for name in RESPONSE_ATTRIBUTES
                if hasattr(response, name)
            }
            entry = (200, content, headers, etag, last_modified, attributes)
            _set_entry(_page_key(request), (versions, entry, page_tags))
            return _finish(request, response, etag, last_modified, "miss")

        return wrapper

    return decorator


class PageCacheMiddleware:
    """Answers cache hits before URL resolution, the view and the middleware
    listed after it (authentication, messages: a hit needs neither).

    It only serves: pages are stored by the views' ``cached_page``, which
    also records their tags in the entry, so a hit can be checked against
    the tags' current versions without knowing the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Import the views now: their cached_page(query=...) declarations
        # make the keys, and the first request must not be keyed without them.
        get_resolver().url_patterns  # noqa: B018

    def __call__(self, request):
        # Whether the visitor is signed in costs a session read: asked only
        # when there is a page to serve (never on the admin's pages, which
        # the session middleware reads the session for anyway).
        entry = _fresh_entry(_page_key(request)) if _may_be_cached(request) else None
        if entry is not None and is_cacheable_request(request):
            response = _serve(request, entry[1])
            # XFrameOptionsMiddleware comes later in the list and is skipped.
            if not getattr(response, "xframe_options_exempt", False):
                response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
            return response
        return self.get_response(request)
