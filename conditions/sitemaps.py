"""/sitemap.xml: every public page search engines should know about, each
with the time it last changed. Only published content is listed."""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Condition, Drug


class SiteSitemap(Sitemap):
    """Absolute URLs on ``settings.SITE_URL``, whatever host the request used."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class ArticleSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Condition.objects.live().only("slug", "updated_at").order_by("title", "pk")

    def lastmod(self, item):
        return item.updated_at


class DrugSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        # A drug page lists the articles naming it, so it changes with them.
        return (
            Drug.objects.filter(group_items__group__condition__is_live=True)
            .annotate(articles_updated=Max("group_items__group__condition__updated_at"))
            .only("slug", "updated_at")
            .order_by("name")
        )

    def lastmod(self, item):
        return max(item.updated_at, item.articles_updated)


class TopicSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return list(
            Condition.objects.live()
            .exclude(tags__slug=None)
            .values("tags__slug")
            .annotate(lastmod=Max("updated_at"))
            .order_by("tags__slug")
        )

    def location(self, item):
        return reverse("conditions:topic", args=[item["tags__slug"]])

    def lastmod(self, item):
        return item["lastmod"]


class EditionSitemap(SiteSitemap):
    """Sent newsletter editions (none until the newsletter app has them)."""

    changefreq = "yearly"
    priority = 0.4

    def items(self):
        try:
            Edition = apps.get_model("newsletter", "Edition")
        except LookupError:
            return []
        editions = Edition.objects
        sent = editions.sent() if hasattr(editions, "sent") else editions.filter(status="sent")
        return sent.order_by("-issue_date", "-pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "articles": ArticleSitemap,
    "drugs": DrugSitemap,
    "topics": TopicSitemap,
    "editions": EditionSitemap,
}
