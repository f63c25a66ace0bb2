"""What an article's address means when no live article has it now: the
article moved (an old slug, a replacement, the English address of a
translation), was archived, or is not translated. The article page and its
embed (``conditions.embed_views``) answer the same way, each with pages of
its own.
"""

from dataclasses import dataclass

from conditions.models import Condition, SlugRedirect
from conditions.pages import translations


@dataclass(frozen=True)
class Missing:
    """At most one is set; none: the address never had an article (404)."""

    # The live copy the address leads to now (a permanent redirect).
    moved_to: Condition | None = None
    # The archived article, with no live replacement (410 Gone).
    gone: Condition | None = None
    # A translation's address in a language the article is not in: the
    # English live copy (404, saying so).
    english: Condition | None = None


def find(slug, language):
    """Why ``slug`` in ``language`` has no live article (``Missing``)."""
    moved = (
        SlugRedirect.objects.filter(language=language, old_slug=slug)
        .select_related("condition__live_copy")
        .first()
    )
    live = getattr(moved.condition, "live_copy", None) if moved else None
    if live is not None:
        return Missing(moved_to=live)
    if language != translations.SOURCE_LANGUAGE:
        return _not_translated(slug, language)
    archived = (
        Condition.objects.editable()
        .filter(slug=slug, status=Condition.Status.ARCHIVED)
        .select_related("replaced_by__live_copy")
        .first()
    )
    if archived is None:
        return Missing()
    replacement = archived.replaced_by
    live_replacement = getattr(replacement, "live_copy", None) if replacement else None
    if live_replacement is not None:
        return Missing(moved_to=live_replacement)
    return Missing(gone=archived)


def _not_translated(slug, language):
    """The English address of an article translated under another slug
    leads to the translation; an article not translated is the English one."""
    translated = (
        Condition.objects.live(language)
        .filter(translation_of__slug=slug, translation_of__is_live=False)
        .only("slug", "language")
        .first()
    )
    if translated is not None:
        return Missing(moved_to=translated)
    english = Condition.objects.live().filter(slug=slug).only("title", "slug", "language").first()
    return Missing(english=english)
