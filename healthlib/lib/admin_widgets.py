"""Admin autocomplete widgets that survive crafted form data.

When a form with an autocomplete field is shown again with its errors,
Django's ``AutocompleteSelect`` looks the submitted ids up to label them,
and a value the key field cannot hold (``"abc"`` for an integer id, or an
integer past the column's range) raises from the database: a 500 instead of
the form's own "Select a valid choice" error. These widgets leave such
values out of that look-up; the form field still reports them.

The multiple-choice widget also renders the chosen options in the order it
was given (the stored order, or the order submitted), not the related
model's: a browser submits the options in page order, so an alphabetical
page would re-sort an ordered list (a group's drugs) at every save.

``ExactTextField`` is the form field for long text that must come back as
it was served: a browser submits a textarea's newlines as CRLF, and
Django's ``CharField`` strips leading and trailing whitespace, so a form
posted back unchanged would still change the text.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connections


class _ValidValuesOnly:
    def _holdable(self, value):
        remote = self.field.remote_field
        field_name = getattr(remote, "field_name", None)  # a ForeignKey's to_field
        meta = remote.model._meta
        to_field = meta.get_field(field_name) if field_name else meta.pk
        try:
            python = to_field.to_python(value)
        except (ValidationError, TypeError, ValueError):
            return False
        if isinstance(python, int):
            low, high = connections[self.db or "default"].ops.integer_field_range(
                to_field.get_internal_type()
            )
            return (low is None or python >= low) and (high is None or python <= high)
        return True

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._holdable(v)], attr)


class SafeAutocompleteSelect(_ValidValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidValuesOnly, AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        position = {str(v): n for n, v in enumerate(value)}
        for _group, options, _index in groups:
            options.sort(key=lambda o: position.get(str(o["value"]), len(position)))
        return groups


class ExactTextField(forms.CharField):
    """A text field that keeps the text as typed: CRLF and lone CR become
    LF (what the stored text uses), and no whitespace is stripped."""

    def __init__(self, *, strip=False, **kwargs):
        super().__init__(strip=strip, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return super().to_python(value)


class SafeAutocompleteMixin:
    """For ModelAdmin and inline classes: ``autocomplete_fields`` get the
    widgets above instead of Django's."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
