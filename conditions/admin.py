"""The editors' admin: articles with all their parts, drugs, organizations."""

from adminsortable2.admin import (
    CustomInlineFormSetMixin,
    SortableAdminBase,
    SortableStackedInline,
    SortableTabularInline,
)
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_POST
from taggit.admin import TagAdmin
from taggit.models import Tag

from healthlib.admin_uploads import UploadErrorsAsFormErrors
from healthlib.admin_widgets import (
    ExactTextField,
    SafeAutocompleteMixin,
    SafeAutocompleteSelectMultiple,
)
from healthlib.markdown import BODY_MAX_LENGTH, render_markdown

from . import readability, selectors, services, shared_records
from .admin_workflow import ACTIONS, WorkflowAdminMixin
from .models import (
    ArticleOrganization,
    Condition,
    Drug,
    DrugGroup,
    DrugGroupItem,
    Feedback,
    Figure,
    GlossaryTerm,
    MedicalCode,
    Organization,
    PendingChange,
    Reference,
    Section,
    TopicName,
)
from .translations import SOURCE_LANGUAGE

# Long text comes back from the browser exactly as it was served (see
# ExactTextField): a form posted back unchanged changes nothing.
EXACT_TEXT = {models.TextField: {"form_class": ExactTextField}}


class OrderedRowForm(forms.ModelForm):
    """A row of an ordered inline. A new row that only has an order (the
    blank row, numbered by the page's script with the others) is still
    blank: it is skipped, not checked for its required fields."""

    def has_changed(self):
        if self.instance.pk is None:
            return any(name != "order" for name in self.changed_data)
        return super().has_changed()


class OrderedFormSet(forms.BaseInlineFormSet):
    """Numbers the rows 0, 1, 2… in the order the editor gave (by the order
    field, then by position), so gaps and ties never reach the page."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None or index >= self.initial_form_count():
            # A new row (the blank one, and the one "Add another" copies) is
            # served with no order: the model's default, 0, put it second,
            # after the first row. With none it goes last, unless moved.
            kwargs["initial"] = {**kwargs.get("initial", {}), "order": None}
        return kwargs

    def save(self, commit=True):
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]
        kept.sort(key=lambda f: (_order_given(f), self.forms.index(f)))
        for position, form in enumerate(kept):
            if form.cleaned_data:
                form.instance.order = position
                if form.instance.pk and "order" not in form.changed_data:
                    form.changed_data.append("order")
        return super().save(commit)


def _order_given(form):
    """The row's order as the editor gave it; a row with none goes last."""
    order = form.cleaned_data.get("order")
    return float("inf") if order is None else order


class SortableOrderedFormSet(CustomInlineFormSetMixin, OrderedFormSet):
    """django-admin-sortable2 hides the order field; the article form's
    script numbers every row 1, 2, 3… in page order when the form is sent
    (conditions/static/conditions/article_form/reorder.js); OrderedFormSet
    then stores them as 0, 1, 2… as before."""

    def save_new(self, form, commit=True):
        # adminsortable2 would give a new row max(order) + 1; OrderedFormSet
        # has already given it its position.
        return forms.BaseInlineFormSet.save_new(self, form, commit)


class OrderedInline:
    form = OrderedRowForm
    formset = SortableOrderedFormSet
    extra = 0
    formfield_overrides = EXACT_TEXT


class SectionInline(OrderedInline, SortableStackedInline):
    model = Section
    fields = [("kind", "heading"), "body", "reading_level"]
    readonly_fields = ["reading_level"]
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(
                attrs={"rows": 10, "cols": 90, "class": "writing-body"}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="reading level")
    def reading_level(self, obj):
        # The stored text's level; the page's script updates it as the
        # editor types (the preview endpoint).
        if obj is None or obj.pk is None:
            return "Measured as you type."
        score = readability.score_markdown(obj.body, obj.condition.language)
        return format_html(
            '<span class="reading-verdict{}">{}</span>{} {} words.',
            " above-target" if readability.is_above_target(score) else "",
            readability.score_verdict(score),
            f" SMOG {score.smog:g}," if score.smog is not None else "",
            score.words,
        )


class DrugGroupForm(OrderedRowForm):
    drug_list = forms.ModelMultipleChoiceField(
        queryset=Drug.objects.all(),
        required=False,
        label="Drugs",
        help_text="In the order readers should see them. Use + to add a new drug.",
    )

    class Meta:
        model = DrugGroup
        fields = ["heading"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(
                "drug_list", [item.drug_id for item in self.instance.items.all()]
            )

    def ordered_drug_ids(self):
        chosen = {drug.pk for drug in self.cleaned_data.get("drug_list", ())}
        submitted = self.data.getlist(self.add_prefix("drug_list"))
        ordered = []
        for value in submitted:
            if value.isdigit() and int(value) in chosen and int(value) not in ordered:
                ordered.append(int(value))
        return ordered

    def save(self, commit=True):
        group = super().save(commit)
        drug_ids = self.ordered_drug_ids()

        def save_items():
            group.items.all().delete()
            DrugGroupItem.objects.bulk_create(
                DrugGroupItem(group=group, drug_id=drug_id, order=n)
                for n, drug_id in enumerate(drug_ids)
            )

        if commit:
            save_items()
        else:
            self.save_m2m = save_items
        return group


class DrugGroupInline(OrderedInline, SortableStackedInline):
    model = DrugGroup
    form = DrugGroupForm
    fields = ["heading", "drug_list"]
    verbose_name = "drug group (shown in the Treatment section)"
    verbose_name_plural = "drug groups (shown in the Treatment section)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        rel = DrugGroup._meta.get_field("drugs").remote_field
        widget = SafeAutocompleteSelectMultiple(DrugGroup._meta.get_field("drugs"), self.admin_site)
        formset.form.base_fields["drug_list"].widget = RelatedFieldWidgetWrapper(
            widget, rel, self.admin_site, can_add_related=True
        )
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")


class ReferenceInline(OrderedInline, SortableStackedInline):
    model = Reference
    fields = [
        "authors",
        "title",
        ("journal", "year", "month"),
        ("volume", "issue", "pages"),
        ("doi", "pmid", "url"),
        "citation_text",
    ]


class OrganizationInline(SafeAutocompleteMixin, OrderedInline, SortableTabularInline):
    model = ArticleOrganization
    fields = ["organization"]
    autocomplete_fields = ["organization"]
    verbose_name = "resource organization"
    verbose_name_plural = "resource organizations (listed by their region)"


class FigureInline(OrderedInline, SortableStackedInline):
    model = Figure
    fields = ["image", "alt_text", ("caption", "credit"), "placement"]


class MedicalCodeInline(admin.TabularInline):
    model = MedicalCode
    extra = 0


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("due30", "Due within 30 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.review_overdue(today)
        if self.value() == "due30":
            return queryset.review_due_within(30, today)
        return queryset


class ReadingLevelFilter(admin.SimpleListFilter):
    title = "reading level"
    parameter_name = "reading"

    def lookups(self, request, model_admin):
        goal = f"{readability.target():g}"
        return [("above", f"Above target (grade {goal})"), ("within", "At or below target")]

    def queryset(self, request, queryset):
        if self.value() == "above":
            return queryset.filter(reading_grade__gt=readability.target())
        if self.value() == "within":
            return queryset.filter(reading_grade__lte=readability.target())
        return queryset


class TranslationFilter(admin.SimpleListFilter):
    title = "language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        other = [(code, name) for code, name in settings.LANGUAGES if code != SOURCE_LANGUAGE]
        return [
            (SOURCE_LANGUAGE, "English articles"),
            *[(code, f"{name} translations") for code, name in other],
            ("source_updated", "Translations whose English article changed"),
            *[(f"untranslated-{code}", f"Not translated into {name}") for code, name in other],
        ]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value == "source_updated":
            return queryset.source_updated()
        if value.startswith("untranslated-"):
            return queryset.filter(language=SOURCE_LANGUAGE).exclude(
                translations__language=value.removeprefix("untranslated-")
            )
        if value in dict(settings.LANGUAGES):
            return queryset.filter(language=value)
        return queryset


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
    UploadErrorsAsFormErrors,
    SafeAutocompleteMixin,
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


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    """Hard words and their plain alternatives, for the reading-level hints."""

    list_display = ["term", "plain"]
    search_fields = ["term", "plain"]


class SharedRecordAdminMixin:
    """Changes to a record that published articles show wait for a medical
    reviewer when made by someone who may not publish (see
    ``conditions.shared_records``)."""

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
        if change and form.changed_data and shared_records.needs_approval(request.user, obj):
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            shared_records.propose(record=obj, changes=changes, user=request.user)
            request._change_pending = True
            return
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if getattr(request, "_change_pending", False):
            self.message_user(
                request,
                f"Your change to “{obj}” waits for a medical reviewer's approval. Published "
                "articles show it once it is approved; until then readers see the current values.",
                messages.WARNING,
            )
            return HttpResponseRedirect(
                reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
            )
        return super().response_change(request, obj)


def describe_pending(pending, record=None):
    """“name: “Old” → “New”; …” for a pending change."""
    record = record if record is not None else pending.record
    parts = []
    for name, value in pending.changes.items():
        old = getattr(record, name, "") if record is not None else ""
        label = name.replace("_", " ")
        parts.append(format_html("{}: “{}” → “{}”", label, old or "(empty)", value or "(empty)"))
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
        opts = record._meta
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
    list_display = ["name", "rxnorm_code", "used_in"]
    search_fields = ["name", "other_names"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "other_names",
        "names",
        "rxnorm_code",
        "description",
        "usual_use",
        "side_effects",
        "label_url",
        "medlineplus_url",
    ]
    used_in_path = "group_items__group__condition"


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


@admin.register(Organization)
class OrganizationAdmin(UsedInAdmin):
    list_display = ["name", "region", "url", "used_in"]
    list_filter = ["region"]
    search_fields = ["name"]
    fields = ["name", "names", "url", "region"]
    used_in_path = "links__condition"


admin.site.unregister(Tag)


class TopicNameInline(admin.TabularInline):
    model = TopicName
    extra = 1
    verbose_name = "name in another language"
    verbose_name_plural = "names in other languages"


@admin.register(Tag)
class TopicAdmin(SharedRecordAdminMixin, TagAdmin):
    """Topics (taggit tags): a renamed topic is renamed on published pages
    only once a medical reviewer approves it."""

    fields = ["name", "slug"]
    # taggit's inline edits which articles carry a topic, live copies
    # included; articles get their topics in their own (reviewed) form.
    inlines = [TopicNameInline]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(services.PUBLISH_PERMISSION):
            actions.pop("render_tag_form", None)  # merging renames topics on live pages
        return actions
