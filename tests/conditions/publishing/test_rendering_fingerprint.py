"""A stored page is stale once anything it was made from changes, found
without a list kept by hand or a number to bump (``rendering.version``)."""

import copy
import dataclasses
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from conditions.models import Condition
from conditions.publishing import rendering
from tests import factories
from tests.paths import ROOT

pytestmark = pytest.mark.django_db

APP_TEMPLATES = ROOT / "conditions" / "templates"


def live(slug):
    return Condition.objects.live().get(slug=slug)


def test_the_fingerprint_finds_what_the_page_is_made_from():
    found = rendering.sources()
    # Every template the two reach: what the hand-kept list held.
    assert set(found.templates) == {
        "conditions/_article_head.html",
        "conditions/_article_body.html",
        "conditions/_article_meta.html",
        "conditions/_drug_groups.html",
        "conditions/_figure.html",
        "conditions/_urgent_help.html",
        "conditions/_handout.html",
    }
    modules = {name for name, _ in found.modules}
    # The tag libraries the templates load, the JSON-LD, the page's data,
    # Reference.ama() and Figure.srcset, the date formats.
    assert {
        "conditions.templatetags.seo",
        "conditions.templatetags.article_dates",
        "conditions.pages.seo",
        "conditions.selectors",
        "conditions.models",
        "conditions.models.images",
        "healthlib.formats.en.formats",
        "healthlib.lib.context_processors",
    } <= modules
    assert not any(name.startswith("django") for name in modules)
    assert {"SITE_URL", "MEDIA_URL", "EMERGENCY_NUMBER", "LANGUAGES"} <= set(found.settings)
    assert "DEBUG" not in found.settings
    assert {p.relative_to(ROOT).parts[0] for p in found.catalogs} == {"conditions", "healthlib"}


def test_a_changed_included_template_makes_stored_pages_stale(tmp_path, settings, client):
    factories.article("Gout", groups=1, drugs_per_group=1)
    assert rendering.stored(live("gout")) is not None
    # A new release's copy of a template the body includes.
    changed = tmp_path / "conditions" / "_drug_groups.html"
    changed.parent.mkdir()
    original = (APP_TEMPLATES / "conditions" / "_drug_groups.html").read_text()
    changed.write_text(original.replace('class="drug-groups"', 'class="drug-groups new-markup"'))
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [str(tmp_path)]
    settings.TEMPLATES = templates

    assert rendering.stored(live("gout")) is None
    # Readers get the new markup at once, rendered per request...
    assert "new-markup" in client.get("/conditions/gout/").content.decode()
    # ...until the rebuild stores it.
    out = StringIO()
    call_command("rebuild_rendered_pages", "--stale-only", stdout=out)
    assert out.getvalue().strip() == "Rendered 1 published article(s)."
    assert "new-markup" in rendering.stored(live("gout")).body


def test_changed_code_or_settings_make_stored_pages_stale(tmp_path, settings, monkeypatch):
    factories.article("Gout")
    assert rendering.stored(live("gout")) is not None
    # A release that changes the JSON-LD's code and nothing else.
    found = rendering.sources()
    seo = dict(found.modules)["conditions.pages.seo"]
    copy_of_seo = tmp_path / "seo.py"
    copy_of_seo.write_text(seo.read_text() + "\n# changed\n")
    modules = tuple(
        (name, copy_of_seo if name == "conditions.pages.seo" else path)
        for name, path in found.modules
    )
    monkeypatch.setattr(rendering, "sources", lambda: dataclasses.replace(found, modules=modules))
    monkeypatch.setattr(rendering, "_files_digest", lambda: rendering.sources().files_digest())
    assert rendering.stored(live("gout")) is None
    monkeypatch.undo()
    assert rendering.stored(live("gout")) is not None
    settings.EMERGENCY_NUMBER = "112"
    assert rendering.stored(live("gout")) is None


def test_every_process_computes_the_same_fingerprint():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    code = (
        "import django; django.setup(); "
        "from conditions.publishing import rendering; print(rendering.version())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == rendering.version()
