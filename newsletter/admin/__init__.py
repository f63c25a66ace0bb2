"""Newsletter editors' admin. Each module registers its own models; importing
them here is what makes ``admin.autodiscover()`` find them."""

from newsletter.admin import digests, editions, subscribers  # noqa: F401
