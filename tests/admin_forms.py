"""Drive the Django admin's real add/change forms from tests."""


def _value(field):
    value = field.value()
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    if hasattr(value, "name") and not isinstance(value, str):  # files
        return ""
    return value


def form_data(response):
    """POST data reproducing the admin change form as rendered, inlines included."""
    context = response.context
    data = {}
    adminform = context["adminform"]
    for name, _field in adminform.form.fields.items():
        bound = adminform.form[name]
        value = _value(bound)
        if value != "" and value != []:
            data[name] = value
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for name, _field in formset.management_form.fields.items():
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for form in formset.initial_forms:
            for name in form.fields:
                value = _value(form[name])
                if value != "" and value != []:
                    data[form.add_prefix(name)] = value
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
    return data


def add_rows(data, prefix, rows):
    """Append new rows (dicts of field → value) to the inline ``prefix``."""
    start = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    for i, row in enumerate(rows, start=start):
        for name, value in row.items():
            data[f"{prefix}-{i}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = start + len(rows)
    return data
