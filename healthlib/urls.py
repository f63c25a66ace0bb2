"""Root URLs. The public addresses are a contract (DESIGN.md)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from conditions import embed_views
from healthlib import views
from healthlib.lib.media import serve_media

# JSON under /api/, HTML elsewhere.
handler404 = "healthlib.lib.errors.page_not_found"
handler500 = "healthlib.lib.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Email providers' bounce and complaint webhooks (newsletter.webhooks),
    # closed without ANYMAIL_WEBHOOK_SECRET (newsletter.webhook_urls).
    path("anymail/", include("newsletter.webhook_urls")),
    path("api/", include("conditions.api.urls")),
    # oEmbed for the articles' pages (https://oembed.com): one address for
    # every language, the language is the url's.
    path("oembed/", embed_views.oembed, name="oembed"),
    # CDS Hooks: /cds-services and /cds-services/<id> (conditions.api.cds).
    path("", include("conditions.api.cds_urls")),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.cached_sitemap, {"sitemaps": views.SITEMAPS}, name="sitemap"),
]
# Readers' pages: English without a prefix, every other language under its
# code (/es/conditions/…).
urlpatterns += i18n_patterns(
    path("newsletter/", include("newsletter.urls")),
    path("", include("conditions.search.urls")),
    path("", include("conditions.urls")),
    prefix_default_language=False,
)

if settings.DEBUG or settings.SERVE_MEDIA:
    # Uploaded figures. In production put them behind the web server or
    # object storage; SERVE_MEDIA is for a single-host deployment.
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve_media,
        ),
    ]
