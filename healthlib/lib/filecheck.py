"""Collecting "path: problem" lines about a content document.

A path reads like the document: ``articles[3].sections[2].kind``; a key
that is not a plain name (a file name) is quoted: ``files["a b.png"]``.
JSON Schema errors and the apps' own checks are written in that one form.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def path_of(parts):
    """``["articles", 3, "kind"]`` → ``articles[3].kind``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _NAME.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out or "(document)"


def show(value):
    """A value for a message: short, and never a whole nested structure."""
    if isinstance(value, dict | list):
        if not value:
            return json.dumps(value)
        return "an object" if isinstance(value, dict) else "a list"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


@dataclass
class Checker:
    """Collects "path: problem" lines while walking the document."""

    errors: list = field(default_factory=list)
    limit: int = 200

    @property
    def full(self):
        return len(self.errors) >= self.limit

    def add(self, path, message):
        error = f"{path}: {message}"
        if not self.full and error not in self.errors:
            self.errors.append(error)

    def schema_error(self, error):
        """One ``jsonschema.ValidationError``, in the document's words."""
        parts = list(error.absolute_path)
        if "propertyNames" in error.schema_path:
            # The key itself is at fault; jsonschema points at its object.
            parts.append(error.instance)
        if error.validator == "pattern":
            # The schema says in words what its pattern means.
            self.add(path_of(parts), error.schema.get("description", "not in the expected form"))
        elif error.validator == "required":
            for name in error.validator_value:
                if name not in error.instance:
                    self.add(path_of([*parts, name]), "missing")
        elif error.validator == "type":
            kinds = error.validator_value
            kinds = [kinds] if isinstance(kinds, str) else kinds
            expected = " or ".join(_TYPE_NAMES.get(k, k) for k in kinds)
            self.add(path_of(parts), f"expected {expected}, got {show(error.instance)}")
        elif error.validator == "const":
            self.add(path_of(parts), f"expected {show(error.validator_value)}")
        else:
            self.add(path_of(parts), error.message)

    def model(self, instance, path, exclude=()):
        try:
            instance.full_clean(
                exclude=list(exclude), validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                where = path if name == "__all__" else f"{path}.{name}"
                for message in messages:
                    self.add(where, message)

    def time(self, entry, key, path, *, required=True):
        """Check ``entry[key]`` (a string or null, as the schema says): an ISO
        date and time with a time zone that can be told in UTC."""
        path = f"{path}.{key}"
        value = entry.get(key)
        if value is None:
            if required:
                self.add(path, "must not be null")
            return None
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.add(path, f"expected a date and time with a time zone, got {show(value)}")
            return None
        try:
            # The export writes times in UTC: 0001-01-01T00:00+05:00 has none.
            parsed.astimezone(datetime.UTC)
        except OverflowError:
            self.add(path, f"{show(value)} is out of range (before year 1 or after 9999 in UTC)")
            return None
        return parsed

    def fields(self, entry, path, names, instance_class, exclude=(), **fixed):
        """Build an unsaved ``instance_class`` from ``entry`` (whose types the
        schema checked) and validate it with the model's own rules."""
        values = {name: entry[name] for name in names if name in entry}
        for name in names:
            if name not in entry:
                self.add(f"{path}.{name}", "missing")
        try:
            instance = instance_class(**values, **fixed)
        except (TypeError, ValueError) as exc:
            self.add(path, str(exc))
            return None
        self.model(instance, path, exclude)
        return instance

    def unique(self, entries, names, *, fold=("name",), also=None):
        """Each of ``names`` differs between ``entries`` ((path, dict) pairs);
        names in ``fold`` compare case-insensitively, as the database does."""
        seen = {name: {} for name in names}
        for path, entry in entries:
            for name in names:
                value = entry.get(name)
                if not isinstance(value, str):
                    continue
                key = value.casefold() if name in fold else value
                if key in seen[name]:
                    self.add(
                        f"{path}.{name}",
                        f"{json.dumps(value)} is used twice (also {seen[name][key]})",
                    )
                else:
                    seen[name][key] = path


def items(parent, key, path=""):
    """(path, item) for each item of the list ``parent[key]`` (the schema
    checked it is a list, maybe absent)."""
    base = f"{path}.{key}" if path else key
    return [(f"{base}[{n}]", item) for n, item in enumerate(parent.get(key) or ())]


def nul_characters(doc, limit=20):
    """Paths of strings (keys too) holding U+0000, which PostgreSQL cannot
    store. Iterative: a deep document must not exhaust the stack."""
    found = []
    stack = [((), doc)]
    while stack and len(found) < limit:
        parts, value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                found.append(path_of(parts))
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    found.append(path_of(parts) + " (a key)")
                stack.append(((*parts, key), item))
        elif isinstance(value, list):
            stack.extend(((*parts, n), item) for n, item in enumerate(value))
    return sorted(found)
