"""The admin site: Django's, with a dashboard on its index page.

The dashboard shows each person what needs doing in their role (their
drafts, articles waiting for review, reviews due, readers' feedback,
newsletter sending), and a warning when no task worker is running;
the reads are in ``conditions.selectors`` and ``newsletter.selectors``,
and this only decides, from permissions, which of them a person sees.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from healthlib import workers


class HealthlibAdminSite(admin.AdminSite):
    # Django's generated words (“Add article”, the app list, breadcrumbs)
    # come from the models' and apps' verbose names; one word for one thing.
    site_header = _("healthlib editors")
    site_title = "healthlib"
    index_title = _("Dashboard")
    index_template = "admin/healthlib_index.html"

    def index(self, request, extra_context=None):
        context = {
            "dashboard": dashboard_for(request.user),
            # Emails, sending and scheduled publishing wait for a worker:
            # say so where every editor starts.
            "worker_missing": workers.worker_missing(),
            **(extra_context or {}),
        }
        return super().index(request, context)


def dashboard_for(user):
    """What the index page shows ``user``: by permission, not by group
    name, so a superuser or a person in two groups sees both parts."""
    from conditions import selectors as conditions_selectors
    from conditions import services
    from conditions.review.readability import target as readability_target
    from newsletter import selectors as newsletter_selectors

    dashboard = {}
    if user.has_perm("conditions.change_condition"):
        reviews = user.has_perm(services.PUBLISH_PERMISSION)
        dashboard["articles"] = conditions_selectors.article_dashboard(user, reviews=reviews)
        dashboard["reviews"] = reviews
        dashboard["broken_links"] = conditions_selectors.broken_links()
        # Said on the page, since the "submitted" message would otherwise
        # be the first sign that nobody hears about submitted articles.
        dashboard["reviewers_emailed"] = conditions_selectors.reviewers_can_be_emailed()
        dashboard["reading_grade_target"] = readability_target()
    if user.has_perm("conditions.view_feedback"):
        dashboard["feedback"] = conditions_selectors.feedback_dashboard()
    if user.has_perm("newsletter.change_edition"):
        dashboard["newsletter"] = newsletter_selectors.dashboard()
        dashboard["can_send"] = user.has_perm("newsletter.send_edition")
    return dashboard
