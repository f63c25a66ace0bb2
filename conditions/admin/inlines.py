"""The article form's parts: sections, drug groups, references, organizations,
figures and codes, each kept in the order the editor gave them."""

from adminsortable2.admin import (
    CustomInlineFormSetMixin,
    SortableStackedInline,
    SortableTabularInline,
)
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db import models
from django.utils.html import format_html

from conditions.models import (
    ArticleOrganization,
    Drug,
    DrugGroup,
    DrugGroupItem,
    Figure,
    MedicalCode,
    Reference,
    Section,
)
from conditions.review import readability
from healthlib.lib.admin_widgets import (
    ExactTextField,
    SafeAutocompleteMixin,
    SafeAutocompleteSelectMultiple,
)

# Long text comes back from the browser exactly as it was served (see
# ExactTextField): a form posted back unchanged changes nothing.


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
        ("publisher", "edition"),
        ("doi", "pmid", "url"),
        "accessed_on",
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
