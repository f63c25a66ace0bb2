"""Shared records in the admin (drugs, organizations, topics, glossary terms)
and the changes to them that wait for medical review."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from taggit.models import Tag, TaggedItem

from conditions import services
from conditions.admin.inlines import EXACT_TEXT
from conditions.models import (
    Drug,
    GlossaryTerm,
    Organization,
    PendingChange,
    Topic,
    TopicName,
)
from conditions.review import shared_records

# Long text comes back from the browser exactly as it was served (see
# ExactTextField): a form posted back unchanged changes nothing.


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    """Hard words and their plain alternatives, for the reading-level hints."""

    list_display = ["term", "plain"]
    search_fields = ["term", "plain"]


class SharedRecordAdminMixin:
    """Changes to a record that published articles show wait for a medical
    reviewer when made by someone who may not publish (see
    ``conditions.review.shared_records``)."""

    @admin.display(description="waiting for approval")
    def pending_review(self, obj):
        pending = shared_records.pending_for(obj)
        if pending is None:
            return "Nothing: readers see the values below."
        return format_html(
            '{} <a href="{}">Review it</a>.',
            describe_pending(pending, obj),
            reverse("admin:conditions_pendingchange_change", args=[pending.pk]),
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and shared_records.pending_for(obj) is not None:
            fields.append("pending_review")
        return fields

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and shared_records.pending_for(obj) is not None:
            fields = ["pending_review", *[f for f in fields if f != "pending_review"]]
        return fields

    def save_model(self, request, obj, form, change):
        pending = shared_records.save(record=obj, changed=form.changed_data, user=request.user)
        request._change_pending = pending is not None

    def _pending_message(self, request, obj):
        self.message_user(
            request,
            f"Your change to “{obj}” waits for a medical reviewer's approval. Readers see it "
            "once it is approved; until then they see the current values.",
            messages.WARNING,
        )

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_change_pending", False):
            self._pending_message(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "_change_pending", False):
            self._pending_message(request, obj)
            return HttpResponseRedirect(
                reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
            )
        return super().response_change(request, obj)


def _shown(value):
    """A field's value as the reviewer reads it: names in other languages
    as “es: Colchicina”."""
    if isinstance(value, dict):
        return ", ".join(f"{key}: {name}" for key, name in sorted(value.items()))
    return value


def describe_pending(pending, record=None):
    """“name: “Old” → “New”; …” for a pending change."""
    record = record if record is not None else pending.record
    parts = []
    for name, value in pending.changes.items():
        old = shared_records.current_value(record, name) if record is not None else ""
        label = name.replace("_", " ")
        parts.append(
            format_html(
                "{}: “{}” → “{}”", label, _shown(old) or "(empty)", _shown(value) or "(empty)"
            )
        )
    by = pending.proposed_by.get_username() if pending.proposed_by else "someone"
    return format_html(
        "{} (proposed by {}, {})",
        format_html_join("; ", "{}", ((p,) for p in parts)),
        by,
        timezone.localtime(pending.proposed_at).strftime("%B %-d, %Y, %H:%M"),
    )


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    """Where medical reviewers approve or reject changes to shared records."""

    list_display = ["__str__", "change_summary", "proposed_by", "proposed_at"]
    readonly_fields = ["record_link", "change_summary", "proposed_by", "proposed_at"]
    fields = readonly_fields
    actions = ["approve", "reject"]
    change_form_template = "admin/conditions/pendingchange/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type", "proposed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_publish_permission(self, request):
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    @admin.display(description="change")
    def change_summary(self, obj):
        return describe_pending(obj)

    @admin.display(description="record")
    def record_link(self, obj):
        record = obj.record
        if record is None:
            return "(deleted)"
        # A topic is taggit's tag, shown in the admin as Topic.
        opts = Topic._meta if isinstance(record, Tag) else record._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record)

    @admin.action(description="Approve: readers see the change", permissions=["publish"])
    def approve(self, request, queryset):
        for pending in queryset:
            try:
                shared_records.approve(pending=pending, user=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{pending}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"Approved: {pending}.", messages.SUCCESS)

    @admin.action(description="Reject: keep the current values", permissions=["publish"])
    def reject(self, request, queryset):
        for pending in queryset:
            shared_records.reject(pending=pending, user=request.user)
        self.message_user(request, "Rejected; readers keep the current values.", messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and request.POST.get("decision") in ("approve", "reject"):
            if not self.has_publish_permission(request):
                raise PermissionDenied
            pending = self.get_object(request, object_id)
            if pending is None:
                return HttpResponseRedirect(reverse("admin:conditions_pendingchange_changelist"))
            if request.POST["decision"] == "approve":
                self.approve(request, PendingChange.objects.filter(pk=pending.pk))
            else:
                self.reject(request, PendingChange.objects.filter(pk=pending.pk))
            return HttpResponseRedirect(reverse("admin:conditions_pendingchange_changelist"))
        extra_context = {
            **(extra_context or {}),
            "can_decide": self.has_publish_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)


class UsedInAdmin(SharedRecordAdminMixin, admin.ModelAdmin):
    """A shared record's admin, with how many articles use it (working
    copies only, so a published article counts once)."""

    used_in_path = None  # the path from the record to Condition
    formfield_overrides = EXACT_TEXT

    def get_queryset(self, request):
        path = self.used_in_path
        used_in = Count(path, filter=Q(**{f"{path}__is_live": False}), distinct=True)
        return super().get_queryset(request).annotate(used_in_count=used_in).order_by("name")

    @admin.display(description="used in articles", ordering="used_in_count")
    def used_in(self, obj):
        return obj.used_in_count


@admin.register(Drug)
class DrugAdmin(UsedInAdmin):
    """A drug and its page. What the page says (everything below its
    names) is read by a medical reviewer before readers see it."""

    list_display = ["name", "rxnorm_code", "used_in"]
    search_fields = ["name", "other_names", "rxnorm_code"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (
            "Names",
            {
                "fields": ["name", "slug", "other_names", "names"],
                "description": "How articles and readers name the drug.",
            },
        ),
        (
            "What readers read on the drug's page",
            {
                "fields": [
                    "description",
                    "uses",
                    "usual_use",
                    "side_effects",
                    "serious_side_effects",
                ],
                "description": "Plain language, from a source you trust (the official label, "
                "MedlinePlus); empty parts are not shown. Changes by editors wait for a "
                "medical reviewer's approval before readers see them.",
            },
        ),
        (
            "Code and links",
            {
                "fields": ["rxnorm_code", "label_url", "medlineplus_url"],
                "description": "With an RxNorm code the page links to the drug's official "
                "labels (DailyMed) and to MedlinePlus by itself; fill a link only to send "
                "readers to another page.",
            },
        ),
    ]
    used_in_path = "group_items__group__condition"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and shared_records.pending_for(obj) is not None:
            fieldsets = [("Waiting for approval", {"fields": ["pending_review"]}), *fieldsets]
        return fieldsets


@admin.register(Organization)
class OrganizationAdmin(UsedInAdmin):
    list_display = ["name", "region", "url", "used_in"]
    list_filter = ["region"]
    search_fields = ["name"]
    fields = ["name", "names", "url", "region"]
    used_in_path = "links__condition"


class TopicLinksNotListedOnDelete:
    """Django's delete confirmation lists every row that goes, taggit's
    links between a topic and what is filed under it included, by
    taggit's names ("Tagged item: Myoclonus tagged with …"). The topics
    themselves stay; the links are no part of what editors delete, so
    they are left out of the list."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        counts.pop(TaggedItem._meta.verbose_name_plural, None)
        prefix = f"{capfirst(TaggedItem._meta.verbose_name)}: "

        def keep(items):
            return [
                keep(item) if isinstance(item, list) else item
                for item in items
                if isinstance(item, list) or not str(item).startswith(prefix)
            ]

        return keep(deleted), counts, perms_needed, protected


# Topics are taggit's tags; editors see them as topics, beside the other
# shared records (conditions.Topic is the same table under that name).
admin.site.unregister(Tag)


class TopicNameInline(admin.TabularInline):
    model = TopicName
    extra = 1
    verbose_name = gettext_lazy("name in another language")
    verbose_name_plural = gettext_lazy("names in other languages")


class MergeTopicsForm(forms.Form):
    into = forms.CharField(
        label=gettext_lazy("Merge into the topic"),
        max_length=100,
        help_text=gettext_lazy(
            "An existing topic's name, or a new one. Articles and research summaries filed "
            "under the selected topics are filed under this one, and the others are deleted."
        ),
    )


@admin.register(Topic)
class TopicAdmin(SharedRecordAdminMixin, admin.ModelAdmin):
    """Topics: a renamed topic is renamed on published pages only once a
    medical reviewer approves it; reviewers may merge topics."""

    list_display = ["name", "slug"]
    ordering = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug"]
    # Which articles carry a topic is edited in the articles' own
    # (reviewed) form, not here.
    inlines = [TopicNameInline]
    actions = ["merge_topics"]

    def has_merge_permission(self, request):
        # Merging renames topics on live pages at once.
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    def get_urls(self):
        return [
            path(
                "merge/",
                self.admin_site.admin_view(self.merge_view),
                name="conditions_topic_merge",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=gettext_lazy("Merge the selected topics…"), permissions=["merge"])
    def merge_topics(self, request, queryset):
        return self.merge_view(request, queryset)

    def merge_view(self, request, queryset=None):
        """Choose the topic to merge the selected ones into, then merge."""
        if not (self.has_merge_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if queryset is None:
            ids = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
            queryset = self.get_queryset(request).filter(pk__in=[i for i in ids if i.isdigit()])
        topics = list(queryset.order_by("name"))
        changelist = reverse("admin:conditions_topic_changelist")
        if len(topics) < 2:
            self.message_user(request, _("Select two topics or more to merge."), messages.WARNING)
            return redirect(changelist)
        form = MergeTopicsForm(
            request.POST if "into" in request.POST else None,
            initial={"into": topics[0].name},
        )
        if form.is_valid():
            kept = shared_records.merge_topics(
                topics=topics, into=form.cleaned_data["into"].strip(), user=request.user
            )
            self.message_user(
                request,
                ngettext(
                    "Merged %(count)d topic into “%(topic)s”.",
                    "Merged %(count)d topics into “%(topic)s”.",
                    len(topics),
                )
                % {"count": len(topics), "topic": kept},
                messages.SUCCESS,
            )
            return redirect(changelist)
        return TemplateResponse(
            request,
            "admin/conditions/topic/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Merge topics"),
                "topics": topics,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def save_related(self, request, form, formsets, change):
        """The topic's names in other languages wait for a reviewer as its
        name does, when published articles show it."""
        tag = form.instance
        if not (change and shared_records.needs_approval(request.user, tag)):
            return super().save_related(request, form, formsets, change)
        proposed = {}
        for formset in formsets:
            # Nothing of the formset is saved (the admin's history says so).
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            deleted = set(formset.deleted_forms)
            for inline_form in formset.forms:
                data = getattr(inline_form, "cleaned_data", None) or {}
                if inline_form in deleted or not data.get("language") or not data.get("name"):
                    continue
                proposed[data["language"]] = data["name"]
        if proposed != shared_records.topic_names(tag):
            shared_records.propose(
                record=tag, changes={shared_records.TOPIC_NAMES: proposed}, user=request.user
            )
            request._change_pending = True
        return None
