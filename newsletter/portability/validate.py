"""Check the newsletter's part of a document whose shape and types
``schema.json`` has already checked."""

import json

from healthlib.portability.checker import items

from ..models import Edition, Newsletter, ResearchSummary
from .export import EDITION_FIELDS, NEWSLETTER_FIELDS, SUMMARY_FIELDS


def validate(doc, check, known):
    """Add this part's problems to ``check``; articles and tags are the ones
    the health library's part left in ``known``."""
    article_slugs = known.get("article_slugs", set())
    tag_names = known.get("tag_names", set())
    editions = []
    for path, entry in items(doc, "newsletters"):
        check.fields(entry, path, NEWSLETTER_FIELDS, Newsletter)
        check.time(entry, "created_at", path)
        for epath, edition in items(entry, "editions", path):
            editions.append((epath, edition))
            check.fields(
                edition, epath, (*EDITION_FIELDS, "issue_date"), Edition, exclude=("newsletter",)
            )
            for name in ("sent_at", "created_at", "updated_at"):
                check.time(edition, name, epath, required=name != "sent_at")
            for spath, summary in items(edition, "summaries", epath):
                check.fields(
                    summary,
                    spath,
                    (*SUMMARY_FIELDS, "source_date"),
                    ResearchSummary,
                    exclude=("edition",),
                )
                for apath, slug in items(summary, "related_articles", spath):
                    if slug not in article_slugs:
                        check.add(apath, f"no article {json.dumps(slug)} in this document")
                for tpath, tag in items(summary, "tags", spath):
                    if tag.casefold() not in tag_names:
                        check.add(tpath, f"the tag {json.dumps(tag)} is not in tags")
    # Edition addresses are unique across every newsletter.
    check.unique(editions, ("slug",), fold=())
