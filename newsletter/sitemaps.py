"""The newsletter's sitemap: sent editions."""

from healthlib.lib.sitemaps import SiteSitemap
from newsletter.models import Edition


class EditionSitemap(SiteSitemap):
    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return Edition.objects.sent().order_by("-issue_date", "-pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"editions": EditionSitemap}
