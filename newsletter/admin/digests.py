"""The digest's schedule in the admin: when a draft digest assembles
itself (newsletter.digests), and an action to draft one now."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from newsletter import digests
from newsletter.models import DigestSchedule


@admin.register(DigestSchedule)
class DigestScheduleAdmin(admin.ModelAdmin):
    list_display = ["newsletter", "enabled", "every", "day", "last_period", "covered_until"]
    fields = ["newsletter", "enabled", "every", "day", "last_period", "covered_until"]
    readonly_fields = ["last_period", "covered_until"]
    actions = ["draft_now"]

    @admin.action(description="Draft the digest now (what changed since the last one)")
    def draft_now(self, request, queryset):
        for schedule in queryset.select_related("newsletter"):
            edition = digests.draft_digest(schedule=schedule)
            if edition is None:
                messages.info(request, f"{schedule.newsletter}: nothing changed, no draft made.")
            else:
                url = reverse("admin:newsletter_edition_change", args=[edition.pk])
                messages.success(
                    request, format_html('Draft digest <a href="{}">{}</a> made.', url, edition)
                )
