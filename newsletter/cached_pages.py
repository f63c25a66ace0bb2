"""The newsletter's blocks on readers' cached pages (see
``healthlib.lib.pagecache``): the home page lists the latest research, each
article page the research related to it, the sitemap the archive. A
receiver of the library's live-change event (``conditions.publishing.events``):
when research readers see changes (``newsletter.live``), those pages go
stale. Which pages: ``conditions.publishing.invalidation.research_changed``
(the edge cache purges the same).
"""

from conditions.publishing.invalidation import research_changed
from healthlib.lib.pagecache import bump


def on_live_change(sender, change, **kwargs):
    if change.research is not None:
        bump(*research_changed(change.research))
