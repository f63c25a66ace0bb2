"""The demo's figure (conditions.demo.figure): a schematic drawn for the
demo, served as the article's figure."""

from io import BytesIO

import pytest
from PIL import Image, ImageChops

from conditions.demo import figure as demo_figure
from conditions.models import Condition

pytestmark = pytest.mark.django_db


def test_demo_figure_is_the_drawn_schematic(load_demo, client):
    load_demo(debug=True)
    figure = Condition.objects.live().get(slug="myoclonus").figures.get()
    assert figure.image.name.endswith(demo_figure.FILE_NAME)
    assert figure.credit == "Illustration made for the healthlib demo"
    assert "made for the healthlib demo, not a medical image" in figure.alt_text
    with figure.image.open("rb") as stored:
        drawn = Image.open(BytesIO(stored.read())).convert("RGB")
    expected = Image.open(demo_figure.nervous_system_schematic()).convert("RGB")
    assert drawn.size == expected.size == (1600, 900)
    assert ImageChops.difference(drawn, expected).getbbox() is None
    assert figure.renditions and figure.srcset
    html = client.get("/conditions/myoclonus/").content.decode()
    assert "Illustration made for the healthlib demo" in html
    assert "Nucleus Medical Media" not in html
