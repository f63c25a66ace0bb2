"""The article in the admin: its form and the page editors spend their day on."""

from adminsortable2.admin import (
    SortableAdminBase,
)
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_POST

from conditions import selectors, services
from conditions.admin import signoffs as signoff_admin
from conditions.admin.filters import ReadingLevelFilter, ReviewOverdueFilter, TranslationFilter
from conditions.admin.inlines import (
    EXACT_TEXT,
    DrugGroupInline,
    FigureInline,
    MedicalCodeInline,
    OrganizationInline,
    ReferenceInline,
    SectionInline,
)
from conditions.admin.records import TopicLinksNotListedOnDelete
from conditions.admin.workflow import WorkflowAdminMixin
from conditions.admin.workflow_forms import ACTIONS
from conditions.models import (
    Condition,
)
from conditions.review import readability
from healthlib.lib.admin_uploads import UploadErrorsAsFormErrors
from healthlib.lib.admin_widgets import (
    SafeAutocompleteMixin,
)
from healthlib.lib.markdown import BODY_MAX_LENGTH, render_markdown

# Long text comes back from the browser exactly as it was served (see
# ExactTextField): a form posted back unchanged changes nothing.


class ConditionForm(forms.ModelForm):
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    revision_comment = forms.CharField(
        label="Describe your change",
        max_length=300,
        required=False,
        help_text="Kept in the article's history, for the reviewers.",
        widget=forms.TextInput(attrs={"size": 80}),
    )

    class Meta:
        model = Condition
        fields = [
            "title", "slug", "alternate_names", "summary", "audience", "tags",
            "related", "replaced_by",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_revision"].initial = self.instance.latest_revision_id

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            submitted = cleaned.get("base_revision")
            current = services.newer_revision_than(self.instance, submitted)
            if current is not None:
                url = reverse("admin:conditions_condition_compare", args=[self.instance.pk])
                if submitted:
                    url += f"?a={submitted}&b={current}"
                raise forms.ValidationError(
                    format_html(
                        "Someone else saved this article after you opened it, so your changes "
                        "were not saved and nothing was overwritten. "
                        '<a href="{}">Compare their version with the one you started from</a>, '
                        "then reload this page and make your changes again (your text is still "
                        "in the form below to copy).",
                        url,
                    ),
                    code="stale",
                )
        return cleaned


# The article form's writing tools: plain scripts, one per concern, that
# share one namespace; base.js makes it and says what each file does,
# start.js sets them up. Loaded in this order, no build step.
ARTICLE_FORM_JS = [
    f"conditions/article_form/{name}.js"
    for name in (
        "base",
        "tabs",
        "jump_list",
        "reading_level",
        "preview",
        "link_picker",
        "reorder",
        "drug_order",
        "start",
    )
]


@admin.register(Condition)
class ConditionAdmin(
    TopicLinksNotListedOnDelete,
    UploadErrorsAsFormErrors,
    SafeAutocompleteMixin,
    signoff_admin.SignoffAdminMixin,
    WorkflowAdminMixin,
    SortableAdminBase,
    admin.ModelAdmin,
):
    form = ConditionForm
    formfield_overrides = EXACT_TEXT
    list_display = [
        "title",
        "language_column",
        "status_column",
        "reading_grade_column",
        "last_reviewed",
        "next_review_due",
        "updated_at",
    ]
    list_filter = [
        "status",
        TranslationFilter,
        ReviewOverdueFilter,
        ReadingLevelFilter,
        "audience",
        "tags",
    ]
    search_fields = ["title", "alternate_names", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related", "replaced_by"]
    readonly_fields = [
        "status",
        "content_checks",
        "article_reading_level",
        "review_summary",
        "reader_feedback",
    ]
    # The classes name the tab each part shows in (conditions/static/
    # conditions/article_form/tabs.js); "Your change" stays beside the save bar.
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "alternate_names", "summary", "audience"],
                "classes": ["tab-article"],
            },
        ),
        (
            "Checks",
            {"fields": ["content_checks", "article_reading_level"], "classes": ["tab-article"]},
        ),
        ("Review", {"fields": ["status", "review_summary"], "classes": ["tab-article"]}),
        (
            "Related",
            {"fields": ["related", "replaced_by"], "classes": ["collapse", "tab-article"]},
        ),
        ("Topics", {"fields": ["tags"], "classes": ["tab-codes"]}),
        ("Readers' feedback", {"fields": ["reader_feedback"], "classes": ["tab-article"]}),
        ("Your change", {"fields": ["revision_comment", "base_revision"]}),
    ]
    inlines = [
        SectionInline,
        DrugGroupInline,
        ReferenceInline,
        OrganizationInline,
        FigureInline,
        MedicalCodeInline,
    ]
    list_per_page = 50
    save_on_top = True

    class Media:
        css = {"all": ["conditions/article_form.css"]}
        js = [*ARTICLE_FORM_JS, "conditions/unsaved_changes.js"]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "writing/preview/",
                view(require_POST(self.markdown_preview_view)),
                name="conditions_condition_markdown_preview",
            ),
            path(
                "writing/links/",
                view(require_GET(self.link_choices_view)),
                name="conditions_condition_link_choices",
            ),
            *super().get_urls(),
        ]

    def _may_write(self, request):
        return self.has_change_permission(request) or self.has_add_permission(request)

    def markdown_preview_view(self, request):
        """A section body rendered exactly as the public page renders it,
        with its reading level, for the live preview beside the editor."""
        if not self._may_write(request):
            raise PermissionDenied
        body = request.POST.get("body", "")[:BODY_MAX_LENGTH]
        language = request.POST.get("language") or settings.LANGUAGE_CODE
        if language not in readability.TEXTSTAT_LANG:
            language = settings.LANGUAGE_CODE
        return JsonResponse(
            {
                "html": render_markdown(body),
                "readability": readability.section_report(
                    body, selectors.glossary(), language=language
                ),
            }
        )

    def link_choices_view(self, request):
        if not self._may_write(request):
            raise PermissionDenied
        return JsonResponse({"results": selectors.link_choices(request.GET.get("q", ""))})

    def get_queryset(self, request):
        # Every language: a translation is edited like any article.
        return (
            super()
            .get_queryset(request)
            .editable(language=None)
            .select_related("live_copy", "translation_of")
        )

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is not None and obj.is_translation:
            # Codes are the English article's; lookups find translations through it.
            return [i for i in inlines if i is not MedicalCodeInline]
        return inlines

    @admin.display(description="language", ordering="language")
    def language_column(self, obj):
        if not obj.is_translation:
            return "English"
        if obj.source_updated_at:
            return f"{obj.language_name} (English article changed)"
        return obj.language_name

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "reading_grade_target": readability.target()}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        condition = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if condition is not None:
            extra_context["workflow_actions"] = [
                (action, ACTIONS[action][0])
                for action in services.allowed_actions(request.user, condition)
            ]
            extra_context["translation_panel"] = selectors.translation_panel(condition)
            extra_context.update(signoff_admin.panel(request.user, condition))
            # Shown above the form until the article is submitted again.
            extra_context["changes_requested"] = selectors.changes_requested(condition)
            extra_context["scheduled"] = (
                condition.revisions.exclude(approved_go_live_at=None)
                .values_list("approved_go_live_at", flat=True)
                .first()
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def view_on_site(self, obj):
        live = getattr(obj, "live_copy", None)
        if live is not None:
            return live.get_absolute_url()
        return reverse("conditions:preview", args=[obj.pk])

    @admin.display(description="reading grade", ordering="reading_grade")
    def reading_grade_column(self, obj):
        if obj.reading_grade is None:
            return "–"
        if obj.reading_grade > readability.target():
            return f"{obj.reading_grade:g} (above target)"
        return f"{obj.reading_grade:g}"

    @admin.display(description="reading level")
    def article_reading_level(self, obj):
        if obj is None or obj.latest_revision_id is None:
            return "Measured after the first save."
        levels = obj.latest_revision.readability or {}
        article = levels.get("article")
        if not article:
            return "Not measured yet: saved before reading levels were kept."
        above = [s["heading"] for s in levels.get("sections", []) if _above(s)]
        score = readability.Score.from_dict(article)
        verdict = readability.score_verdict(score)
        smog = f" SMOG {score.smog:g}," if score.smog is not None else ""
        text = f"The whole article: {verdict}{smog} {score.words} words."
        if above:
            text += " Sections above the target: " + ", ".join(above) + "."
        return text

    @admin.display(description="status", ordering="status")
    def status_column(self, obj):
        label = obj.get_status_display()
        if obj.live_revision_id and obj.status != Condition.Status.PUBLISHED:
            label = f"{label} (published version live)"
        elif obj.status == Condition.Status.PUBLISHED and obj.has_unpublished_changes:
            label = f"{label}, with unpublished changes"
        return label

    @admin.display(description="review")
    def review_summary(self, obj):
        if not obj.last_reviewed:
            return "Not reviewed yet."
        text = f"Last reviewed {obj.last_reviewed:%B %-d, %Y}"
        if obj.reviewer_name:
            text += f" by {obj.reviewer_display}"
        if obj.next_review_due:
            text += f"; next review due {obj.next_review_due:%B %-d, %Y}"
            if obj.is_review_overdue:
                text += " (overdue)"
        return text + "."

    @admin.display(description="content checks")
    def content_checks(self, obj):
        if obj is None or obj.pk is None:
            return "Checked after the first save."
        if not obj.check_problems:
            return "No broken article links, content gaps, empty sections or figure problems."
        return format_html(
            '<ul class="content-checks">{}</ul>',
            format_html_join(
                "",
                "<li>{}{}</li>",
                (
                    ("Blocks publishing: " if p["blocking"] else "", p["message"])
                    for p in obj.check_problems
                ),
            ),
        )

    @admin.display(description="was this page helpful?")
    def reader_feedback(self, obj):
        if obj is None or obj.pk is None:
            return "Readers can answer once the article is published."
        counts, comments = selectors.article_feedback(obj)
        url = reverse("admin:conditions_feedback_changelist") + f"?condition__id__exact={obj.pk}"
        summary = format_html(
            "<p>Yes: {} · No: {} · Comments to handle: {} · "
            '<a href="{}">All feedback on this article</a></p>',
            counts["yes"],
            counts["no"],
            counts["to_handle"],
            url,
        )
        if not comments:
            return summary
        return summary + format_html(
            '<ul class="feedback-comments">{}</ul>',
            format_html_join(
                "",
                "<li><strong>{}</strong> ({}): {}</li>",
                (
                    (
                        "Helpful" if f.helpful else "Not helpful",
                        f"{timezone.localtime(f.created_at):%B %-d, %Y}",
                        f.comment,
                    )
                    for f in comments
                ),
            ),
        )

    def delete_model(self, request, obj):
        services.delete_article(condition=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for condition in queryset:
            services.delete_article(condition=condition, user=request.user)

    def save_model(self, request, obj, form, change):
        obj._status_before = obj.status if change else ""
        if change:
            obj.status = services.status_after_edit(obj.status)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        condition = form.instance
        if change and services.unchanged_since_latest_revision(condition):
            # Saved as it was: no revision to review or publish, and the
            # article keeps its status.
            before = condition._status_before
            if condition.status != before:
                Condition.objects.filter(pk=condition.pk).update(status=before)
                condition.status = before
            return
        # One revision per save that changed the article, in the admin's
        # own transaction.
        services.record_revision(
            condition=form.instance,
            user=request.user,
            comment=form.cleaned_data.get("revision_comment", "")
            or ("Edited" if change else "Created"),
            status_before=getattr(form.instance, "_status_before", ""),
        )


def _above(stored):
    return readability.is_above_target(readability.Score.from_dict(stored))
