"""The pages partners reuse an article with: the embed, a compact page of
the live article that any site (or the sites ``EMBED_FRAME_ANCESTORS``
names) may frame, and its oEmbed description (``conditions.pages.embed``).

The embed is the only page that may be framed: it sends
``Content-Security-Policy: frame-ancestors`` from ``EMBED_FRAME_ANCESTORS``
and no ``X-Frame-Options``; every other page keeps ``DENY``. It is cached
under the article page's tag, so a publish purges both; it carries no
form, no script and no cookie, and asks search engines to index the
article's page (``noindex``, ``rel=canonical``).
"""

import functools

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from conditions import selectors
from conditions.api.api import get_and_head_only, partner_gate
from conditions.models import Condition
from conditions.pages import attribution, embed
from conditions.pages.missing import find as find_missing
from conditions.pages.translations import current_language
from conditions.publishing import invalidation
from healthlib.lib import markdown
from healthlib.lib.errors import json_error
from healthlib.lib.http import body_etag, conditional
from healthlib.lib.pagecache import cached_page


def _frameable(response):
    """Let partners' pages frame ``response``: django-csp's per-view policy
    and what Django's ``xframe_options_exempt`` sets, on the response itself
    so that the page cache keeps them for its hits."""
    response._csp_replace = {"frame-ancestors": embed.frame_ancestors()}
    response.xframe_options_exempt = True
    response["X-Robots-Tag"] = "noindex"
    return response


@cached_page(lambda request, slug: [invalidation.article_tag(slug)])
def embed_article(request, slug):
    language = current_language()
    try:
        live = Condition.objects.live(language).get(slug=slug)
    except Condition.DoesNotExist:
        return _frameable(_missing(request, slug, language))
    page = selectors.embed_page(live)
    article_url = embed.article_url(live)
    for section in page.sections:
        # Links go to this site, in a new tab: never inside the frame.
        section.embed_html = markdown.links_open_elsewhere(section.body_html, article_url)
    licence_text, licence_language = attribution.licence_text()
    return _frameable(
        render(
            request,
            "conditions/embed.html",
            {
                "page": page,
                "c": live,
                "article_url": article_url,
                "attribution": attribution.of(live),
                "publisher": settings.CONTENT_PUBLISHER,
                "licence_text": licence_text,
                "licence_language": licence_language,
            },
        )
    )


def _missing(request, slug, language):
    """As the article page answers (``conditions.pages.missing``): a moved
    article's embed is at its new address; an archived one is gone (410);
    anything else is not here (404). A compact page either way, which the
    partner's frame can show."""
    missing = find_missing(slug, language)
    if missing.moved_to is not None:
        return redirect(embed.embed_path(missing.moved_to), permanent=True)
    gone = missing.gone is not None
    return render(
        request,
        "conditions/embed_missing.html",
        {"gone": gone, "english": missing.english, "publisher": settings.CONTENT_PUBLISHER},
        status=410 if gone else 404,
    )


def _readable_anywhere(view):
    """Any origin may read the answer, a refusal included (CORS)."""

    @functools.wraps(view)
    def read(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["X-Robots-Tag"] = "noindex"
        return response

    return read


@_readable_anywhere
@get_and_head_only
@partner_gate
def oembed(request):
    """oEmbed 1.0 for an article's page or embed (``?url=``, ``maxwidth``,
    ``maxheight``, ``format=json|xml``): 400 for a malformed request, 404
    for a URL that is not a published article here, 501 for another format.
    Rate limited as the API, readable from any origin."""
    try:
        params = embed.parse(request.GET)
        live = embed.live_article(params.url, request)
    except embed.Refused as refusal:
        response = json_error(refusal.status, refusal.code, refusal.message)
    else:
        data = embed.answer(live, params)
        if params.format == "xml":
            response = HttpResponse(embed.to_xml(data), content_type="text/xml; charset=utf-8")
        else:
            response = JsonResponse(data)
        response["Cache-Control"] = f"public, max-age={embed.CACHE_AGE}"
        response = conditional(request, response, etag=body_etag(response.content))
    return response
