"""What a piece of stored output is made from, found and digested.

Output stored for later (an article page rendered at publication) is stale
once anything it was made from changes: a template, the Python code that
shapes it, a translation, a setting. ``Sources.find`` finds those from the
entry points alone, so nobody keeps a list or bumps a number:

* templates: the given ones and every one they reach through
  ``{% extends %}`` and ``{% include %}``, as Django's loader finds them;
* code: the modules given, the template tag libraries those templates
  ``{% load %}``, the format modules of each language, and every module of
  the project (under ``root``) that any of them imports, at the top or in
  a function;
* translations: the ``locale/*/LC_MESSAGES/*.po`` of each app those
  modules belong to, and of ``LOCALE_PATHS``;
* settings: every ``settings.NAME`` those modules read (less ``IGNORED``),
  and those the caller names that other packages read for it.

``Sources.digest()`` reads them and digests their text, with Django's
version and the settings' current values. Third-party packages other than
Django are not read: after upgrading one that shapes the output, rebuild.
"""

import ast
import functools
import hashlib
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.template import engines
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.utils import formats

# Settings that choose how output is made, not what it is.
IGNORED = frozenset({"DEBUG"})
_SETTING = re.compile(r"\bsettings\.([A-Z][A-Z0-9_]*)\b")
_LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")
_SECRET = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$|^KEY$")


class DynamicTemplateName(Exception):
    """A template includes or extends a name known only when rendering."""


@dataclass(frozen=True)
class Sources:
    templates: tuple  # template names, with their origin's path
    modules: tuple  # (dotted name, Path)
    catalogs: tuple  # Path
    settings: tuple  # setting names

    @classmethod
    def find(cls, *, templates, modules, root, settings_read_elsewhere=(), engine="django"):
        engine = engines[engine].engine
        found = reachable_templates(templates, engine)
        names = [*modules, *_libraries(found.values(), engine), *_format_modules()]
        code = reachable_modules(names, Path(root).resolve())
        return cls(
            templates=tuple(sorted(found)),
            modules=tuple(sorted(code.items())),
            catalogs=tuple(_catalogs(code)),
            settings=tuple(
                sorted((_settings_read(code.values()) | set(settings_read_elsewhere)) - IGNORED)
            ),
        )

    def digest(self, files=None):
        """The fingerprint: the files' digest (``files``, from an earlier
        ``files_digest()``, or read now) with the settings' current values."""
        files = files or self.files_digest()
        return hashlib.sha256(f"{files}\n{self.settings_digest()}".encode()).hexdigest()[:32]

    def files_digest(self, engine="django"):
        """The templates', modules' and catalogs' text, and Django's version."""
        engine = engines[engine].engine
        digest = hashlib.sha256(f"django {django.get_version()}\n".encode())
        for name in self.templates:
            digest.update(f"\0template {name}\n".encode())
            digest.update(engine.get_template(name).source.encode())
        for name, path in self.modules:
            digest.update(f"\0module {name}\n".encode())
            digest.update(path.read_bytes())
        for path in self.catalogs:
            digest.update(f"\0catalog {path.parent.parent.name}\n".encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def settings_digest(self):
        """The settings' current values (secrets by name only)."""
        values = {
            name: None if _SECRET.search(name) else getattr(settings, name, None)
            for name in self.settings
        }
        text = json.dumps(_plain(values), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _plain(value):
    """``value`` as JSON, the same in every process (an object that is not
    data counts by its type: its repr may hold an address)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, Path):
        return str(value)
    return type(value).__qualname__


def reachable_templates(names, engine):
    """{name: source} of ``names`` and every template they extend or include."""
    found, todo = {}, list(names)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        template = engine.get_template(name)
        found[name] = template.source
        todo.extend(_referenced(template.nodelist, name))
    return found


def _referenced(nodelist, within):
    for node in nodelist.get_nodes_by_type((ExtendsNode, IncludeNode)):
        expression = node.parent_name if isinstance(node, ExtendsNode) else node.template
        # A constant name is parsed to the string itself, a variable to a Variable.
        name = getattr(expression, "var", None)
        if not isinstance(name, str) or expression.filters:
            raise DynamicTemplateName(f"{within}: {expression.token!r} is not a constant name")
        yield name


def _libraries(sources, engine):
    """The modules of the tag libraries the templates load."""
    for source in sources:
        for arguments in _LOAD.findall(source):
            words = arguments.split()
            names = words[words.index("from") + 1 :] if "from" in words else words
            for name in names:
                if name in engine.template_libraries:
                    yield engine.libraries[name]


def _format_modules():
    for code, _ in settings.LANGUAGES:
        for module in formats.iter_format_modules(code, settings.FORMAT_MODULE_PATH):
            yield module.__name__


def reachable_modules(names, root):
    """{dotted name: path} of the modules ``names`` under ``root`` and of
    every module under ``root`` they import, directly or not. Modules
    outside ``root`` (Django, other packages) are not followed."""
    found, todo = {}, list(names)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        path = _path_under(name, root)
        if path is None:
            continue
        found[name] = path
        todo.extend(imported_names(path))
    return found


@functools.cache
def _package_directory(top, root):
    """Where the project's top-level package ``top`` is (None when it is
    not the project's). Looked up without importing anything."""
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    directory = Path(next(iter(spec.submodule_search_locations))).resolve()
    if directory.parent != root:
        return None
    return directory


def _path_under(name, root):
    """The file of module ``name`` if it is the project's, else None."""
    top, *rest = name.split(".")
    directory = _package_directory(top, root)
    if directory is None:
        return None
    base = directory.joinpath(*rest)
    for path in (base / "__init__.py", base.with_suffix(".py")):
        if path.is_file():
            return path
    return None  # a name imported from a module, not a module


def imported_names(path, *, packages=True):
    """The dotted names the module at ``path`` imports, at the top or in a
    function: each ``import a.b``, and for ``from a import b`` both ``a``
    and ``a.b`` (``b`` may be a module), or with ``packages=False`` only
    ``a.b``, which the caller shortens to ``a`` when ``b`` is not a module
    (a package's ``__init__`` that imports its own modules is then no
    cycle). Read from the source, nothing is imported. The layering test
    reads the project's import graph with it."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if packages:
                yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _catalogs(modules):
    from django.apps import apps

    directories = {Path(p) for p in settings.LOCALE_PATHS}
    for app in apps.get_app_configs():
        if any(name == app.name or name.startswith(f"{app.name}.") for name in modules):
            directories.add(Path(app.path) / "locale")
    return sorted(path for d in directories for path in d.glob("*/LC_MESSAGES/*.po"))


def _settings_read(paths):
    return {name for path in paths for name in _SETTING.findall(path.read_text(encoding="utf-8"))}
