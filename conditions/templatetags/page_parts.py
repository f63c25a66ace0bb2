"""The places on the library's pages where the project adds its own parts.

A template of this app leaves a place open with ``{% page_parts "name" %}``;
``settings.CONDITIONS_PAGE_PARTS`` maps each place's name to a list of
templates, rendered there in order with the page's context. A place the
setting does not name renders nothing, so this app stands alone and names
no other: the project puts the newsletter's blocks on the article page and
the home page this way (``healthlib/settings.py``).

Places: ``after_article`` (the article page, after the article and its
feedback form; the preview too) and ``home_extra`` (the end of the home
page).
"""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def page_parts(context, place):
    names = getattr(settings, "CONDITIONS_PAGE_PARTS", {}).get(place, ())
    parts = [context.template.engine.get_template(name) for name in names]
    # Rendered as {% include %} renders: with the page's context, in a layer
    # of its own that a part cannot leave anything behind in.
    with context.push():
        rendered = "".join(part.render(context) for part in parts)
    return mark_safe(rendered)  # noqa: S308 - templates rendered with autoescaping
