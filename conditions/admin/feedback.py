"""Readers' feedback in the admin."""

from django.contrib import admin, messages

from conditions import services
from conditions.models import (
    Feedback,
)

# Long text comes back from the browser exactly as it was served (see
# ExactTextField): a form posted back unchanged changes nothing.


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Readers' answers: read them, mark comments handled. Nobody adds or
    edits an answer; what the reader wrote stays as they wrote it."""

    list_display = ["created_at", "condition", "helpful", "comment", "handled_column"]
    list_filter = ["helpful", ("handled_at", admin.EmptyFieldListFilter), "condition"]
    list_select_related = ["condition", "handled_by"]
    search_fields = ["comment", "condition__title"]
    readonly_fields = [
        "condition",
        "revision_shown",
        "helpful",
        "comment",
        "created_at",
        "handled_at",
        "handled_by",
    ]
    fields = readonly_fields
    actions = ["mark_handled", "mark_not_handled"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("revision")

    def has_add_permission(self, request):
        return False

    @admin.display(description="handled", boolean=True, ordering="handled_at")
    def handled_column(self, obj):
        return obj.is_handled

    @admin.display(description="revision shown")
    def revision_shown(self, obj):
        if obj.revision is None:
            return "—"
        return str(obj.revision)

    @admin.action(description="Mark the selected feedback handled", permissions=["change"])
    def mark_handled(self, request, queryset):
        n = services.mark_feedback_handled(feedback=queryset, user=request.user)
        self.message_user(request, f"{n} marked handled.", messages.SUCCESS)

    @admin.action(description="Mark the selected feedback not handled", permissions=["change"])
    def mark_not_handled(self, request, queryset):
        n = services.mark_feedback_handled(feedback=queryset, user=request.user, handled=False)
        self.message_user(request, f"{n} marked not handled.", messages.SUCCESS)
