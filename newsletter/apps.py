from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from healthlib.lib.roles import NEWSLETTER_EDITORS


class NewsletterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "newsletter"
    verbose_name = _("Newsletter")
    # The worker-side schedule (healthlib.schedule): unfinished sendings'
    # backstop check (see newsletter.sending.resume_all).
    # Sign-ups never confirmed are erased once their link expires (daily).
    schedule = [
        ("resume-sendings", "newsletter.tasks.resume_sendings", 60),
        ("expire-pending-signups", "newsletter.tasks.expire_pending_signups", 86400),
        # The digest's draft, on its day (newsletter.digests).
        ("draft-digests", "newsletter.tasks.draft_digests", 3600),
    ]

    def ready(self):
        from conditions.publishing import events
        from newsletter import cached_pages, checks, live, webhooks  # noqa: F401

        # Saved editions and summaries send the library's live-change event;
        # the cached pages' research blocks follow it.
        live.connect()
        events.connect(cached_pages.on_live_change, "newsletter.cached_pages")

    @property
    def role_permissions(self):
        """Newsletter editors may do everything with the newsletter."""
        perms = []
        for model in self.get_models():
            opts = model._meta
            perms += [
                f"{self.label}.{action}_{opts.model_name}" for action in opts.default_permissions
            ]
            perms += [f"{self.label}.{codename}" for codename, _ in opts.permissions]
        return {NEWSLETTER_EDITORS: perms}
