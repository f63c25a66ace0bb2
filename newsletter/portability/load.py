"""Load the newsletter's part of a checked document, after the health
library's part (summaries link to its articles).

An edition without ``language`` (a version-1 document) is English."""

from django.conf import settings
from django.utils.dateparse import parse_datetime

from conditions.models import Condition
from newsletter.models import Edition, Newsletter, ResearchSummary
from newsletter.portability.export import EDITION_FIELDS, NEWSLETTER_FIELDS, SUMMARY_FIELDS


def load(doc, summary, written):
    articles = {c.slug: c for c in Condition.objects.editable()}
    for entry in doc.get("newsletters") or ():
        _newsletter(entry, articles, summary)


def _newsletter(entry, articles, counts):
    newsletter = Newsletter.objects.create(**{f: entry[f] for f in NEWSLETTER_FIELDS})
    Newsletter.objects.filter(pk=newsletter.pk).update(
        created_at=parse_datetime(entry["created_at"])
    )
    english = {}
    items = entry.get("editions", ())
    # English editions first: versions in other languages point at them.
    for item in sorted(items, key=lambda item: item.get("translation_of") is not None):
        source = english.get(item.get("translation_of"))
        edition = Edition.objects.create(
            newsletter=newsletter,
            language=item.get("language", settings.LANGUAGE_CODE),
            translation_of=source,
            issue_date=item["issue_date"],
            sent_at=parse_datetime(item["sent_at"]) if item.get("sent_at") else None,
            **{f: item[f] for f in EDITION_FIELDS},
        )
        counts.editions += 1
        if source is None:
            english[edition.slug] = edition
        for summary_entry in item.get("summaries", ()):
            summary = ResearchSummary(
                edition=edition,
                source_date=summary_entry.get("source_date"),
                **{f: summary_entry[f] for f in SUMMARY_FIELDS},
            )
            summary.save()
            summary.related_articles.set(
                [articles[s] for s in summary_entry.get("related_articles", ())]
            )
            summary.tags.set(summary_entry.get("tags", []))
            counts.summaries += 1
        Edition.objects.filter(pk=edition.pk).update(
            created_at=parse_datetime(item["created_at"]),
            updated_at=parse_datetime(item["updated_at"]),
        )
