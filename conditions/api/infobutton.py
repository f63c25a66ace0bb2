"""The code look-up as an HL7 Infobutton answers it, shaped as MedlinePlus
Connect's answers, so that an EHR set up for MedlinePlus Connect can ask
/api/lookup/ instead, unchanged:

- ``answer_format``: which answer a request asks for, from its query alone
  (the view and the refusal of a malformed parameter both ask it);
- ``feed``: the answer, an Atom 1.0 feed as data in MedlinePlus Connect's
  JSON form (each element an object: ``_value`` its text, any other string
  its attributes, objects and lists its children);
- ``respond``: that data written as Atom XML, JSON or JSONP, with what every
  API answer shares (the ETag, 304s);
- ``refusal``: a 400 written in the format asked for.

Every text in a feed is plain text escaped here, or HTML built here from
escaped text: nothing stored is passed through as markup.
"""

import datetime
import io
import json
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from conditions.api import ATOM, CALLBACK_PATTERN, DEFAULT_CALLBACK, FEED_JSON, JSONP, schemas
from conditions.models import Condition, Section, codes
from conditions.pages.seo import absolute
from conditions.pages.translations import SOURCE_LANGUAGE
from healthlib.lib.http import body_etag, conditional
from healthlib.lib.markdown import strip_html

# The short form's JSON (``schemas.LookupResult``): not an infobutton answer.
SHORT_FORM = "short"
RESPONSE_TYPE = "knowledgeResponseType"
INFOBUTTON_CODE = "mainSearchCriteria.v.c"
CONTENT_TYPES = {
    ATOM: "text/xml; charset=utf-8",
    FEED_JSON: "application/json",
    JSONP: "application/javascript; charset=utf-8",
}
ATOM_NS = "http://www.w3.org/2005/Atom"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# The JSON form's names of XML's own attributes.
XML_NAMES = {"lang": "xml:lang", "base": "xml:base", "xsi": "xmlns:xsi"}
# What XML 1.0 cannot hold (control characters, U+FFFE, U+FFFF); dropped
# from every text, in every format, so that the three say the same.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def answer_format(query):
    """What a look-up's ``query`` (its GET) asks for: ``SHORT_FORM`` when it
    has neither knowledgeResponseType nor mainSearchCriteria.v.c, else the
    knowledgeResponseType (text/xml, the default; application/json, "json"
    for short; application/javascript); None when that is none of them.
    The last value of a repeated parameter counts, as in the parameters."""
    if RESPONSE_TYPE not in query:
        return ATOM if INFOBUTTON_CODE in query else SHORT_FORM
    asked = query[RESPONSE_TYPE]
    if asked == "json":
        return FEED_JSON
    return asked if asked in CONTENT_TYPES else None


def callback_name(query):
    """The JSONP function ``query`` names (``callback``, default
    ``DEFAULT_CALLBACK``), or None when it is not a JavaScript name or a
    dotted path of names: then nothing is written around the JSON."""
    name = query.get("callback", DEFAULT_CALLBACK)
    return name if re.fullmatch(CALLBACK_PATTERN, name) else None


def _strings(descriptions):
    return {
        media_type: {"schema": {"type": "string", "description": text}}
        for media_type, text in descriptions.items()
    }


# What the OpenAPI document says of the answers written here, beside the
# JSON's schemas (``schemas.InfobuttonFeed``, ``schemas.Error``).
DOCUMENTED_ANSWERS = _strings(
    {
        ATOM: "An Atom 1.0 feed (RFC 4287), the elements of InfobuttonFeed as XML: "
        "one entry per matching article.",
        JSONP: "/**/callback(InfobuttonFeed);",
    }
)
DOCUMENTED_REFUSALS = _strings(
    {
        ATOM: "<error><status>400</status><code>…</code><message>…</message>"
        "<parameter>…</parameter></error>",
        JSONP: '/**/callback({"error": …}); the API\'s JSON error when the callback is at fault.',
    }
)


# Finding articles beyond their codes.


def drug_listers(rxcui):
    """The English live copies' ids whose treatment lists the drug
    ``rxcui`` (codes are kept on English articles; translations are found
    through them): one query."""
    return list(
        Condition.objects.live(SOURCE_LANGUAGE)
        .filter(drug_groups__items__drug__rxnorm_code=rxcui)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


def named(name):
    """The English live copies' ids of the articles whose title or other
    name is ``name`` (any case), in any language: one query."""
    name = " ".join(name.split())
    wanted = name.casefold()
    if not wanted:
        return []
    rows = (
        Condition.objects.live(language=None)
        .filter(Q(title__iexact=name) | Q(alternate_names__icontains=name))
        .values_list("pk", "language", "title", "alternate_names", "translation_of__live_copy")
        .order_by("pk")
    )
    found = []
    for pk, language, title, others, source in rows:
        names = [title, *others.splitlines()]
        if any(" ".join(n.split()).casefold() == wanted for n in names):
            found.append(pk if language == SOURCE_LANGUAGE else source)
    return list(dict.fromkeys(f for f in found if f is not None))


def definitions(conditions):
    """{id: the first paragraph of its definition, as text} for those of
    ``conditions`` without a summary: one query, none when all have one."""
    missing = [c.pk for c in conditions if not c.summary.strip()]
    if not missing:
        return {}
    rows = (
        Section.objects.filter(condition__in=missing, kind=Section.Kind.DEFINITION)
        .order_by("condition", "order", "pk")
        .values_list("condition", "body_html")
    )
    found = {}
    for pk, html in rows:
        if pk not in found:
            first = re.search(r"<p>(.*?)</p>", html, re.S)
            found[pk] = " ".join(strip_html(first.group(1) if first else html).split())
    return found


# The feed.


def _when(moment):
    # RFC 3339 in UTC, to the second, as MedlinePlus Connect writes it.
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value, kind="text"):
    return {"_value": value, "type": kind}


def _summary(condition, definition):
    """The entry's summary, HTML in MedlinePlus Connect's classes: the
    other names (NLMalsoCalled), the summary (or its definition's first
    paragraph), who publishes and reviewed it (NLMattribution)."""
    parts = []
    if condition.alternate_name_list:
        parts.append(
            format_html(
                '<p class="NLMalsoCalled">{} {}</p>',
                _("Also called:"),
                ", ".join(condition.alternate_name_list),
            )
        )
    text = condition.summary.strip() or definition
    if text:
        parts.append(format_html("<p>{}</p>", text))
    reviewer = ", ".join(
        part for part in (condition.reviewer_name, condition.reviewer_credentials) if part
    )
    credit = settings.CONTENT_PUBLISHER
    if condition.last_reviewed:
        reviewed = formats.date_format(condition.last_reviewed, "DATE_FORMAT")
        if reviewer:
            reviewed = _("Last reviewed %(reviewed)s by %(reviewer)s") % {
                "reviewed": reviewed,
                "reviewer": reviewer,
            }
        else:
            reviewed = _("Last reviewed %(reviewed)s") % {"reviewed": reviewed}
        credit = f"{credit}. {reviewed}"
    parts.append(format_html('<p class="NLMattribution">{}</p>', credit))
    return "".join(parts)


def _entry(condition, definition):
    url = absolute(condition.get_absolute_url())
    with translation.override(condition.language):
        summary = _summary(condition, definition)
    return {
        "lang": condition.language,
        "title": _text(condition.title),
        "link": [
            {
                "href": url,
                "rel": "alternate",
                "type": "text/html",
                "hreflang": condition.language,
                "title": condition.title,
            }
        ],
        "id": {"_value": url},
        "updated": {"_value": _when(condition.updated_at)},
        "summary": _text(summary, "html"),
    }


def _clean(value):
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _rights():
    # "CC BY-NC-ND 4.0: Reuse it unchanged… https://creativecommons.org/…"
    name, text, url = (
        settings.CONTENT_LICENCE_NAME,
        settings.CONTENT_LICENCE_TEXT,
        settings.CONTENT_LICENCE_URL,
    )
    return " ".join(part for part in (f"{name}:" if name and text else name, text, url) if part)


def feed(*, language, code, system, display_name, recipient, results):
    """The feed of ``results`` (live copies, each in its own language) for
    the request, in ``language``, checked against ``schemas.InfobuttonFeed``:
    its JSON form, as answered. One query when an article has no summary
    (its definition is read), none otherwise."""
    summaries = definitions(results)
    publisher = settings.CONTENT_PUBLISHER
    site = absolute("/")
    oid = codes.LOOKUP_OID_OF.get(system)
    request = [
        (INFOBUTTON_CODE, code),
        ("mainSearchCriteria.v.cs", oid),
        ("informationRecipient.languageCode.c", language),
    ]
    with translation.override(language):
        if code:
            subtitle = _("%(publisher)s results for %(system)s %(code)s") % {
                "publisher": publisher,
                "system": codes.CODING_SYSTEM_NAMES[system],
                "code": code,
            }
        else:
            subtitle = _("%(publisher)s results") % {"publisher": publisher}
    licence_links = []
    if settings.CONTENT_LICENCE_URL:
        licence_links.append(
            {
                "href": settings.CONTENT_LICENCE_URL,
                "rel": "license",
                "type": "text/html",
                "title": settings.CONTENT_LICENCE_NAME,
            }
        )
    updated = max((c.updated_at for c in results), default=None) or timezone.now()
    data = {
        "feed": {
            "xsi": XSI_NS,
            "base": site,
            "lang": language,
            "title": _text(publisher),
            "updated": {"_value": _when(updated)},
            "id": {
                "_value": absolute(reverse("api:lookup"))
                + "?"
                + urlencode([(k, v) for k, v in request if v])
            },
            "author": {"name": {"_value": publisher}, "uri": {"_value": site}},
            "subtitle": _text(subtitle),
            "rights": _text(_rights()),
            "link": licence_links,
            "category": [
                {"scheme": INFOBUTTON_CODE, "term": code or ""},
                {"scheme": "mainSearchCriteria.v.cs", "term": (system or "").upper()},
                {"scheme": "mainSearchCriteria.v.dn", "term": display_name or ""},
                {"scheme": "informationRecipient", "term": recipient or "PAT"},
            ],
            "entry": [_entry(c, summaries.get(c.pk, "")) for c in results],
        }
    }
    return schemas.InfobuttonFeed.model_validate(_clean(data)).model_dump(by_alias=True)


# Writing it.


def _element(handler, name, value):
    if isinstance(value, list):
        for item in value:
            _element(handler, name, item)
        return
    attributes, children = {}, []
    for key, item in value.items():
        if isinstance(item, dict | list):
            children.append((key, item))
        elif key != "_value":
            attributes[XML_NAMES.get(key, key)] = str(item)
    if name == "feed":
        attributes = {"xmlns": ATOM_NS, **attributes}
    handler.startElement(name, attributes)
    if value.get("_value"):
        handler.characters(str(value["_value"]))
    for key, item in children:
        _element(handler, key, item)
    handler.endElement(name)


def xml(data):
    """``data`` in its JSON form (one root) as an XML document."""
    out = io.StringIO()
    handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    handler.startDocument()
    ((name, root),) = data.items()
    _element(handler, name, root)
    return out.getvalue().encode()


def _javascript(data, callback):
    # JSON is JavaScript once U+2028 and U+2029 are escaped (ensure_ascii
    # does); < > & escaped too, so that no markup survives a sniffing
    # client; the comment first, so that the answer never starts with bytes
    # a plug-in would read as its own format.
    body = json.dumps(data, cls=DjangoJSONEncoder)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        body = body.replace(char, escaped)
    return f"/**/{callback}({body});".encode()


def write(data, answer, callback=DEFAULT_CALLBACK):
    """``data`` (JSON form) as ``answer`` asks: (bytes, content type)."""
    if answer == ATOM:
        return xml(data), CONTENT_TYPES[ATOM]
    if answer == JSONP:
        return _javascript(data, callback), CONTENT_TYPES[JSONP]
    return json.dumps(data, cls=DjangoJSONEncoder).encode(), CONTENT_TYPES[FEED_JSON]


def respond(request, response, data, answer):
    """The feed ``data`` written into ``response`` (the API's answer in the
    making: its shared headers set), as ``answer`` asks; 304 when the
    client has it."""
    body, content_type = write(data, answer, callback_name(request.GET))
    response.content = body
    response["Content-Type"] = content_type
    if answer == JSONP:
        response["X-Content-Type-Options"] = "nosniff"
    return conditional(request, response, etag=body_etag(body))


def refusal(request, error):
    """The look-up's refusal ``error`` (the API's error object) in the
    format the request asked for: XML for an Atom feed, JSONP calling its
    callback; None for JSON (the API's own), or when the format or the
    callback is itself what is wrong."""
    answer = answer_format(request.GET)
    callback = callback_name(request.GET)
    if answer == ATOM:
        data = {"error": {key: {"_value": str(value)} for key, value in error.items()}}
        body, content_type = write(_clean(data), ATOM)
    elif answer == JSONP and callback is not None:
        body, content_type = write({"error": error}, JSONP, callback)
    else:
        return None
    response = HttpResponse(body, status=error["status"], content_type=content_type)
    if answer == JSONP:
        response["X-Content-Type-Options"] = "nosniff"
    return response
