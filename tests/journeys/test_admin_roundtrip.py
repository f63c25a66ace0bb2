"""Round trip: an admin form posted back as it was served changes nothing.

For every change form registered with the admin, on the demo, on a large
article and on generated articles: open it, post it back exactly as a
browser does (textarea newlines as CRLF; with the article form's script,
rows numbered 1, 2, 3… in page order, the blank row included), and what is
stored is what was there before. For an article: no new revision, or one
whose snapshot is the previous one's.
"""

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions import services
from conditions.demo import loader as demo_loader
from conditions.models import Condition
from conditions.publishing import snapshots
from tests import factories
from tests.admin_forms import browser_form_data, change_url_of, form_errors

pytestmark = pytest.mark.django_db


def _fields(obj):
    """What a record holds, without the clock (``auto_now``) fields."""
    names = [
        f.name
        for f in obj._meta.concrete_fields
        if not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
    ]
    values = model_to_dict(obj, fields=names)
    for f in obj._meta.many_to_many:
        values[f.name] = sorted(str(v.pk) for v in f.value_from_object(obj))
    return values


def _state(obj, model_admin, request):
    """Everything the change form can change: the record, its inline rows."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    if isinstance(obj, Condition):
        return {"snapshot": snapshots.as_stored(snapshots.take(obj)), "status": obj.status}
    rows = {}
    for inline in model_admin.get_inline_instances(request, obj):
        formset = inline.get_formset(request, obj)(instance=obj)
        rows[inline.model._meta.label] = [_fields(row) for row in formset.get_queryset()]
    return {"record": _fields(obj), "rows": rows}


def _round_trip(client, obj, *, numbered):
    """Post ``obj``'s change form back as served; return (before, after)."""
    model_admin = admin.site._registry[type(obj)]
    url = change_url_of(obj)
    page = client.get(url)
    assert page.status_code == 200, url
    request = page.wsgi_request
    before = _state(obj, model_admin, request)
    revision = getattr(type(obj)._default_manager.get(pk=obj.pk), "latest_revision", None)
    response = client.post(url, browser_form_data(page, numbered=numbered))
    assert response.status_code == 302, (url, form_errors(response))
    after = _state(obj, model_admin, request)
    if isinstance(obj, Condition):
        latest = Condition.objects.get(pk=obj.pk).latest_revision
        assert latest == revision, "a save that changed nothing stored a revision"
        assert latest.snapshot == after["snapshot"]
    return before, after


def test_every_change_form_posted_back_changes_nothing(one_of_each_model, admin_client):
    checked, changed = 0, []
    for model, objects in one_of_each_model.items():
        model_admin = admin.site._registry[model]
        for obj in objects:
            request = admin_client.get(change_url_of(obj)).wsgi_request
            if not model_admin.has_change_permission(request, obj):
                continue  # read-only records have nothing to post
            # The article form's script numbers the ordered rows; the other
            # forms have no script that changes what they send.
            for numbered in [False, True] if model is Condition else [False]:
                before, after = _round_trip(admin_client, obj, numbered=numbered)
                if after != before:
                    changed.append((model._meta.label, obj.pk, _difference(before, after)))
                checked += 1
    assert changed == []
    assert checked >= 10


def _difference(before, after, path=""):
    """Where two states differ, for a message that says what changed."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            d
            for key in sorted(set(before) | set(after), key=str)
            for d in _difference(before.get(key), after.get(key), f"{path}.{key}")
        ]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            d
            for n, (b, a) in enumerate(zip(before, after, strict=True))
            for d in _difference(b, a, f"{path}[{n}]")
        ]
    return [] if before == after else [(path, before, after)]


def test_the_demo_drug_order_survives_a_summary_edit(admin_client):
    """The issue's report: a summary edit re-sorted Sedatives alphabetically."""
    demo, _ = demo_loader.load_myoclonus()
    before = snapshots.take(demo)
    sedatives = next(g for g in before["drug_groups"] if g["heading"] == "Sedatives")
    names = [d["name"] for d in sedatives["drugs"]]
    assert names.index("Lorazepam") < names.index("Diazepam") < names.index("Clonazepam")
    url = change_url_of(demo)
    data = browser_form_data(admin_client.get(url))
    data["summary"] = data["summary"] + " One more sentence."
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    after = Condition.objects.get(pk=demo.pk).latest_revision.snapshot
    assert after["summary"] == before["summary"] + " One more sentence."
    assert {**after, "summary": before["summary"]} == snapshots.as_stored(before)


_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.sampled_from("\n \t"),
    max_size=40,
)
_line = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Z"]), max_size=20)


@st.composite
def _articles(draw):
    """Article data with the text editors and importers produce: leading
    and trailing spaces and newlines, blank lines, any script."""
    data = factories.article_data(
        sections=draw(st.integers(1, 4)),
        groups=draw(st.integers(0, 3)),
        drugs_per_group=draw(st.integers(0, 4)),
        references=draw(st.integers(0, 3)),
        organizations=draw(st.integers(0, 3)),
    )
    data["summary"] = draw(_text)
    for section in data["sections"]:
        section["body"] = draw(_text.filter(str.strip))
    for group in data["drug_groups"]:
        group["drugs"] = draw(st.permutations(group["drugs"]))
    data["organizations"] = draw(st.permutations(data["organizations"]))
    for reference in data["references"]:
        reference["citation_text"] = draw(_text)
        reference["title"] = draw(_line)
    return data


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=_articles(), numbered=st.booleans())
def test_generated_articles_posted_back_change_nothing(admin_client, data, numbered):
    condition = services.create_article(data=data, user=None)
    before, after = _round_trip(admin_client, condition, numbered=numbered)
    assert after == before
