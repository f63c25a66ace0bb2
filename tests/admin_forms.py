"""Drive the Django admin's real add/change forms from tests."""

from html.parser import HTMLParser

from django.urls import reverse


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


class _FormParser(HTMLParser):
    """Collects what a browser would submit from the first <form method=post>
    with an id ending in ``_form`` (the admin's change form)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = []  # (name, value) in document order, as a browser sends
        self._in_form = False
        self._done = False
        self._select = None  # (name, multiple, options [(value, selected)])
        self._option = None
        self._textarea = None
        self.textareas = set()
        self.reordered = set()  # the hidden order inputs the sorting scripts number

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self._done and (attrs.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            name = attrs.get("name")
            if not name or "disabled" in attrs or kind in ("submit", "button", "image", "reset"):
                return
            if kind == "file":
                return  # no file chosen: the stored one is kept
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
                return
            self.fields.append((name, attrs.get("value", "")))
            if "_reorder_" in (attrs.get("class") or "").split():
                self.reordered.add(name)
        elif tag == "select" and attrs.get("name") and "disabled" not in attrs:
            self._select = (attrs["name"], "multiple" in attrs, [])
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, ""]
            self._select[2].append(self._option)
        elif tag == "textarea" and attrs.get("name") and "disabled" not in attrs:
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self._in_form:
            return
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            chosen = [o for o in options if o[1]]
            if not chosen and not multiple and options:
                chosen = options[:1]  # a browser submits the first option
            for value, _selected, text in chosen:
                self.fields.append((name, value if value is not None else text.strip()))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # A browser drops the one newline that follows <textarea>.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textareas.add(name)
            self._textarea = None
        elif tag == "form":
            self._in_form = False
            self._done = True


def browser_form_data(response, *, numbered=False):
    """The admin form in ``response`` as a browser would POST it, unchanged:
    a dict of name → value, or name → [values] for repeated names.

    A textarea's newlines are sent as CRLF, as browsers send them.
    ``numbered``: the ordered inlines' rows are numbered 1, 2, 3… in page
    order, the blank rows too, as the article form's script numbers them
    when the form is sent."""
    parser = _FormParser()
    parser.feed(response.content.decode())
    assert parser.fields, "no admin form found on the page"
    data = {}
    for name, value in parser.fields:
        if name in parser.textareas:
            value = value.replace("\r\n", "\n").replace("\n", "\r\n")
        if name not in data:
            data[name] = value
        elif isinstance(data[name], list):
            data[name].append(value)
        else:
            data[name] = [data[name], value]
    if numbered:
        for prefix in _ordered_prefixes(parser.reordered):
            for position, row in enumerate(_rows(data, prefix), start=1):
                data[f"{prefix}-{row}-order"] = str(position)
    return data


def _ordered_prefixes(reordered):
    return [
        name.removesuffix("-__prefix__-order")
        for name in reordered
        if name.endswith("-__prefix__-order")
    ]


def _rows(data, prefix):
    return range(int(data[f"{prefix}-TOTAL_FORMS"]))


def add_another(data, prefix, row, *, numbered=False):
    """Click "Add another" under the inline ``prefix`` and fill the new row
    with ``row`` (field → value): the row starts as a copy of the page's
    empty row, as Django's inlines script makes it. ``numbered``: the page's
    script then numbers the rows 1, 2, 3… (the new one last)."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    template = f"{prefix}-__prefix__-"
    for name, value in list(data.items()):
        if name.startswith(template):
            data[f"{prefix}-{index}-{name.removeprefix(template)}"] = value
    for name, value in row.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    if numbered:
        data[f"{prefix}-{index}-order"] = str(index + 1)
    return index


def change_url(condition):
    return reverse("admin:conditions_condition_change", args=[condition.pk])


def workflow_url(condition, action):
    return reverse("admin:conditions_condition_workflow", args=[condition.pk, action])


def workflow_post(client, condition, action, **fields):
    """Open the workflow page as a reviewer would, fill in ``fields`` and
    send it: the page names the revision the reviewer read."""
    data = browser_form_data(client.get(workflow_url(condition, action)))
    data.update(fields)
    return client.post(workflow_url(condition, action), data)


def edit_in_admin(client, condition, **changes):
    data = form_data(client.get(change_url(condition)))
    data.update(changes)
    return client.post(change_url(condition), data)


def change_url_of(obj):
    """The admin change page of any registered object."""
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def form_errors(response):
    """What the admin said was wrong with the form in ``response``: its errors
    and its inlines', or the status code."""
    if response.status_code != 200 or response.context is None:
        return response.status_code
    errors = [str(e) for e in response.context.get("errors") or []]
    formsets = response.context.get("inline_admin_formsets") or []
    for inline in formsets:
        errors += [f"{inline.formset.prefix}: {e}" for e in inline.formset.errors if e]
        errors += [f"{inline.formset.prefix}: {e}" for e in inline.formset.non_form_errors()]
    return errors or response.status_code
