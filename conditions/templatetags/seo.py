"""Template tags for search engines' metadata on readers' pages."""

from django import template

from conditions import selectors
from conditions.pages import seo

register = template.Library()


@register.simple_tag
def article_jsonld(page):
    """The article's schema.org JSON-LD ``<script>``, from the loaded page."""
    return seo.jsonld_script(seo.medical_web_page(page))


@register.filter
def az_letter(condition):
    """The A–Z letter ``condition`` is filed under, in its language."""
    return selectors.letter_of(condition.title, condition.language)


@register.simple_tag
def og_locale(condition):
    """``og:locale`` of an article: en_US, es_US…"""
    return seo.og_locale(seo.language_of(condition))


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    return seo.absolute(url, context.get("SITE_URL"))


@register.simple_tag
def drug_jsonld(drug, classes=()):
    """A drug page's schema.org ``Drug`` JSON-LD ``<script>``."""
    return seo.jsonld_script(seo.drug_page(drug, classes))
