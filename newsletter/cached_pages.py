"""The newsletter's blocks on readers' cached pages (see
``healthlib.lib.pagecache``): the home page lists the latest research, each
article page the research related to it, the sitemap the archive. A
receiver of the library's live-change event (``conditions.publishing.events``):
when research readers see changes (``newsletter.live``), those pages go
stale.
"""

from django.db.models import Q

from conditions.models import Condition
from conditions.publishing.invalidation import HOME, SITEMAP, article_tag
from healthlib.lib.pagecache import bump


def on_live_change(sender, change, **kwargs):
    research = change.research
    if research is None:
        return
    tags = _article_tags(research.articles)
    if research.summaries or research.editions:
        tags.add(HOME)
    if research.editions:
        tags.add(SITEMAP)
    bump(*tags)


def _article_tags(working_ids):
    """The pages of those articles, and of their translations, in every language."""
    if not working_ids:
        return set()
    lives = Condition.objects.live(language=None).filter(
        Q(source_id__in=working_ids) | Q(translation_of_id__in=working_ids)
    )
    return {article_tag(slug) for slug in lives.values_list("slug", flat=True)}
