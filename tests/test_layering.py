"""The code's shape, as rules a test keeps (no allow-list):

* ``healthlib.lib`` is the bottom: the helpers every app uses. It imports
  nothing of the project outside itself, and names no app's URLs.
* The apps build on ``healthlib.lib`` and on nothing else of ``healthlib``;
  ``newsletter`` may build on ``conditions``, never the reverse.
* The rest of ``healthlib`` (settings, URLs, the admin site, the worker,
  portability, project-wide commands and templates) composes the apps.
* No import cycle between modules, imports inside functions included.
* No module longer than 500 lines (migrations aside).
* No template of one package overrides another's by name: that works only
  by the order of ``INSTALLED_APPS``. The library leaves places open for
  the project instead (``{% page_parts %}``).

An import here is any ``import``/``from … import`` anywhere in a module;
``from package import name`` counts as importing the submodule when
``name`` is one.
"""

import itertools
import re

import pytest

from healthlib.lib.fingerprint import imported_names
from tests.paths import ROOT

PACKAGES = ("healthlib", "conditions", "newsletter")


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    _module_name(path): path
    for package in PACKAGES
    for path in (ROOT / package).rglob("*.py")
    if "migrations" not in path.parts and path.name != "gunicorn.conf.py"
}


def _imports(path):
    """The project modules ``path`` imports, each once."""
    found = set()
    for name in imported_names(path, packages=False):
        # `import a.b.c` of a module that is not ours stops at ours.
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name:
            found.add(name)
    return found


GRAPH = {module: _imports(path) for module, path in MODULES.items()}


def _in(module, package):
    return module == package or module.startswith(package + ".")


def _breaking(rule):
    return sorted(
        f"{module} imports {imported}"
        for module, imports in GRAPH.items()
        for imported in imports
        if rule(module, imported)
    )


def test_the_graph_is_read():
    # A sanity check that the rules below are not vacuous.
    assert "conditions.publishing.live" in GRAPH["conditions.services"] | {
        m for sub, ims in GRAPH.items() if _in(sub, "conditions.services") for m in ims
    }
    assert "healthlib.lib.markdown" in set().union(*GRAPH.values())


def test_the_library_imports_nothing_outside_itself():
    assert (
        _breaking(
            lambda module, imported: (
                _in(module, "healthlib.lib") and not _in(imported, "healthlib.lib")
            )
        )
        == []
    )


@pytest.mark.parametrize(
    "path", [p for m, p in MODULES.items() if _in(m, "healthlib.lib")], ids=_module_name
)
def test_the_library_names_no_apps_urls(path):
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"""["'](?:conditions|newsletter):[a-z_]+["']""", text) == []


def test_the_apps_use_only_the_library_of_healthlib():
    assert (
        _breaking(
            lambda module, imported: (
                not _in(module, "healthlib")
                and _in(imported, "healthlib")
                and not _in(imported, "healthlib.lib")
            )
        )
        == []
    )


def test_conditions_imports_nothing_from_newsletter():
    assert (
        _breaking(
            lambda module, imported: _in(module, "conditions") and _in(imported, "newsletter")
        )
        == []
    )


def test_conditions_templates_use_nothing_of_the_newsletter():
    pattern = re.compile(r"{%\s*load\s+newsletter|{%\s*url\s+['\"]newsletter:")
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "conditions" / "templates").rglob("*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def _templates(package):
    root = ROOT / package / "templates"
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_no_template_overrides_another_packages():
    templates = {package: _templates(package) for package in PACKAGES}
    assert "conditions/condition_detail.html" in templates["conditions"]
    assert (
        sorted(
            f"{name} ({one}, {other})"
            for one, other in itertools.combinations(PACKAGES, 2)
            for name in templates[one] & templates[other]
        )
        == []
    )


def _cycles(graph):
    """Strongly connected components of more than one module (Tarjan's
    algorithm, iterative), plus modules that import themselves."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph[node]:
                        found.append(sorted(component))
    return sorted(found)


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert _cycles(graph) == [["a", "b", "c"], ["e"]]


def test_no_import_cycles():
    assert _cycles(GRAPH) == []


# A module a newcomer can read in one sitting: past this, split it by
# concern (as conditions/models/ and conditions/services/ are).
MOST_LINES = 500


def test_no_module_is_longer_than_a_sitting():
    long = sorted(
        f"{module}: {lines} lines"
        for module, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    )
    assert long == [], f"split these by concern (at most {MOST_LINES} lines each)"
