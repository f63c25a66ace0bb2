"""Translations of an English article: starting one, keeping track of the
English revision it was made from, and recording that English changes do
not affect it."""

from django.db import transaction
from django.utils import timezone

from conditions.models import REVIEW_PERMISSION, Condition
from conditions.pages import translations
from conditions.publishing import live as live_copy
from conditions.publishing import snapshots
from conditions.services.articles import _locked, _require, record_revision
from conditions.services.errors import WorkflowError

Status = Condition.Status


def missing_translations(condition):
    """The languages an English working copy has no translation in yet."""
    if condition.is_live or condition.is_translation or condition.status == Status.ARCHIVED:
        return []
    have = set(condition.translations.filter(is_live=False).values_list("language", flat=True))
    return [code for code in translations.translation_languages() if code not in have]


def _bring_up_to_date(translation):
    source_live = (
        Condition.objects.filter(pk=translation.translation_of_id)
        .values_list("live_revision_id", flat=True)
        .first()
    )
    if source_live is not None:
        translation.translated_from_id = source_live
    translation.source_updated_at = None


@transaction.atomic
def create_translation(*, source, language, user=None, data=None, comment=""):
    """Start the ``language`` translation of the English article ``source``:
    a draft of its own, made from the source's published text (or its
    latest, if it was never published), or from ``data`` (an imported
    translation) when given. It records which source revision it was made
    from. The medical codes stay with the source (lookups find the
    translation through it); related articles are chosen per language."""
    source = _locked(source)
    if source.is_live or source.translation_of_id or source.is_translation:
        raise WorkflowError("Only an English article can be translated.")
    if language not in translations.translation_languages():
        raise WorkflowError(f"The library is not translated into “{language}”.")
    if source.translations.filter(language=language, is_live=False).exists():
        raise WorkflowError(
            f"“{source.title}” already has a {translations.language_name(language)} translation."
        )
    made_from = source.live_revision or source.latest_revision
    if made_from is None:
        raise WorkflowError("Save the English article before translating it.")
    content = dict(data if data is not None else made_from.snapshot)
    content.update(codes=[], related=[])
    for name in snapshots.KEPT_ON_RESTORE:
        content.pop(name, None)  # the translation's own review starts empty
    translation = Condition(
        language=language,
        translation_of=source,
        translated_from=made_from,
        audience=source.audience,
        status=Status.DRAFT,
    )
    if Condition.objects.editable(language).filter(slug=content.get("slug")).exists():
        content["slug"] = f"{content['slug']}-{source.pk}"
    snapshots.materialize(content, translation)
    record_revision(
        condition=translation,
        user=user,
        comment=comment
        or f"Translation started from the English article’s revision of "
        f"{timezone.localtime(made_from.created_at):%Y-%m-%d %H:%M}",
        status_before="",
    )
    return translation


@transaction.atomic
def record_source_change_unaffecting(*, translation, user=None, comment=""):
    """A reviewer read the English changes since the translation was made
    and found that they do not affect it: the translation is current with
    the English article as it is live now, and readers' notice goes."""
    _require(user, REVIEW_PERMISSION)
    translation = _locked(translation)
    if translation.source_updated_at is None:
        raise WorkflowError("The English article has not changed since this translation.")
    _bring_up_to_date(translation)
    translation.save(update_fields=["translated_from", "source_updated_at", "updated_at"])
    if translation.live_revision_id is not None:
        live_copy.update(
            translation,
            translated_from=translation.translated_from,
            source_updated_at=None,
        )
    note = "Recorded that the English article’s changes do not affect this translation"
    return record_revision(
        condition=translation,
        user=user,
        comment=f"{note}: {comment}" if comment else note,
        same_text=True,
    )
