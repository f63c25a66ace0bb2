"""What the article form shows editors: articles to link to, the
glossary's plain words, and the languages panel of a translation or of an
English article."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from conditions.models import Condition, GlossaryTerm

LINK_CHOICES = 10


def link_choices(query, *, limit=LINK_CHOICES):
    """Articles an editor may link to, found by title or alternate name,
    titles starting with the query first. Each says whether readers can
    reach it yet (a link to a draft blocks publishing)."""
    query = (query or "").strip()
    if not query:
        return []
    found = (
        Condition.objects.editable()
        .filter(Q(title__icontains=query) | Q(alternate_names__icontains=query))
        .annotate(published=Exists(Condition.objects.live().filter(source=OuterRef("pk"))))
        .values("title", "slug", "alternate_names", "published", "status")[: limit * 3]
    )
    lowered = query.casefold()
    rows = sorted(
        found,
        key=lambda r: (not r["title"].casefold().startswith(lowered), r["title"].casefold()),
    )[:limit]
    return [
        {
            "title": r["title"],
            "slug": r["slug"],
            "published": r["published"],
            "also_called": [
                n.strip()
                for n in r["alternate_names"].splitlines()
                if n.strip() and lowered in n.casefold()
            ],
        }
        for r in rows
    ]


def glossary():
    """[(term, plain alternative)] for the hard-word hints."""
    return list(GlossaryTerm.objects.values_list("term", "plain"))


def source_changes_url(translation):
    """The admin's comparison of the English revision ``translation`` was
    made from with the English article as live now; None while the English
    article is not live."""
    source = translation.translation_of
    if source is None or source.live_revision_id is None:
        return None
    compare = reverse("admin:conditions_condition_compare", args=[source.pk])
    return f"{compare}?a={translation.translated_from_id or ''}&b={source.live_revision_id}"


def translation_panel(condition):
    """What the article form says about languages: on an English article,
    its translations and their state; on a translation, its source, the
    source revision it was made from and whether the source changed since."""
    if condition.is_translation:
        source = condition.translation_of
        made_from = condition.translated_from
        return {
            "source": source,
            "made_from": made_from,
            "source_updated_at": condition.source_updated_at,
            "source_changes_url": source_changes_url(condition),
        }
    return {
        "translations": list(
            condition.translations.filter(is_live=False)
            .only("pk", "title", "language", "status", "source_updated_at", "live_revision_id")
            .order_by("language")
        )
    }
