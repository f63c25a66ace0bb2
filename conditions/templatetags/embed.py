"""The article page's oEmbed discovery links (``conditions.pages.embed``)."""

from django import template
from django.utils.html import format_html_join

from conditions.pages import embed

register = template.Library()

MEDIA_TYPES = {"json": "application/json+oembed", "xml": "text/xml+oembed"}


@register.simple_tag
def oembed_links(condition):
    """``<link rel="alternate">`` to the oEmbed answers about the live copy
    ``condition``'s page, one per format, as https://oembed.com describes."""
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" href="{}" title="{}">',
        (
            (MEDIA_TYPES[name], embed.discovery_url(condition, name), condition.title)
            for name in embed.FORMATS
        ),
    )
