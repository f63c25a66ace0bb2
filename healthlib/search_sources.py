"""The project composes search: the newsletter's research summaries are
searchable alongside the health library, which knows nothing of the
newsletter. Registered in ``HealthlibConfig.ready``.

A summary is searchable once its edition is sent (as its page is public).
"""

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from conditions import search
from conditions.models import SearchDocument
from conditions.search.documents import html_to_text
from conditions.search.sources import Document
from newsletter.models import Edition, ResearchSummary

KIND = SearchDocument.Kind.RESEARCH


def research_documents(ids=None):
    summaries = ResearchSummary.objects.filter(edition__status=Edition.Status.SENT).select_related(
        "edition"
    )
    if ids is not None:
        summaries = summaries.filter(pk__in=ids)
    for summary in summaries.order_by("pk"):
        yield Document(
            object_id=str(summary.pk),
            title=summary.headline,
            url=summary.get_absolute_url(),
            summary=summary.teaser,
            body="\n".join(
                [html_to_text(summary.body_html), summary.journal, summary.edition.title]
            ),
        )


def _summary_changed(sender, instance, **kwargs):
    search.sync(KIND, [instance.pk])


def _edition_changed(sender, instance, **kwargs):
    search.sync(KIND, instance.summaries.values_list("pk", flat=True))


def register():
    search.sources.register(KIND, _("Research summaries"), research_documents)
    post_save.connect(_summary_changed, sender=ResearchSummary, dispatch_uid="search.summary")
    post_delete.connect(_summary_changed, sender=ResearchSummary, dispatch_uid="search.summary_del")
    post_save.connect(_edition_changed, sender=Edition, dispatch_uid="search.edition")
