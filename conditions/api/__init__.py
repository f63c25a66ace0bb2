"""The read-only JSON API over published articles, on django-ninja:
``api`` (the NinjaAPI and what every answer shares), ``views`` (the
operations), ``params`` (the query parameters) and ``schemas`` (the
answers). The OpenAPI document at /api/openapi.json is generated from the
last two.

The query parameters' patterns and limits live here, where both the
parameters and the answers' schemas read them."""

from django.conf import settings

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

LETTER_PATTERN = r"^([A-Za-z]|0-9)$"
# A topic's slug (taggit's, ASCII); empty means "any topic".
TAG_PATTERN = r"^[-A-Za-z0-9_]{0,100}$"
# ICD-10-CM (dotted or not, either case) or a SNOMED CT id; empty means none.
CODE_PATTERN = r"^([A-Za-z][0-9][0-9A-Za-z](\.?[0-9A-Za-z]{1,4})?|[0-9]{6,18})?$"
# The infobutton's code may also be an RxCUI (digits) or a LOINC code (2345-7).
INFOBUTTON_CODE_PATTERN = (
    r"^([A-Za-z][0-9][0-9A-Za-z](\.?[0-9A-Za-z]{1,4})?|[0-9]{1,18}|[0-9]{1,7}-[0-9])?$"
)
# knowledgeResponseType, as MedlinePlus Connect takes it: text/xml (an Atom
# feed, the default), application/json (the same feed as JSON; "json" is a
# common shorthand) and application/javascript (JSONP).
ATOM, FEED_JSON, JSONP = "text/xml", "application/json", "application/javascript"
KNOWLEDGE_RESPONSE_TYPES = (ATOM, FEED_JSON, "json", JSONP)
# A JSONP callback: a JavaScript name or a dotted path of names, ASCII only,
# so that it can only ever call a function.
CALLBACK_PATTERN = r"^[A-Za-z_$][0-9A-Za-z_$]{0,63}(\.[A-Za-z_$][0-9A-Za-z_$]{0,63}){0,7}$"
DEFAULT_CALLBACK = "callback"
# mainSearchCriteria.v.dn: the code's name, as the EHR shows it; printable.
DISPLAY_NAME_PATTERN = r"^[^\x00-\x1f\x7f]{0,200}$"
# informationRecipient: a patient (the default) or a provider.
RECIPIENTS = ("PAT", "PROV")

# The languages articles are published in (``lang``).
LANGUAGES = tuple(code for code, _ in settings.LANGUAGES)
# HL7 Infobutton's informationRecipient.languageCode.c: a language tag
# (ISO 639 with an optional region); one the library is not published in
# falls back to English, as MedlinePlus Connect does.
INFOBUTTON_LANGUAGE = "informationRecipient.languageCode.c"
INFOBUTTON_LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$"
# "sp" for Spanish, as some infobutton clients send it.
INFOBUTTON_LANGUAGE_ALIASES = {"sp": "es"}
