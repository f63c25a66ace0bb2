"""The editors' admin: articles with all their parts, shared records, readers'
feedback. Each module registers its own models; importing them here is what
makes ``admin.autodiscover()`` find them."""

from conditions.admin import articles, feedback, filters, inlines, partners, records  # noqa: F401
