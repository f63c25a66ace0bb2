"""The health library's sitemaps: articles, drugs, topics and the index
pages, in every language they are published in, each with the time it last
changed and its other languages' addresses (hreflang). Only published
content is listed. The project composes them with other apps' into
/sitemap.xml."""

from collections import defaultdict

from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from conditions.models import Condition, Drug
from healthlib.lib.sitemaps import SiteSitemap


def _in(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


class ArticleSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return (
            Condition.objects.live(language=None)
            .only("slug", "language", "language_versions", "updated_at")
            .order_by("language", "title", "pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def versions(self, item):
        # Kept on the live copy when any language version goes live or away.
        return item.language_versions


class _PerLanguage(SiteSitemap):
    """Pages listed once per language that has published content for them
    (``rows``: dicts with "language", "key" and "lastmod")."""

    url_name = None

    def rows(self):
        raise NotImplementedError

    def items(self):
        rows = sorted(self.rows(), key=lambda r: (r["language"], r["key"]))
        self._languages = defaultdict(set)
        for row in rows:
            self._languages[row["key"]].add(row["language"])
        return rows

    def location(self, item):
        return _in(item["language"], self.url_name, item["key"])

    def lastmod(self, item):
        return item["lastmod"]

    def versions(self, item):
        return {
            language: _in(language, self.url_name, item["key"])
            for language in self._languages[item["key"]]
        }


class DrugSitemap(_PerLanguage):
    changefreq = "monthly"
    priority = 0.5
    url_name = "conditions:drug"

    def rows(self):
        # A drug page lists the articles naming it, so it changes with them;
        # it has a page in each language whose articles name it.
        language = "group_items__group__condition__language"
        found = (
            Drug.objects.filter(group_items__group__condition__is_live=True)
            .values("slug", "updated_at", language)
            .annotate(articles_updated=Max("group_items__group__condition__updated_at"))
            .order_by()
        )
        return [
            {
                "language": row[language],
                "key": row["slug"],
                "lastmod": max(row["updated_at"], row["articles_updated"]),
            }
            for row in found
        ]


class TopicSitemap(_PerLanguage):
    changefreq = "weekly"
    priority = 0.5
    url_name = "conditions:topic"

    def rows(self):
        found = (
            Condition.objects.live(language=None)
            .exclude(tags__slug=None)
            .values("tags__slug", "language")
            .annotate(lastmod=Max("updated_at"))
            .order_by()
        )
        return [
            {"language": row["language"], "key": row["tags__slug"], "lastmod": row["lastmod"]}
            for row in found
        ]


class IndexSitemap(SiteSitemap):
    """The home page and the A–Z, drug and topic indexes of each language
    that has published articles (/es/, /es/conditions/, …)."""

    changefreq = "weekly"
    priority = 0.6
    PAGES = (
        ("conditions:home", "articles"),
        ("conditions:index", "articles"),
        ("conditions:drugs", "drugs"),
        ("conditions:topics", "topics"),
    )

    def items(self):
        live = Condition.objects.live(language=None)
        updated = dict(
            live.values("language").annotate(last=Max("updated_at")).values_list("language", "last")
        )
        has = {
            "articles": set(updated),
            "drugs": set(
                live.filter(drug_groups__items__isnull=False).values_list("language", flat=True)
            ),
            "topics": set(live.exclude(tags=None).values_list("language", flat=True)),
        }
        self._languages = {name: has[kind] for name, kind in self.PAGES}
        return [
            {"name": name, "language": language, "lastmod": updated[language]}
            for language in sorted(updated)
            for name, kind in self.PAGES
            if language in has[kind]
        ]

    def location(self, item):
        return _in(item["language"], item["name"])

    def lastmod(self, item):
        return item["lastmod"]

    def versions(self, item):
        return {language: _in(language, item["name"]) for language in self._languages[item["name"]]}


SITEMAPS = {
    "pages": IndexSitemap,
    "articles": ArticleSitemap,
    "drugs": DrugSitemap,
    "topics": TopicSitemap,
}
