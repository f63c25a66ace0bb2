"""The places on the library's pages where the project adds its own parts
(``{% page_parts %}``, ``settings.CONDITIONS_PAGE_PARTS``): the library
names no other app, and stands alone without them."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_templates(settings, tmp_path):
    """Write templates into a directory of the project's own."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    def write(**templates):
        for name, source in templates.items():
            (tmp_path / name).write_text(source)

    return write


def test_a_place_renders_its_parts_in_order_with_the_pages_context(
    client, settings, project_templates
):
    project_templates(
        **{"one.html": "<p id=one>{{ condition.title }}</p>", "two.html": "<p id=two>"}
    )
    settings.CONDITIONS_PAGE_PARTS = {"after_article": ["one.html", "two.html"]}
    factories.article("Asthma", sections=1)
    html = client.get("/conditions/asthma/").content.decode()
    assert "<p id=one>Asthma</p><p id=two>" in html
    assert html.index("Was this page helpful?") < html.index("<p id=one>")
    assert "newsletter-signup" not in html  # the setting's parts, and only those


def test_the_home_page_has_a_place_at_its_end(client, settings, project_templates):
    project_templates(**{"end.html": "<p id=end>{{ recent|length }} recent</p>"})
    settings.CONDITIONS_PAGE_PARTS = {"home_extra": ["end.html"]}
    factories.article("Asthma", sections=1)
    html = client.get("/").content.decode()
    assert html.index("Recently updated") < html.index("<p id=end>1 recent</p>")


def test_without_parts_the_library_stands_alone(client, settings):
    del settings.CONDITIONS_PAGE_PARTS
    factories.article("Asthma", sections=1)
    article = client.get("/conditions/asthma/")
    home = client.get("/")
    assert article.status_code == home.status_code == 200
    for html in (article.content.decode(), home.content.decode()):
        for block in ("newsletter-signup", "related-research", "latest-research"):
            assert f'class="{block}"' not in html
