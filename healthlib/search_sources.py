"""The project composes search: the newsletter's research summaries are
searchable alongside the health library, which knows nothing of the
newsletter. Registered in ``HealthlibConfig.ready``.

A summary is searchable once its edition is sent (as its page is public):
its document follows the live-change event (``conditions.publishing.events``),
which ``newsletter.live`` sends when research readers see changes.
"""

from django.utils.translation import gettext_lazy as _

from conditions import search
from conditions.models import SearchDocument
from conditions.publishing import events
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


def on_live_change(sender, change, **kwargs):
    if change.research is not None and change.research.summaries:
        search.sync(KIND, change.research.summaries)


def register():
    search.sources.register(KIND, _("Research summaries"), research_documents)
    events.connect(on_live_change, "healthlib.search_sources")
