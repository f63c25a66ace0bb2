"""The project's own pages, composed from its apps: /robots.txt and
/sitemap.xml."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from conditions.publishing import invalidation
from conditions.sitemaps import SITEMAPS as LIBRARY_SITEMAPS
from healthlib.lib.pagecache import cached_page
from newsletter.sitemaps import SITEMAPS as NEWSLETTER_SITEMAPS

SITEMAPS = {**LIBRARY_SITEMAPS, **NEWSLETTER_SITEMAPS}


# Readers' pages not worth crawling, in every language (/es/search/ too).
NOT_CRAWLED = ("/preview/", "/search/", "/newsletter/confirm/", "/newsletter/unsubscribe/")


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    prefixes = [
        "" if code == settings.LANGUAGE_CODE else f"/{code}" for code, _ in settings.LANGUAGES
    ]
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *(f"Disallow: {prefix}{path}" for prefix in prefixes for path in NOT_CRAWLED),
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _page_number(value):
    # ?p= pages a sitemap past 50,000 addresses; page 1 is the sitemap itself.
    if not (value.isascii() and value.isdigit()) or len(value) > 6 or int(value) <= 1:
        return None
    return str(int(value))


@cached_page(lambda request, sitemaps: [invalidation.SITEMAP], query={"p": _page_number})
def cached_sitemap(request, sitemaps=SITEMAPS):
    """``/sitemap.xml`` from the page cache: building it reads every live
    article (1.5 s and 1.7 MB for 10,000), so it is built once per change
    (the ``sitemap`` tag) and answers ``If-None-Match`` with 304."""
    return sitemap_views.sitemap(request, sitemaps)
