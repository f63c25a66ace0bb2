"""The article form's writing tools are small plain scripts, one per
concern, in conditions/static/conditions/article_form/ (base.js says what
each does). The change and add pages load every one of them, base.js (the
namespace they share) first and start.js (which sets them up) last; a file
in the folder that no page loads would be dead, and a script the page
asks for that is not there would break the form."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.paths import ROOT

pytestmark = pytest.mark.django_db

FOLDER = ROOT / "conditions/static/conditions/article_form"
# Small enough to read at one sitting; the whole used to be one 646-line function.
MAX_LINES = 150


def _scripts(client, url):
    html = client.get(url).content.decode()
    return re.findall(r'<script src="[^"]*conditions/article_form/(\w+\.js)"', html)


def test_the_article_form_loads_every_writing_tools_script_in_order(editor_client):
    article = factories.article("Gout", publish=False)
    in_folder = sorted(path.name for path in FOLDER.glob("*.js"))
    for url in (
        reverse("admin:conditions_condition_change", args=[article.pk]),
        reverse("admin:conditions_condition_add"),
    ):
        loaded = _scripts(editor_client, url)
        assert sorted(loaded) == in_folder, url
        assert loaded[0] == "base.js" and loaded[-1] == "start.js", (url, loaded)


def test_every_writing_tools_script_is_small():
    sizes = {path.name: len(path.read_text().splitlines()) for path in FOLDER.glob("*.js")}
    assert sizes and all(n <= MAX_LINES for n in sizes.values()), sizes
