"""Builds the demo library through the same services editors use.

The demo article's history reads as a real one would: imported from the
seed by the system, tidied by the ``editor`` account (the lead-in
sentences of the lists the scraping lost are removed, the placeholder
figure gets a drawn illustration), submitted for review, then published by
the ``reviewer`` account. So the live article passes every content check.
The editor also gives the drugs their RxNorm codes, which wait for the
reviewer's approval as any change to a drug's page does, and the reviewer
approves them before publishing. Its Spanish translation ("Mioclonía") goes
the same way: imported by the system as the translation of the demo
article, revised by the editor, signed off and published by the reviewer;
the topics get their Spanish names first.
"""

import re

from conditions import importer, services
from conditions.demo import (
    FIGURE_ES_COMMENT,
    LEADIN_COMMENT,
    MYOCLONUS_DETAILS,
    MYOCLONUS_ES_FILE,
    MYOCLONUS_ES_TITLE,
    MYOCLONUS_FILE,
    ORGANIZATION_URLS,
    REVIEW,
    REVIEW_ES,
    RXNORM_CODES,
    SUBMIT_COMMENT,
    TOPIC_NAMES_ES,
)
from conditions.demo import figure as demo_figure
from conditions.models import Condition, Drug, Figure, GlossaryTerm, Section, TopicName
from conditions.review import content_checks as checks
from conditions.review import shared_records
from healthlib.lib.markdown import content_gaps
from healthlib.lib.storage import atomic_with_files

FIGURE_COMMENT = (
    "Replaced the placeholder figure with an illustration drawn for the demo, "
    "with alt text that describes it and its credit"
)


def remove_lost_list_leadins(data):
    """``data`` (a snapshot) without the lead-in sentences of lost lists,
    and the sentences removed, in order."""
    removed = []
    has_drug_groups = bool(data.get("drug_groups"))
    sections = []
    for section in data["sections"]:
        body = section["body"]
        for gap in content_gaps(body):
            if (
                section["kind"] == Section.Kind.TREATMENT
                and has_drug_groups
                and body.rstrip().endswith(gap)
            ):
                continue  # it introduces the drug groups shown after it
            body = re.sub(r"[ \t]*" + re.escape(gap), "", body, count=1)
            removed.append(gap)
        # A paragraph that held only the lead-in leaves an empty line behind.
        body = re.sub(r"\n{3,}", "\n\n", body).strip()
        body = body + "\n" if body else ""
        sections.append({**section, "body": body})
    return {**data, "sections": sections}, removed


def _leadin_comment(removed):
    quoted = ", ".join(f"“{s}”" for s in dict.fromkeys(removed))
    return f"{LEADIN_COMMENT}: {quoted}"


def _with_illustration(data, stored):
    """``data`` with its figure's placeholder replaced by the drawn schematic."""
    figures = []
    for entry in data["figures"]:
        image = demo_figure.nervous_system_schematic()
        figures.append(
            {
                **entry,
                **Figure.store_image(demo_figure.FILE_NAME, image, stored),
                "alt_text": demo_figure.ALT_TEXT,
                "credit": demo_figure.CREDIT,
            }
        )
    return {**data, "figures": figures}


def load_myoclonus(*, editor=None, reviewer=None):
    """(condition, created). Imports the seed, revises and publishes it.
    Leaves an existing article alone.

    ``editor`` and ``reviewer`` are the demo accounts; without them (debug
    off) the system (None) makes every change, as a command would.
    """
    parsed = importer.parse_article(MYOCLONUS_FILE.read_bytes(), name=MYOCLONUS_FILE.name)
    existing = Condition.objects.editable().filter(slug=parsed.slug).first()
    if existing is not None:
        return existing, False
    for organization in parsed.data["organizations"]:
        organization["url"] = ORGANIZATION_URLS.get(organization["name"], "")
    with atomic_with_files() as stored:
        condition = _build_history(parsed, editor, reviewer, stored)
    return condition, True


def _build_history(parsed, editor, reviewer, stored):
    result = importer.save_parsed(
        parsed, name=f"the seed ({MYOCLONUS_FILE.name})", extra=MYOCLONUS_DETAILS
    )
    condition = result.condition

    data, removed = remove_lost_list_leadins(condition.latest_revision.snapshot)
    condition = services.update_article(
        condition=condition, data=data, user=editor, comment=_leadin_comment(removed)
    )
    data = _with_illustration(condition.latest_revision.snapshot, stored)
    condition = services.update_article(
        condition=condition, data=data, user=editor, comment=FIGURE_COMMENT
    )
    _give_rxnorm_codes(editor, reviewer)
    submitted = services.submit_for_review(condition=condition, user=editor, comment=SUBMIT_COMMENT)
    # The reviewer publishes the revision they read, through the same gate
    # as in the admin. The seed's text is harder than the reading target in
    # places; the reviewer acknowledges that (the only warnings left), as a
    # real reviewer would for an article waiting for a plain-language pass.
    hard = [
        p.key
        for p in checks.warnings(checks.problems(submitted.snapshot, language=condition.language))
    ]
    services.publish(
        condition=condition,
        user=reviewer,
        revision=submitted,
        acknowledged=hard,
        update_note=REVIEW["update_note"],
        reviewer_name=REVIEW["reviewer_name"],
        reviewer_credentials=REVIEW["reviewer_credentials"],
    )
    condition.refresh_from_db()
    return condition


def _give_rxnorm_codes(editor, reviewer):
    """The editor enters the drugs' RxNorm codes; the reviewer approves them."""
    for drug in Drug.objects.filter(name__in=RXNORM_CODES, rxnorm_code=""):
        drug.rxnorm_code = RXNORM_CODES[drug.name]
        drug.full_clean()
        pending = shared_records.save(record=drug, changed=["rxnorm_code"], user=editor)
        if pending is not None:
            shared_records.approve(pending=pending, user=reviewer)


SPANISH = "es"


def _name_topics_in_spanish(condition):
    """Spanish names for the demo article's topics that have none."""
    for tag in condition.tags.filter(name__in=TOPIC_NAMES_ES):
        TopicName.objects.get_or_create(
            tag=tag, language=SPANISH, defaults={"name": TOPIC_NAMES_ES[tag.name]}
        )


def load_myoclonus_translation(source, *, editor=None, reviewer=None):
    """(translation, created): the Spanish translation of the demo article
    ``source``, imported from ``myoclonus.es.txt``, revised and published.
    Leaves an existing translation alone."""
    existing = source.translations.filter(language=SPANISH, is_live=False).first()
    if existing is not None:
        return existing, False
    with atomic_with_files():
        result = importer.import_translation(
            content=MYOCLONUS_ES_FILE.read_bytes(),
            name=f"the seed's Spanish translation ({MYOCLONUS_ES_FILE.name})",
            language=SPANISH,
            translation_of=source.slug,
            title=MYOCLONUS_ES_TITLE,
        )
        translation = result.condition
        data, removed = remove_lost_list_leadins(translation.latest_revision.snapshot)
        translation = services.update_article(
            condition=translation, data=data, user=editor, comment=_leadin_comment(removed)
        )
        data = translation.latest_revision.snapshot
        data["figures"] = [
            {**f, "alt_text": demo_figure.ALT_TEXT_ES, "credit": demo_figure.CREDIT_ES}
            for f in data["figures"]
        ]
        translation = services.update_article(
            condition=translation, data=data, user=editor, comment=FIGURE_ES_COMMENT
        )
        submitted = services.submit_for_review(
            condition=translation, user=editor, comment=SUBMIT_COMMENT
        )
        _name_topics_in_spanish(source)
        found = checks.problems(submitted.snapshot, language=SPANISH)
        services.publish(
            condition=translation,
            user=reviewer,
            revision=submitted,
            acknowledged=[p.key for p in checks.warnings(found)],
            **REVIEW_ES,
        )
        translation.refresh_from_db()
    return translation, True


# Hard words of the seed and of health writing in general, with the words
# readers use: what an editor's glossary (admin → Glossary terms) starts with.
GLOSSARY = {
    "myoclonus": "muscle twitching",
    "involuntary": "that you cannot control",
    "hypertension": "high blood pressure",
    "anticonvulsant": "seizure medicine",
    "electroencephalogram": "brain wave test",
}


def load_glossary():
    """Add the demo's glossary terms that are missing; returns how many."""
    existing = set(GlossaryTerm.objects.values_list("term", flat=True))
    missing = [GlossaryTerm(term=t, plain=p) for t, p in GLOSSARY.items() if t not in existing]
    GlossaryTerm.objects.bulk_create(missing)
    return len(missing)
