"""The newsletter on other apps' pages.

``{% newsletter_signup %}`` (no query), ``{% related_research condition %}``
(one query) and ``{% latest_research %}`` (one query).
"""

from django import template

from newsletter import selectors
from newsletter.forms import CONSENT_TEXT, SignUpForm

register = template.Library()


@register.inclusion_tag("newsletter/_signup_box.html", takes_context=True)
def newsletter_signup(context):
    # The path only: the page may be cached, and its query (a search, a
    # page number) is not the reader's to carry.
    request = context.get("request")
    return {
        "form": SignUpForm(initial={"next": request.path if request else ""}),
        "consent_text": CONSENT_TEXT,
    }


@register.inclusion_tag("newsletter/_related_research.html")
def related_research(condition):
    return {"summaries": selectors.summaries_for_article(condition)}


@register.inclusion_tag("newsletter/_latest_research.html")
def latest_research(limit=3):
    return {"summaries": selectors.latest_summaries(limit)}
