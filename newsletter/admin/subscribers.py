"""Subscribers and their deliveries in the admin, with the subscriber list as CSV."""

import csv

from django.contrib import admin
from django.http import StreamingHttpResponse

from newsletter.models import Delivery, Subscriber


class _Echo:
    def write(self, value):
        return value


def _csv_safe(value):
    # Spreadsheets run cells that start like a formula.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


CSV_COLUMNS = [
    "email",
    "status",
    "newsletter__name",
    "consent_at",
    "consent_ip",
    "consent_text",
    "confirmed_at",
    "confirmed_ip",
    "unsubscribed_at",
    "created_at",
    # Last, so that existing columns keep their places for spreadsheets.
    "language",
]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "status",
        "language",
        "newsletter",
        "consent_at",
        "confirmed_at",
        "suppressed",
    ]
    list_filter = ["status", "language", "newsletter"]
    search_fields = ["email"]
    date_hierarchy = "consent_at"
    fields = [
        "newsletter",
        "email",
        "status",
        "language",
        "suppressed_reason",
        "suppressed_at",
        "consent_text",
        "consent_at",
        "consent_ip",
        "confirmed_at",
        "confirmed_ip",
        "unsubscribed_at",
    ]
    readonly_fields = [
        "newsletter",
        "email",
        "suppressed_reason",
        "suppressed_at",
        "consent_text",
        "consent_at",
        "consent_ip",
        "confirmed_at",
        "confirmed_ip",
        "unsubscribed_at",
    ]

    @admin.display(description="Why sending stopped")
    def suppressed(self, obj):
        return obj.suppressed_reason or "—"

    actions = ["export_csv"]

    def has_add_permission(self, request):
        # People subscribe themselves (double opt-in); nobody is added for them.
        return False

    @admin.action(description="Export selected subscribers as CSV")
    def export_csv(self, request, queryset):
        writer = csv.writer(_Echo())
        rows = queryset.order_by("pk").values_list(*CSV_COLUMNS).iterator(chunk_size=2000)

        def lines():
            yield writer.writerow(
                [c.replace("newsletter__name", "newsletter") for c in CSV_COLUMNS]
            )
            for row in rows:
                yield writer.writerow([_csv_safe(v) for v in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        return response


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["edition", "subscriber", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "edition"]
    search_fields = ["subscriber__email", "edition__title"]
    list_select_related = ["edition", "subscriber"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
