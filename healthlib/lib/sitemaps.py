"""The base of every sitemap: absolute addresses on ``SITE_URL``, and the
``hreflang`` alternates of pages that exist in several languages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap


class SiteSitemap(Sitemap):
    """Absolute URLs on ``settings.SITE_URL``, whatever host the request used.

    A page in several languages lists each of them (itself included) as an
    ``<xhtml:link rel="alternate" hreflang="…">``, and English as
    ``x-default``: a sitemap says what ``versions(item)`` returns. Django's
    own ``i18n``/``alternates`` cannot be used, as it builds the other
    languages' addresses by reversing the same arguments, and a translation
    has a slug of its own; its template writes our alternates all the same.
    """

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")

    def versions(self, item):
        """{language: path} of ``item``'s page in each language it is in."""
        return {}

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            versions = self.versions(url["item"])
            if len(versions) < 2:
                continue
            # In settings.LANGUAGES' order, so the bytes do not depend on the rows'.
            url["alternates"] = [
                {"lang_code": code, "location": f"{base}{versions[code]}"}
                for code, _ in settings.LANGUAGES
                if code in versions
            ]
            if settings.LANGUAGE_CODE in versions:
                url["alternates"].append(
                    {
                        "lang_code": "x-default",
                        "location": f"{base}{versions[settings.LANGUAGE_CODE]}",
                    }
                )
        return urls
