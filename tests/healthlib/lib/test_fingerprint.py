"""healthlib.lib.fingerprint: what stored output is made from, found from
its entry points."""

from pathlib import Path

import pytest
from django.template import Engine

from healthlib.lib import fingerprint
from tests.paths import ROOT


def engine(tmp_path, **templates):
    for name, source in templates.items():
        (tmp_path / name).write_text(source)
    return Engine(dirs=[str(tmp_path)])


def test_templates_are_followed_through_extends_and_include_in_any_branch(tmp_path):
    found = fingerprint.reachable_templates(
        ["page.html"],
        engine(
            tmp_path,
            **{
                "page.html": '{% extends "base.html" %}{% block b %}{% if x %}{% for i in y %}'
                '{% include "item.html" %}{% endfor %}{% else %}{% include "none.html" %}'
                "{% endif %}{% endblock %}",
                "base.html": '{% block b %}{% endblock %}{% include "footer.html" with a=1 %}',
                "item.html": "{{ i }}",
                "none.html": "-",
                "footer.html": '{% with t="x" %}{% include "item.html" %}{% endwith %}',
                "unused.html": "not reached",
            },
        ),
    )
    assert set(found) == {"page.html", "base.html", "item.html", "none.html", "footer.html"}


def test_a_name_known_only_when_rendering_is_refused(tmp_path):
    with pytest.raises(fingerprint.DynamicTemplateName):
        fingerprint.reachable_templates(
            ["page.html"], engine(tmp_path, **{"page.html": "{% include name %}"})
        )


def test_modules_are_followed_within_the_project_only(tmp_path):
    root = ROOT
    found = fingerprint.reachable_modules(["healthlib.lib.fingerprint"], root)
    assert set(found) == {"healthlib.lib.fingerprint"}  # Django is not the project
    found = fingerprint.reachable_modules(["conditions.templatetags.seo"], root)
    assert {"conditions.pages.seo", "conditions.selectors", "conditions.models"} <= set(found)


def test_setting_values_digest_the_same_in_every_process():
    assert fingerprint._plain({"a": {1, 2}, "b": object(), "c": (Path("/x"), None)}) == {
        "a": [1, 2],
        "b": "object",
        "c": ["/x", None],
    }
