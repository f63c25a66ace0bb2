"""The embed partners frame (``/embed/conditions/<slug>/``) and its oEmbed
description (``/oembed/?url=…``, https://oembed.com, version 1.0): the
addresses, which pages may frame it, and the oEmbed answer in JSON or XML.

The views are ``conditions.embed_views``; what the embed shows is
``selectors.embed_page`` in ``conditions/embed.html``.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html

from conditions.models import Condition
from conditions.pages import missing
from conditions.pages.seo import absolute

# The iframe's size when the consumer sets no maximum (CSS pixels): a column
# of text that reads on a phone and on a desktop sidebar alike.
WIDTH = 600
HEIGHT = 800
# How long a consumer may keep an oEmbed answer (seconds). The iframe
# always shows the live article: only the title could be out of date.
CACHE_AGE = 86400
FORMATS = ("json", "xml")
# The URL names an oEmbed ``url`` may point at: the article or its embed.
ARTICLE_URL_NAMES = ("conditions:detail", "conditions:embed")
# Longer than any address of this site; a longer ``url`` is refused unread.
MAX_URL_LENGTH = 2000
_SIZE = re.compile(r"^[0-9]{1,100}$")
# Characters XML 1.0 cannot hold (an article title could carry one).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def frame_ancestors():
    """The pages that may frame the embed (CSP ``frame-ancestors``):
    ``EMBED_FRAME_ANCESTORS``, any page (``*``) by default."""
    return list(settings.EMBED_FRAME_ANCESTORS) or ["'none'"]


def embed_path(condition):
    """The embed's path of the live copy ``condition``, in its language."""
    with translation.override(condition.language):
        return reverse("conditions:embed", args=[condition.slug])


def embed_url(condition):
    return absolute(embed_path(condition))


def article_url(condition):
    return absolute(condition.get_absolute_url())


def discovery_url(condition, format):
    """The oEmbed endpoint for ``condition``'s page (the article page's
    ``<link rel="alternate" type="application/json+oembed">``)."""
    query = urlencode({"url": article_url(condition), "format": format})
    return f"{settings.SITE_URL}{reverse('oembed')}?{query}"


class Refused(Exception):
    """An oEmbed request answered with ``status`` and the API's JSON error."""

    CODES = {400: "invalid", 404: "not_found", 501: "format_not_supported"}

    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message
        self.code = self.CODES[status]


@dataclass(frozen=True)
class Request:
    """An oEmbed request's parameters, read and checked."""

    url: str
    maxwidth: int | None
    maxheight: int | None
    format: str


def parse(params):
    """The oEmbed parameters of ``params`` (a QueryDict), or ``Refused``:
    400 for a missing or malformed one, 501 for a format not served."""
    url = params.get("url", "").strip()
    if not url:
        raise Refused(400, "url is required: the address of an article of this site.")
    if len(url) > MAX_URL_LENGTH:
        raise Refused(400, f"url is longer than {MAX_URL_LENGTH} characters.")
    form = params.get("format", "").strip().lower() or "json"
    if form not in FORMATS:
        raise Refused(501, "format must be json or xml.")
    return Request(
        url=url,
        maxwidth=_size(params, "maxwidth"),
        maxheight=_size(params, "maxheight"),
        format=form,
    )


def _size(params, name):
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if not _SIZE.match(raw) or int(raw.lstrip("0") or "0") == 0:
        raise Refused(400, f"{name} must be a whole number of pixels, 1 or more.")
    digits = raw.lstrip("0")
    # Past nine digits, no maximum is smaller than our size.
    return int(digits) if len(digits) <= 9 else 10**9


def _our_hosts(request):
    return {urlsplit(settings.SITE_URL).netloc.lower(), request.get_host().lower()}


def live_article(url, request):
    """The live copy ``url`` shows (its article page or embed, in any
    language, at this site's address or the one asked), or ``Refused``:
    400 for what is not an absolute http(s) URL, 404 for anything else."""
    try:
        parts = urlsplit(url)
        host = parts.netloc.lower()
    except ValueError:  # a malformed IPv6 host, for one
        raise Refused(400, "url is not an absolute http or https address.") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise Refused(400, "url is not an absolute http or https address.")
    if host not in _our_hosts(request):
        raise Refused(404, "url is not an address of this site.")
    path = unquote(parts.path or "/")
    # Without its last slash, as the site redirects it (APPEND_SLASH).
    for candidate in (path, f"{path}/") if not path.endswith("/") else (path,):
        found = _resolve(candidate)
        if found is not None:
            view_name, slug, language = found
            live = _live(slug, language) if view_name in ARTICLE_URL_NAMES else None
            if live is not None:
                return live
            break
    raise Refused(404, "url is not the address of a published article of this site.")


def _resolve(path):
    """(URL name, slug, language) of the page at ``path``, or None."""
    for code, _ in settings.LANGUAGES:
        # A language's prefix (/es/) matches only while it is active.
        with translation.override(code):
            try:
                match = resolve(path)
            except Resolver404:
                continue
        return match.view_name, match.kwargs.get("slug"), code
    return None


def _live(slug, language):
    """The live copy at ``slug`` in ``language``, or the one its page
    redirects to (an old address, a replacement, the English address of a
    translation)."""
    live = Condition.objects.live(language).filter(slug=slug).first()
    return live if live is not None else missing.find(slug, language).moved_to


def size(request):
    """(width, height) of the iframe within the request's maxima."""
    width = min(WIDTH, request.maxwidth or WIDTH)
    height = min(HEIGHT, request.maxheight or HEIGHT)
    return width, height


def iframe_title(condition):
    return f"{condition.title} · {settings.CONTENT_PUBLISHER}"


def answer(condition, request):
    """The oEmbed answer (a ``rich`` type) for the live copy ``condition``."""
    width, height = size(request)
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy"'
        ' sandbox="allow-popups allow-popups-to-escape-sandbox"'
        ' referrerpolicy="strict-origin-when-cross-origin"></iframe>',
        embed_url(condition),
        width,
        height,
        iframe_title(condition),
    )
    return {
        "type": "rich",
        "version": "1.0",
        "title": condition.title,
        "author_name": settings.CONTENT_PUBLISHER,
        "author_url": article_url(condition),
        "provider_name": settings.CONTENT_PUBLISHER,
        "provider_url": f"{settings.SITE_URL}/",
        "cache_age": CACHE_AGE,
        "html": str(html),
        "width": width,
        "height": height,
    }


def to_xml(data):
    """The answer as oEmbed's XML: ``<oembed>`` with one element a field."""
    root = ET.Element("oembed")
    for name, value in data.items():
        ET.SubElement(root, name).text = _NOT_XML.sub("", str(value))
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n{body}\n'.encode()
