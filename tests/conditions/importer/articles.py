"""The sample articles the importer's tests read (tests/paths.ARTICLES),
parsed, and the parts of a parse they look at."""

from pathlib import Path

from conditions import importer
from tests.paths import ARTICLES


def parse(name, **kwargs):
    """The sample article ``name`` (or a path), parsed; ``kwargs`` go to
    ``importer.parse_article`` (``language="es"``, ``known_drugs``…)."""
    path = name if isinstance(name, Path) else ARTICLES / name
    return importer.parse_article(path.read_bytes(), name=path.name, **kwargs)


def kinds(parsed):
    """The kinds of the parsed sections, in order."""
    return [s["kind"] for s in parsed.data["sections"]]


def sections(parsed):
    """The parsed sections by kind."""
    return {s["kind"]: s for s in parsed.data["sections"]}
