"""What a partner shows beside an article it reuses: who publishes it, who
reviewed it and when, the licence, and the link back to the article's page.

Configured per site (``CONTENT_PUBLISHER``, ``CONTENT_LICENCE_NAME``,
``CONTENT_LICENCE_URL``, ``CONTENT_LICENCE_TEXT``). The API's answers
(``conditions.api.parts.Attribution``) and the embed partners frame
(``conditions.embed_views``) say the same, from here.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from conditions.pages.seo import absolute
from conditions.pages.translations import SOURCE_LANGUAGE

# The default of CONTENT_LICENCE_TEXT (healthlib/settings.py), marked for
# translation: the embed shows it in the page's language. A sentence a site
# configured itself is shown as written.
DEFAULT_LICENCE_TEXT = gettext_noop(
    "Reuse it unchanged, not for profit, naming the publisher and linking back to the article."
)


def reviewer(condition):
    """The medical reviewer with credentials ("Ana Ruiz, MD"); may be empty."""
    return ", ".join(
        part for part in (condition.reviewer_name, condition.reviewer_credentials) if part
    )


def of(condition):
    """The attribution of the live copy ``condition``, as the API answers it."""
    return {
        "publisher": settings.CONTENT_PUBLISHER,
        "reviewed_by": reviewer(condition),
        "last_reviewed": condition.last_reviewed,
        "licence": {
            "name": settings.CONTENT_LICENCE_NAME,
            "url": settings.CONTENT_LICENCE_URL or None,
            "text": settings.CONTENT_LICENCE_TEXT,
        },
        "link": absolute(condition.get_absolute_url()),
    }


def licence_text():
    """(the licence sentence in the active language where there is a
    translation of it, the language it is in): the default sentence is
    translated; a site's own is in the source language."""
    text = settings.CONTENT_LICENCE_TEXT
    translated = gettext(text) if text else ""
    language = translation.get_language() or SOURCE_LANGUAGE
    if translated != text or not text:
        return translated, language
    return text, SOURCE_LANGUAGE
