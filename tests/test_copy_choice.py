"""Working and live copies are never mixed by accident.

An article is up to two rows of one table (``conditions.models.articles``):
the working copy editors change and the live copy readers see. A query of
``Condition.objects`` that does not say which it means reads both, and a
list, a count or a lookup by slug then mixes them. So every query of the
project's code (migrations included, tests not) chooses, somewhere in its
chain of calls:

* ``.editable()`` or ``.live()`` (each also chooses a language), or
  ``.both()``: both copies, on purpose;
* a lookup on ``is_live`` (``filter``, ``exclude``, ``get``, …);
* a lookup that can only find one copy, in ``filter``/``get``: ``pk=``
  (``id=``), one row the caller already holds, whose copy was chosen when
  it was read; ``source…``, which only live copies have (``source=None``:
  working copies);
* ``.none()``, or a write of rows the caller gives (``create``,
  ``bulk_create``, ``bulk_update``).

``pk__in=`` chooses nothing: ids come from anywhere. Lookups through
``**kwargs`` and positional ``Q`` objects are not read; say the copy
outside them. ``get_object_or_404(Condition, …)`` and
``get_list_or_404(Condition, …)`` query the default manager and are held
to the same rule.

Django's own uses of the default manager (the admin, whose ``get_queryset``
chooses; related managers; deletion; ``ModelForm`` validation of the
conditional unique constraints) are not queries of ours, which is why the
rule is a test that reads the code and not a manager that refuses.
"""

import ast

import pytest

from tests.paths import ROOT

PACKAGES = ("healthlib", "conditions", "newsletter")
MODEL = "Condition"
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
CHOOSERS = frozenset({"editable", "live", "both", "none"})
ROW_WRITES = frozenset({"create", "bulk_create", "bulk_update"})
LOOKUPS = frozenset({"filter", "exclude", "get", "get_or_create", "update_or_create"})
# Lookups that find one copy only; not in exclude(), whose rows are the others.
ONE_COPY_FIELDS = frozenset({"pk", "id", "source", "source_id"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})


def _model_names(tree):
    """The names ``Condition`` goes by in a module (``import … as``)."""
    names = {MODEL}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {a.asname for a in node.names if a.name == MODEL and a.asname}
    return names


def _is_model(node, names):
    return (isinstance(node, ast.Name) and node.id in names) or (
        isinstance(node, ast.Attribute) and node.attr == MODEL
    )


def _chooses(method, call):
    if method in CHOOSERS or method in ROW_WRITES:
        return True
    if method not in LOOKUPS:
        return False
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        field, _, lookup = keyword.arg.partition("__")
        if field == "is_live":
            return True
        if method == "exclude" or field not in ONE_COPY_FIELDS:
            continue
        if field in ("source", "source_id") or lookup in ("", "exact"):
            return True
    return False


def _chain(node, parents):
    """The method calls chained on ``node``, in order: [(name, Call)]."""
    calls = []
    while True:
        attribute = parents.get(node)
        if not (isinstance(attribute, ast.Attribute) and attribute.value is node):
            return calls
        call = parents.get(attribute)
        if not (isinstance(call, ast.Call) and call.func is attribute):
            return calls
        calls.append((attribute.attr, call))
        node = call


def _shortcut(node):
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name in SHORTCUTS


def _written(source, node):
    return " ".join(ast.get_source_segment(source, node).split())


def unchosen(source):
    """[(line, the query as written)] of the queries in ``source`` that do
    not choose a copy."""
    tree = ast.parse(source)
    names = _model_names(tree)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and _is_model(node.value, names)
        ):
            calls = _chain(node, parents)
            if not any(_chooses(method, call) for method, call in calls):
                query = calls[-1][1] if calls else node
                found.append((node.lineno, _written(source, query)))
        elif (
            isinstance(node, ast.Call)
            and _shortcut(node)
            and node.args
            and _is_model(node.args[0], names)
            and not _chooses("get", node)
        ):
            found.append((node.lineno, _written(source, node)))
    return sorted(found)


MODULES = sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def test_every_query_of_the_project_chooses_a_copy():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {query}"
        for path in MODULES
        for line, query in unchosen(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "\n".join(
        ["Say which copy each of these means (see this test's docstring):", *found]
    )


def test_the_project_is_read():
    # Not vacuous: the walk reaches the queries it judges.
    views = (ROOT / "conditions" / "views.py").read_text(encoding="utf-8")
    assert "Condition.objects.live(" in views
    assert unchosen(views.replace("Condition.objects.live(", "Condition.objects.filter(")) != []
    assert ROOT / "conditions" / "migrations" / "0002_search_index.py" in MODULES


def _in_a_function(query):
    return f"from conditions.models import Condition\n\n\ndef f():\n    return {query}\n"


@pytest.mark.parametrize(
    "query",
    [
        "Condition.objects.filter(slug=slug).first()",
        "Condition.objects.all()",
        "Condition.objects.count()",
        "Condition.objects",
        "Condition.objects.order_by('title').values_list('pk', flat=True)",
        "Condition.objects.filter(pk__in=ids)",
        "Condition.objects.exclude(pk=condition.pk)",
        "Condition.objects.exclude(source=condition)",
        "Condition.objects.filter(Q(is_live=True) | Q(slug=slug))",
        "Condition.objects.filter(**{'is_live': True})",
        "Condition.objects.select_for_update().filter(slug__in=slugs)",
        "Condition._default_manager.filter(slug=slug)",
        "Condition._base_manager.all()",
        "models.Condition.objects.filter(slug=slug)",
        "get_object_or_404(Condition, slug=slug)",
        "shortcuts.get_list_or_404(Condition, tags__slug=tag)",
        "Subquery(Condition.objects.filter(related=OuterRef('pk')).values('pk'))",
    ],
)
def test_a_query_that_does_not_choose_is_found(query):
    found = unchosen(_in_a_function(query))
    assert len(found) == 1
    line, written = found[0]
    assert line == 5 and written in query


def test_a_query_under_another_name_is_found():
    source = (
        "from conditions.models import Condition as Article\n"
        "rows = Article.objects.filter(slug='x')\n"
    )
    assert unchosen(source) == [(2, "Article.objects.filter(slug='x')")]


@pytest.mark.parametrize(
    "query",
    [
        "Condition.objects.live()",
        "Condition.objects.editable(language=None).filter(slug=slug).first()",
        "Condition.objects.select_for_update().live(language).get(slug=slug)",
        "Condition.objects.both().count()",
        "Condition.objects.none()",
        "Condition.objects.filter(is_live=True)",
        "Condition.objects.exclude(is_live=True).filter(slug=slug)",
        "Condition.objects.filter(pk=condition.pk).update(status=status)",
        "Condition.objects.select_for_update().get(pk=condition.pk)",
        "Condition.objects.filter(id__exact=pk)",
        "Condition.objects.filter(source=condition).first()",
        "Condition.objects.filter(source__isnull=True)",
        "Condition.objects.bulk_update(rows, ['language_versions'])",
        "get_object_or_404(Condition, pk=pk)",
        "get_object_or_404(Condition.objects.live(), slug=slug)",
        "Revision.objects.filter(slug=slug)",
        "condition.related.filter(slug=slug)",
    ],
)
def test_a_query_that_chooses_passes(query):
    assert unchosen(_in_a_function(query)) == []
