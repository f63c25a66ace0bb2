"""The README and the documentation in docs/ say what the code does.

Plain file reads, no Sphinx: `make docs` (in .ci/run) builds the pages with
warnings as errors, which checks links, anchors and the table of contents.
"""

import re

from newsletter import services
from tests.paths import ROOT

DOCS = ROOT / "docs"


def _read(path):
    return (ROOT / path).read_text(encoding="utf-8")


def _toctree_pages():
    index = _read("docs/index.md")
    pages = []
    for block in re.findall(r"```\{toctree\}\n(.*?)```", index, re.S):
        pages += [
            line.strip() for line in block.splitlines() if line.strip() and not line.startswith(":")
        ]
    return pages


def test_readme_is_short_and_starts_with_the_two_commands():
    readme = _read("README.md")
    assert len(readme.splitlines()) < 300
    assert "make run" in readme and "make test" in readme


def test_every_page_is_in_the_table_of_contents_and_linked_from_the_readme():
    pages = _toctree_pages()
    on_disk = sorted(p.stem for p in DOCS.glob("*.md") if p.stem != "index")
    assert sorted(pages) == on_disk
    readme = _read("README.md")
    for page in pages:
        assert f"(docs/{page}.md)" in readme, page


def _environment_variables():
    """Every environment variable the settings and gunicorn read."""
    names = set()
    for path in ("healthlib/settings.py", "healthlib/gunicorn.conf.py"):
        source = _read(path)
        names |= set(re.findall(r"\benv\.\w+\(\s*\"([A-Z0-9_]+)\"", source))
        names |= set(re.findall(r"Env\(\)\.\w+\(\s*\"([A-Z0-9_]+)\"", source))
        names |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z0-9_]+)\"", source))
    return names


def _optional_settings():
    """Settings the code reads with a default, none of them in settings.py."""
    names = set()
    for app in ("healthlib", "conditions", "newsletter"):
        for path in (ROOT / app).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            names |= set(re.findall(r"getattr\(settings, \"([A-Z0-9_]+)\"", source))
    return names


def test_every_variable_and_setting_is_documented():
    names = _environment_variables() | _optional_settings()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "GUNICORN_BIND", "TASKS_STALE_SECONDS"} <= names
    configuration = _read("docs/configuration.md")
    missing = sorted(name for name in names if f"`{name}`" not in configuration)
    assert not missing, f"not in docs/configuration.md: {missing}"


def test_the_failure_and_recovery_promises_are_kept_in_the_docs():
    page = _read("docs/failure-recovery.md")
    for heading in (
        "## Database or Redis outage",
        "## Full disk",
        "## A worker killed while sending",
    ):
        assert heading in page
    # Duplicates are bounded by what is in flight, and the page says how many.
    assert "**at most one\nduplicate**" in page
    in_flight = re.search(r"`IN_FLIGHT_PER_CONNECTION = (\d+)`", page)
    assert in_flight and int(in_flight.group(1)) == services.IN_FLIGHT_PER_CONNECTION == 1
