"""CDS Hooks cards: one per published article (or drug) that fits the
patient, each linking to the page readers see, in the patient's language
where the library publishes it, and naming who publishes it, who reviewed
it and under what licence (the site's CONTENT_* settings, as the API's
attribution).

A card is the CDS Hooks 2.0 Card: ``summary`` (under 140 characters),
``indicator`` ``info``, ``source`` (the publisher), ``detail`` (GitHub
Flavored Markdown: the article's summary and the attribution) and
``links`` of type ``absolute``. Its ``uuid`` is derived from the hook
call and the page, so the same call gets the same cards."""

import re
import uuid

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from conditions.pages.seo import absolute
from conditions.pages.translations import display_name

SUMMARY_LIMIT = 140
ARTICLES_PER_DRUG = 5
_NAMESPACE = uuid.UUID("5b0c7c6e-6f1d-4a55-9a4e-7c1c2b0de0a1")
# Characters GitHub Flavored Markdown would read as markup in plain text.
_MARKUP = re.compile(r"([\\`*_\[\]<>|#~!])")


def markdown_text(text):
    """Plain ``text`` as Markdown that shows it as it is, on one line."""
    return _MARKUP.sub(r"\\\1", " ".join((text or "").split()))


def _summary(template, name):
    """``template`` with ``name`` cut short enough for CDS Hooks' 140."""
    room = SUMMARY_LIMIT - len(template % {"name": ""})
    if len(name) > room:
        name = name[: room - 1].rstrip() + "…"
    return template % {"name": name}


def source():
    """Who the cards come from."""
    return {"label": settings.CONTENT_PUBLISHER, "url": settings.SITE_URL + "/"}


def _card_id(hook_instance, url):
    return str(uuid.uuid5(_NAMESPACE, f"{hook_instance} {url}"))


def attribution(condition=None):
    """The attribution of the article ``condition`` (or of the library), as
    a Markdown line."""
    parts = [_("From %(publisher)s.") % {"publisher": settings.CONTENT_PUBLISHER}]
    reviewer = ""
    if condition is not None:
        reviewer = ", ".join(
            p for p in (condition.reviewer_name, condition.reviewer_credentials) if p
        )
    if reviewer and condition.last_reviewed:
        parts.append(
            _("Medically reviewed by %(reviewer)s on %(date)s.")
            % {"reviewer": reviewer, "date": formats.date_format(condition.last_reviewed)}
        )
    elif reviewer:
        parts.append(_("Medically reviewed by %(reviewer)s.") % {"reviewer": reviewer})
    licence = settings.CONTENT_LICENCE_NAME
    if licence:
        parts.append(_("Licence: %(licence)s.") % {"licence": licence})
    return markdown_text(" ".join(parts))


def article_card(condition, hook_instance):
    """The card for a live copy, in its own language."""
    url = absolute(condition.get_absolute_url())
    with translation.override(condition.language):
        detail = [markdown_text(condition.summary)] if condition.summary.strip() else []
        detail.append(attribution(condition))
        return {
            "uuid": _card_id(hook_instance, url),
            "summary": _summary(_("Patient information: %(name)s"), condition.title),
            "detail": "\n\n".join(detail),
            "indicator": "info",
            "source": source(),
            "links": [
                {
                    "label": _summary(_("Read “%(name)s”"), condition.title),
                    "url": url,
                    "type": "absolute",
                }
            ],
        }


def drug_card(drug, articles, hook_instance):
    """The card for ``drug`` and the live copies that list it (all in one
    language: the drug's page is in theirs)."""
    language = articles[0].language
    with translation.override(language):
        url = absolute(drug.get_absolute_url())
        name = display_name(drug, language)
        shown = articles[:ARTICLES_PER_DRUG]
        titles = ", ".join(markdown_text(a.title) for a in shown)
        detail = [
            _("Listed in the library's articles: %(titles)s.") % {"titles": titles},
            attribution(),
        ]
        links = [
            {
                "label": _summary(_("About the drug %(name)s"), name),
                "url": url,
                "type": "absolute",
            },
            *(
                {
                    "label": _summary(_("Read “%(name)s”"), article.title),
                    "url": absolute(article.get_absolute_url()),
                    "type": "absolute",
                }
                for article in shown
            ),
        ]
        return {
            "uuid": _card_id(hook_instance, url),
            "summary": _summary(_("Drug information: %(name)s"), name),
            "detail": "\n\n".join(detail),
            "indicator": "info",
            "source": source(),
            "links": links,
        }
