"""The editors' admin: articles with all their parts, shared records, readers'
feedback, specialists' sign-offs and their links' audit log. Each module
registers its own models; importing them here is what makes
``admin.autodiscover()`` find them."""

from conditions.admin import (  # noqa: F401
    articles,
    feedback,
    filters,
    inlines,
    partners,
    records,
    signoffs,
)
