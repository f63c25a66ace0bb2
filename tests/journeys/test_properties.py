"""Hypothesis property tests: whatever a visitor types into search, and
whatever document is handed to import_content, the answer is a page or a
list of "path: problem" lines, never a 500 or a traceback.

Bounded (``max_examples``) so that the suite stays fast; the seeds are
Hypothesis's own (its database is off with ``-p no:cacheprovider`` in CI)."""

import copy
import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthlib import portability
from newsletter.models import Edition, Newsletter, ResearchSummary
from tests import factories
from tests.portability import empty_the_database

pytestmark = pytest.mark.django_db

FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a browser can send: any code point but lone surrogates.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
# Words the library holds, so that queries also match, rank and highlight.
WORDS = st.sampled_from(["myoclonus", "jerk", "clonazepam", "sleep", "AND", "OR", '"', "*", "-"])
QUERY = st.one_of(TEXT, st.lists(st.one_of(WORDS, TEXT), max_size=6).map(" ".join))

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture
def library(db):
    factories.article(
        "Myoclonus",
        alternate_names="Muscle jerks",
        sections=4,
        figures=1,
        tags=("Nervous system",),
        codes=[("icd10cm", "G25.3")],
    )
    factories.article("Sleep myoclonus", tags=("Sleep",))


@settings(FUZZ, max_examples=200)
@given(q=QUERY, page=st.one_of(st.none(), TEXT))
def test_search_never_fails(client, library, q, page):
    params = {"q": q} if page is None else {"q": q, "page": page}
    for prefix in ("", "/es"):
        response = client.get(f"{prefix}/search/", params)
        assert response.status_code in (200, 301, 302, 400, 404), (q, response.status_code)


@pytest.fixture
def exported(library):
    myoclonus = factories.article("Essential tremor", groups=2, organizations=2)
    edition = Edition.objects.create(
        newsletter=Newsletter.objects.create(name="News"), title="May", slug="may"
    )
    summary = ResearchSummary.objects.create(edition=edition, headline="A study")
    summary.related_articles.add(myoclonus)
    doc, _ = portability.export_content()
    doc = json.loads(portability.dumps(doc))
    empty_the_database()
    return doc


def _places(value, path=()):
    """Every place in the document: (path to it, its value)."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            if path == () and key == "files":
                continue  # megabytes of base64: the schema checks them as strings
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _places(item, (*path, n))


def _replace(doc, path, new):
    doc = copy.deepcopy(doc)
    if not path:
        return new
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if new is _DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return doc


_DELETE = object()


def _import(doc):
    """import_content's answer, rolled back; re-raises anything but its
    own refusal."""
    try:
        with transaction.atomic():
            portability.import_content(doc)
            transaction.set_rollback(True)
    except portability.ContentImportError as exc:
        assert exc.errors and all(": " in e for e in exc.errors), exc.errors
        assert all("\n" not in e for e in exc.errors), exc.errors


@settings(FUZZ, max_examples=100)
@given(data=st.data())
def test_no_document_crashes_import_content(exported, data):
    places = list(_places(exported))
    broken = exported
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        path, old = data.draw(st.sampled_from(places), label="where")
        interesting = [
            st.just(_DELETE) if path else JSON,
            JSON,
            st.sampled_from([-1, 10**20, "", "\x00", "0001-01-01T00:00:00+05:00", ["x"], {}]),
        ]
        if isinstance(old, str):
            interesting.append(st.sampled_from(["../../etc/passwd.png", old + "\n", old * 50]))
        new = data.draw(st.one_of(interesting), label="new value")
        if new is _DELETE and isinstance(path[-1], int):
            new = None
        broken = _replace(broken, path, new)
        places = list(_places(broken))
    _import(broken)


@settings(FUZZ, max_examples=100)
@given(doc=JSON)
def test_no_json_value_crashes_import_content(db, doc):
    _import(doc)
    _import({"format": "healthlib-content", "version": 1, "articles": doc})
