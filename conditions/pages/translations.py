"""Languages of the library: which languages an article is read in, the
names of shared records in a language, and the addresses of an article's
versions in every language (the language switcher, hreflang, the sitemap).

English (``settings.LANGUAGE_CODE``) is the source language. A translation
is a ``Condition`` of its own with ``translation_of`` set; its workflow is
an article's (``conditions.services``); what is particular to translations
(making one, "source updated") lives in ``services`` too.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy

SOURCE_LANGUAGE = settings.LANGUAGE_CODE


def language_name(code):
    return dict(settings.LANGUAGES).get(code, code)


# Language names as they read inside a sentence ("Nothing in English
# matches"): Spanish writes them in lower case, where Django's names, made to
# stand alone, start with a capital ("Inglés").
_IN_A_SENTENCE = {
    "en": pgettext_lazy("language name inside a sentence", "English"),
    "es": pgettext_lazy("language name inside a sentence", "Spanish"),
}


def language_in_sentence(code):
    """The name of the language ``code`` in the active language, as it is
    written inside a sentence."""
    if code in _IN_A_SENTENCE:
        return str(_IN_A_SENTENCE[code])
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return language_name(code)


def translation_languages():
    """The languages an article can be translated into."""
    return [code for code, _ in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def display_name(obj, language=None):
    """A drug's or organization's name in ``language`` (the active one by
    default), or its own name when it has none there."""
    language = language or translation.get_language() or SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE:
        return obj.name
    return (getattr(obj, "names", None) or {}).get(language) or obj.name


def current_language():
    """The active language as one of ``settings.LANGUAGES``' codes (readers'
    pages list the articles of the language they are in)."""
    try:
        return translation.get_supported_language_variant(
            translation.get_language() or SOURCE_LANGUAGE
        )
    except LookupError:
        return SOURCE_LANGUAGE
