"""Check the newsletter's part of a document whose shape and types
``schema.json`` has already checked."""

import json

from django.conf import settings

from healthlib.lib.filecheck import items
from newsletter.models import Edition, Newsletter, ResearchSummary
from newsletter.portability.export import EDITION_FIELDS, NEWSLETTER_FIELDS, SUMMARY_FIELDS


def validate(doc, check, known):
    """Add this part's problems to ``check``; articles and tags are the ones
    the health library's part left in ``known``."""
    article_slugs = known.get("article_slugs", set())
    tag_names = known.get("tag_names", set())
    # Languages came with format version 2; before, everything was English.
    with_languages = doc.get("version", 1) >= 2
    editions = {}
    for path, entry in items(doc, "newsletters"):
        check.fields(entry, path, NEWSLETTER_FIELDS, Newsletter)
        check.time(entry, "created_at", path)
        english = {
            edition["slug"]: edition
            for _, edition in items(entry, "editions", path)
            if edition.get("translation_of") is None
            and edition.get("language", settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE
        }
        versions = {}
        for epath, edition in items(entry, "editions", path):
            language = edition.get("language", settings.LANGUAGE_CODE)
            editions.setdefault(language, []).append((epath, edition))
            if with_languages:
                for name in ("language", "translation_of"):
                    if name not in edition:
                        check.add(f"{epath}.{name}", "missing")
            check.fields(
                edition,
                epath,
                (*EDITION_FIELDS, "issue_date"),
                Edition,
                exclude=("newsletter", "translation_of"),
                language=language,
            )
            _check_translation(check, epath, edition, language, english, versions)
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
    # Edition addresses are unique per language, across every newsletter.
    for entries in editions.values():
        check.unique(entries, ("slug",), fold=())


def _check_translation(check, path, edition, language, english, versions):
    """An English edition is no translation; a version in another language
    is one of an English edition of the same newsletter, once per language."""
    source = edition.get("translation_of")
    if language == settings.LANGUAGE_CODE:
        if source is not None:
            check.add(f"{path}.translation_of", "an English edition is not a translation")
        return
    if source is None:
        check.add(
            f"{path}.translation_of",
            "an edition in another language than English is a version of an English"
            " edition: name its slug",
        )
        return
    if source not in english:
        check.add(
            f"{path}.translation_of",
            f"no English edition {json.dumps(source)} in this newsletter",
        )
        return
    key = (source, language)
    if key in versions:
        check.add(
            f"{path}.translation_of",
            f"{json.dumps(source)} has two versions in {json.dumps(language)}"
            f" (also {versions[key]})",
        )
    else:
        versions[key] = path
