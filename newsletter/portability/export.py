"""Export the newsletter's part of the content document.

Each edition carries its ``language`` and, for a version in another
language, ``translation_of``: the slug of its English edition in the same
newsletter. Documents written before languages (format version 1) have
neither: everything in them is English (see load and validate).
"""

from conditions.portability.export import time
from newsletter.models import Newsletter

NEWSLETTER_FIELDS = ("name", "description", "from_email")
EDITION_FIELDS = ("title", "slug", "intro", "status")
SUMMARY_FIELDS = ("order", "headline", "body", "journal", "doi", "url")


def _date(value):
    return value.isoformat() if value is not None else None


def _edition(edition):
    summaries = edition.summaries.prefetch_related("related_articles", "tags")
    return {
        **{f: getattr(edition, f) for f in EDITION_FIELDS},
        "language": edition.language,
        "translation_of": edition.translation_of.slug if edition.translation_of_id else None,
        "issue_date": _date(edition.issue_date),
        "sent_at": time(edition.sent_at),
        "created_at": time(edition.created_at),
        "updated_at": time(edition.updated_at),
        "summaries": [
            {
                **{f: getattr(s, f) for f in SUMMARY_FIELDS},
                "source_date": _date(s.source_date),
                "related_articles": sorted(c.slug for c in s.related_articles.all()),
                "tags": sorted(t.name for t in s.tags.all()),
            }
            for s in summaries.order_by("order", "pk")
        ],
    }


def export_part():
    """(this app's keys of the document, names of missing files: none)."""
    newsletters = []
    for newsletter in Newsletter.objects.order_by("pk"):
        # English editions before their versions: loading creates them first.
        editions = sorted(
            newsletter.editions.select_related("translation_of"),
            key=lambda e: (e.translation_of_id is not None, e.slug, e.language),
        )
        newsletters.append(
            {
                **{f: getattr(newsletter, f) for f in NEWSLETTER_FIELDS},
                "created_at": time(newsletter.created_at),
                "editions": [_edition(e) for e in editions],
            }
        )
    return {"newsletters": newsletters}, []


def counts():
    return {"newsletters": Newsletter.objects.count()}
