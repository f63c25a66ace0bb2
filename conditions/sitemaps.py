"""The health library's sitemaps: articles, drugs and topics, each with the
time it last changed. Only published content is listed. The project
composes them with other apps' into /sitemap.xml."""

from django.db.models import Max
from django.urls import reverse

from healthlib.sitemaps import SiteSitemap

from .models import Condition, Drug


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


SITEMAPS = {
    "articles": ArticleSitemap,
    "drugs": DrugSitemap,
    "topics": TopicSitemap,
}
