"""The health library's own documents besides articles: drugs and topics.

A drug or a topic is searchable while a published article lists it, as
its page is (``conditions.views``). Registered as sources in
``ConditionsConfig.ready``; ``conditions.search.indexing`` keeps them in step.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem

from conditions.models import Condition, Drug, DrugGroupItem, SearchDocument
from conditions.search.sources import Document, register, sync

# A topic's document lists this many of its articles' titles.
TOPIC_TITLES = 30


def drug_documents(ids=None):
    # English documents, from English articles: a translation's drug group
    # headings are in its own language (its search finds the drugs it
    # lists through its own document, with their names in that language).
    english = {"group__condition__language": settings.LANGUAGE_CODE}
    drugs = Drug.objects.filter(
        group_items__group__condition__is_live=True,
        group_items__group__condition__language=settings.LANGUAGE_CODE,
    ).distinct()
    if ids is not None:
        drugs = drugs.filter(pk__in=ids)
    drugs = list(drugs.order_by("pk"))
    classes = defaultdict(list)
    items = (
        DrugGroupItem.objects.filter(drug__in=drugs, group__condition__is_live=True, **english)
        .exclude(group__heading="")
        .values_list("drug_id", "group__heading")
        .distinct()
    )
    for drug_id, heading in items:
        classes[drug_id].append(heading)
    for drug in drugs:
        yield Document(
            object_id=str(drug.pk),
            title=drug.name,
            alternate_names=drug.other_names,
            slug=drug.slug,
            url=reverse("conditions:drug", args=[drug.slug]),
            summary=drug.description,
            body="\n".join(
                [
                    *sorted(set(classes[drug.pk]), key=str.casefold),
                    drug.uses,
                    drug.usual_use,
                    drug.side_effects,
                    drug.serious_side_effects,
                ]
            ),
        )


def topic_documents(ids=None):
    content_type = ContentType.objects.get_for_model(Condition)
    tagged = TaggedItem.objects.filter(
        content_type=content_type, object_id__in=Condition.objects.live().values("pk")
    )
    if ids is not None:
        tagged = tagged.filter(tag_id__in=ids)
    titles = defaultdict(list)
    rows = tagged.values_list("tag_id", "tag__name", "tag__slug").order_by("tag_id")
    live_titles = dict(Condition.objects.live().values_list("pk", "title"))
    for tag_id, object_id in tagged.values_list("tag_id", "object_id"):
        titles[tag_id].append(live_titles.get(object_id, ""))
    for tag_id, name, slug in dict.fromkeys(rows):
        names = sorted(t for t in titles[tag_id] if t)
        count = len(names)
        yield Document(
            object_id=str(tag_id),
            title=name,
            slug=slug,
            url=reverse("conditions:topic", args=[slug]),
            summary=f"{count} article{'' if count == 1 else 's'}: "
            + ", ".join(names[:TOPIC_TITLES]),
        )


def register_sources():
    register(SearchDocument.Kind.DRUG, _("Drugs"), drug_documents)
    register(SearchDocument.Kind.TOPIC, _("Topics"), topic_documents)


def sync_for_articles(drug_slugs=(), topic_slugs=()):
    """An article's live copy changed: its drugs' and topics' documents
    (given by slug, before and after) are written again."""
    if drug_slugs:
        sync(
            SearchDocument.Kind.DRUG,
            Drug.objects.filter(slug__in=drug_slugs).values_list("pk", flat=True),
        )
    if topic_slugs:
        sync(
            SearchDocument.Kind.TOPIC,
            Tag.objects.filter(slug__in=topic_slugs).values_list("pk", flat=True),
        )
