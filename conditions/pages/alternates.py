"""The same page in every language, for the language switcher and the
``<link rel="alternate" hreflang>`` of base.html.

A page that exists in every language (home, A–Z, drugs, topics, search) has
the same path under each language's prefix (``/drugs/`` and ``/es/drugs/``).
An article's alternates are its translations instead (the article view).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import translate_url

from conditions.pages.translations import language_name


def alternate(code, url):
    return {"code": code, "name": language_name(code), "url": url}


def of(urls):
    """The switcher's entries for ``urls`` ({language: address}, as a live
    copy's ``language_versions``), in the order of ``settings.LANGUAGES``."""
    return [alternate(code, urls[code]) for code, _ in settings.LANGUAGES if code in urls]


def same_path(request, query=None):
    """The page of ``request`` in every language, as
    ``[{"code": "es", "name": "Español", "url": "/es/drugs/"}, ...]``.

    ``query`` is the page's own parameters (``{"letter": "m"}``), or a
    function giving them for a language code: what the page's address is
    made of. Any other parameter of the request (a tracking one) is left
    out, so that a cached page never carries another reader's."""
    result = []
    for code, _ in settings.LANGUAGES:
        params = query(code) if callable(query) else query
        params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        url = translate_url(request.path, code)
        result.append(alternate(code, url + ("?" + urlencode(params) if params else "")))
    return result
