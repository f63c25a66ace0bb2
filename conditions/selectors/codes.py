"""Published articles and drugs by their medical codes, many codes at
once: the CDS Hooks services (/cds-services) and the code look-up
(/api/lookup/) both find them here. ICD-10-CM codes
fall back along their parents (G25.31 → G25.3 → G25) to the nearest one an
article carries; SNOMED CT codes match as they are; drugs are found by
their ingredient's RxNorm code (RxCUI). Each read is a fixed number of
queries however many codes are asked about.

Codes are kept on English live copies; a translation is found through its
source (``in_language``)."""

from django.conf import settings
from django.db.models import F, Q

from conditions.models import Condition, Drug, MedicalCode, codes


def _candidates(system, code):
    return codes.icd10cm_ancestors(code) if system == codes.ICD10CM else [code]


def match_codes(pairs):
    """{(system, code): (matched code, [English live copies' ids])} for
    each of ``pairs`` ((system, code), normalized and valid) that an
    article carries, or whose nearest ICD-10-CM parent one does: one query."""
    pairs = list(dict.fromkeys(pairs))
    wanted = {}
    for system, code in pairs:
        wanted.setdefault(system, set()).update(_candidates(system, code))
    if not wanted:
        return {}
    where = Q()
    for system, candidates in wanted.items():
        where |= Q(system=system, code__in=sorted(candidates))
    rows = (
        MedicalCode.objects.filter(where, condition__is_live=True)
        .values_list("system", "code", "condition_id")
        .order_by("condition_id")
    )
    found = {}
    for system, code, condition_id in rows:
        found.setdefault((system, code), []).append(condition_id)
    matches = {}
    for system, code in pairs:
        nearest = next((c for c in _candidates(system, code) if (system, c) in found), None)
        if nearest is not None:
            matches[(system, code)] = (nearest, found[(system, nearest)])
    return matches


def articles_for_code(system, code):
    """(matched code, [English live copies' ids]) for one code, or
    (None, []) when no article carries it or a parent of it."""
    return match_codes([(system, code)]).get((system, code), (None, []))


def in_language(english, language):
    """{English live copy's id: the live copy readers of ``language`` are
    given}: its translation into ``language`` where one is published, else
    itself. One query."""
    english = list(english)
    if not english:
        return {}
    source = settings.LANGUAGE_CODE
    wanted = Q(pk__in=english, language=source)
    if language != source:
        wanted |= Q(language=language, translation_of__live_copy__in=english)
    rows = list(
        Condition.objects.live(language=None)
        .filter(wanted)
        .annotate(english_id=F("translation_of__live_copy"))
    )
    chosen = {c.pk: c for c in rows if c.language == source}
    for row in rows:
        if row.language != source and row.english_id in chosen:
            chosen[row.english_id] = row
    return chosen


def drugs_by_rxnorm(rxcuis):
    """{RxCUI: drug} for the drugs whose ingredient code is one of ``rxcuis``."""
    rxcuis = [c for c in dict.fromkeys(rxcuis) if codes.is_rxcui(c)]
    if not rxcuis:
        return {}
    return {d.rxnorm_code: d for d in Drug.objects.filter(rxnorm_code__in=rxcuis)}


def articles_listing(drug_ids, languages):
    """{drug id: [live copies listing it in any of ``languages``, by
    title]}: one query."""
    drug_ids = list(drug_ids)
    if not drug_ids:
        return {}
    rows = (
        Condition.objects.live(language=None)
        .filter(language__in=list(languages), drug_groups__items__drug__in=drug_ids)
        .annotate(listed_drug=F("drug_groups__items__drug"))
        .order_by("title", "pk")
    )
    listing = {}
    for row in rows:
        found = listing.setdefault(row.listed_drug, [])
        if all(r.pk != row.pk for r in found):
            found.append(row)
    return listing
