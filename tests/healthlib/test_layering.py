"""Dependencies run one way: ``newsletter`` may build on ``conditions``,
never the reverse; the project's helpers name no app. Only the modules that
compose the apps (URLs, the admin site, project-wide commands and pages,
portability's composition, templates that fill the apps' blocks) import
them."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = {"conditions", "newsletter"}
# healthlib modules whose job is to compose the apps.
COMPOSERS = {
    "healthlib/urls.py",
    "healthlib/views.py",
    "healthlib/admin_site.py",
    "healthlib/settings.py",
}
COMPOSER_DIRS = ("healthlib/portability/", "healthlib/management/")


def _imported(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _python_files(package):
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


def test_conditions_imports_nothing_from_newsletter():
    found = [
        (str(path.relative_to(ROOT)), module)
        for path in _python_files("conditions")
        for module in _imported(path)
        if module.split(".")[0] == "newsletter"
    ]
    assert found == []


def test_conditions_templates_use_nothing_of_the_newsletter():
    pattern = re.compile(r"{%\s*load\s+newsletter|{%\s*url\s+['\"]newsletter:")
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "conditions" / "templates").rglob("*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in _python_files("healthlib")
        if str(p.relative_to(ROOT)) not in COMPOSERS
        and not str(p.relative_to(ROOT)).startswith(COMPOSER_DIRS)
    ],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_healthlib_helpers_name_no_app(path):
    text = path.read_text(encoding="utf-8")
    imported = [m for m in _imported(path) if m.split(".")[0] in APPS]
    url_names = re.findall(r"""["'](?:conditions|newsletter):[a-z_]+["']""", text)
    assert imported == [] and url_names == []
