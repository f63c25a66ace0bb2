from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class HealthlibConfig(AppConfig):
    default = True  # this module also holds the admin's config, below
    name = "healthlib"
    verbose_name = "healthlib"
    # The worker-side schedule (healthlib.schedule): tasks whose worker died
    # go back to the queue (see workers.recover_abandoned).
    schedule = [("recover-tasks", "healthlib.tasks.recover_abandoned_tasks", 60)]

    def ready(self):
        from django.core import checks

        from healthlib import search_sources
        from healthlib.lib import mailfrom, pdf
        from healthlib.lib.roles import ensure_groups

        search_sources.register()
        checks.register(mailfrom.check_from_address, "email")
        # PDF handouts need Pango (Debian's packages) beside WeasyPrint.
        checks.register(pdf.check_engine, deploy=True)
        # Sent once per app with models; ensure_groups acts after the last.
        post_migrate.connect(ensure_groups, dispatch_uid="healthlib.ensure_groups")


class HealthlibAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our site class (the dashboard on /admin/)."""

    default = False
    default_site = "healthlib.admin_site.HealthlibAdminSite"
