"""The article list's filters: review overdue, reading level, translation."""

from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from conditions.pages.translations import SOURCE_LANGUAGE
from conditions.review import readability

# Long text comes back from the browser exactly as it was served (see
# ExactTextField): a form posted back unchanged changes nothing.


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
