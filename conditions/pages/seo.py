"""For search engines: schema.org JSON-LD for the article page. (The
library's sitemaps are ``conditions.sitemaps``; /sitemap.xml and
/robots.txt are the project's, in ``healthlib.views``.)

The JSON-LD is built as a dict from the ``ArticlePage`` the page already
loaded (no extra queries) and serialized with ``json.dumps``, then made safe
for a ``<script>`` element the way Django's ``json_script`` does.
"""

import json
from html import unescape
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from conditions import selectors
from conditions.models import Condition, codes

# As django.utils.html.json_script: nothing in the data can close the
# <script> element or start a comment.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

AUDIENCE_TYPES = {
    Condition.Audience.PATIENT: "Patient",
    Condition.Audience.CAREGIVER: "Caregiver",
    Condition.Audience.CLINICIAN: "Clinician",
}


def absolute(url, site_url=None):
    """``url`` made absolute on the public site."""
    if not url or "://" in url:
        return url
    return (site_url or settings.SITE_URL) + url


def _drug(drug, site_url):
    data = {
        "@type": "Drug",
        "name": drug.display_name,
        "url": absolute(drug.get_absolute_url(), site_url),
    }
    if drug.other_name_list:
        data["alternateName"] = drug.other_name_list
    if drug.rxnorm_code:
        data["code"] = {
            "@type": "MedicalCode",
            "codeValue": drug.rxnorm_code,
            "codingSystem": codes.CODING_SYSTEM_NAMES[codes.RXNORM],
        }
    return data


def drug_page(drug, classes=(), site_url=None):
    """The schema.org ``Drug`` of a drug's page, as a dict: what the page
    shows (its names, its RxNorm code, its description, the classes articles
    list it under, its official label)."""
    site_url = site_url or settings.SITE_URL
    data = {"@context": "https://schema.org", **_drug(drug, site_url)}
    data["@id"] = data["url"]
    if drug.display_name != drug.name:
        # The page is in another language: the name the code is known by too.
        data["alternateName"] = [drug.name, *data.get("alternateName", [])]
    if drug.description:
        data["description"] = drug.description
    if classes:
        data["drugClass"] = [{"@type": "DrugClass", "name": name} for name in classes]
    if drug.label_link:
        data["labelDetails"] = drug.label_link
    return data


def _treatments(drug_groups, site_url):
    treatments = []
    for group in drug_groups:
        drugs = [_drug(d, site_url) for d in group.drugs]
        if group.heading:
            treatments.append({"@type": "DrugClass", "name": group.heading, "drug": drugs})
        else:
            treatments.extend(drugs)
    return treatments


def _citation(ref):
    if not (ref.title or ref.journal or ref.publisher):
        return {"@type": "CreativeWork", "text": ref.citation_text}
    kind = "ScholarlyArticle" if ref.journal else "Book" if ref.is_book else "WebPage"
    data = {"@type": kind, "headline": ref.title, "text": ref.ama_text()}
    if ref.authors:
        data["author"] = ref.authors
    if ref.journal:
        data["isPartOf"] = {"@type": "Periodical", "name": ref.journal}
    if ref.publisher:
        data["publisher"] = {"@type": "Organization", "name": ref.publisher}
    if ref.edition:
        data["bookEdition" if kind == "Book" else "version"] = ref.edition
    if ref.year:
        data["datePublished"] = str(ref.year)
    if ref.link:
        data["url"] = ref.link
    if ref.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": ref.doi}
    elif ref.pmid:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "PMID", "value": ref.pmid}
    return data


def breadcrumb(condition, site_url=None):
    # The A–Z letter the article is filed under ("Úlcera": U; "Ñame": Ñ in Spanish).
    letter = selectors.letter_of(condition.title, condition.language)
    index = reverse("conditions:index")
    trail = [
        (gettext("Conditions"), index),
        (letter.upper(), f"{index}?{urlencode({'letter': letter})}"),
        (condition.title, condition.get_absolute_url()),
    ]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute(url, site_url)}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def language_of(condition):
    """The language an article is written in (``inLanguage``, ``og:locale``)."""
    return condition.language


# Open Graph wants a territory; the library serves readers in the United States.
OG_LOCALES = {"en": "en_US", "es": "es_US"}


def og_locale(language):
    return OG_LOCALES.get(language, language)


def medical_web_page(page, site_url=None):
    """The schema.org ``MedicalWebPage`` of an article, as a dict."""
    site_url = site_url or settings.SITE_URL
    c = page.condition
    url = absolute(c.get_absolute_url(), site_url)
    about = {"@type": "MedicalCondition", "name": c.title}
    if c.alternate_name_list:
        about["alternateName"] = c.alternate_name_list
    if page.codes:
        about["code"] = [
            {
                "@type": "MedicalCode",
                "codeValue": code.code,
                "codingSystem": codes.CODING_SYSTEM_NAMES.get(code.system, code.system),
            }
            for code in page.codes
        ]
    treatments = _treatments(page.drug_groups, site_url)
    if treatments:
        about["possibleTreatment"] = treatments

    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": c.title,
        "headline": c.title,
        "inLanguage": language_of(c),
        "audience": {
            "@type": "MedicalAudience",
            "audienceType": AUDIENCE_TYPES.get(c.audience, "Patient"),
        },
        "breadcrumb": breadcrumb(c, site_url),
        "about": about,
        "mainEntity": about,
        "isPartOf": {"@type": "WebSite", "name": "healthlib", "url": site_url + "/"},
    }
    if c.summary:
        data["description"] = c.summary
    reviewed = [c.last_reviewed] if c.last_reviewed else []
    reviewed += [s.decided_on for s in page.signoffs]
    if reviewed:
        data["lastReviewed"] = max(reviewed).isoformat()
    reviewers = [(c.reviewer_name, c.reviewer_credentials)] if c.reviewer_name else []
    # Every outside specialist who signed off the live revision too.
    reviewers += [(s.name, s.credentials) for s in page.signoffs]
    if reviewers:
        people = [_person(name, credentials) for name, credentials in reviewers]
        data["reviewedBy"] = people[0] if len(people) == 1 else people
    if c.first_published_at:
        data["datePublished"] = c.first_published_at.isoformat()
    if c.published_at:
        data["dateModified"] = c.published_at.isoformat()
    if page.tags:
        data["keywords"] = ", ".join(tag.display_name for tag in page.tags)
    if page.figures:
        data["image"] = [absolute(f.src, site_url) for f in page.figures if f.src]
    if page.references:
        data["citation"] = [_citation(ref) for ref in page.references]
    if page.urgent_help:
        data["hasPart"] = [
            {
                "@type": "WebPageElement",
                "name": s.display_heading,
                "cssSelector": f"#{s.anchor}",
                "text": " ".join(unescape(strip_tags(s.body_html)).split())
                + " "
                + gettext("Emergency number: %(number)s.") % {"number": settings.EMERGENCY_NUMBER},
            }
            for s in page.urgent_help
        ]
    return data


def _person(name, credentials):
    person = {"@type": "Person", "name": name}
    if credentials:
        person["honorificSuffix"] = credentials
    return person


def jsonld_script(data):
    """``data`` as a ``<script type="application/ld+json">`` element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
