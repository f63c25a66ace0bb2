"""The demo newsletter (newsletter.demo): the seed's editions, loaded once,
with the Spanish version of the latest."""

import pytest

from newsletter import demo
from newsletter.models import Edition, Newsletter

pytestmark = pytest.mark.django_db


def test_demo_newsletter_is_the_seeds_and_idempotent(client):
    lines = demo.load()
    assert "4 editions created" in lines[0]
    assert "0 editions created" in demo.load()[0]
    newsletter = Newsletter.objects.get()
    assert newsletter.name == "Current Research From Top Journals"
    assert Edition.objects.sources().filter(status=Edition.Status.SENT).count() == 4
    march = Edition.objects.get(slug="march-2015", language="en")
    assert march.summaries.get().body == (
        "Many medical groups felt that early exposure to certain foods like peanuts increased a "
        "child's risk of developing food allergies. However, newer research including this trial "
        "suggest that early exposure may actually decrease the risk of developing food allergies."
    )
    html = client.get("/newsletter/").content.decode()
    order = [
        "March 2015",
        "Breastfeeding May Decrease the Risk of Childhood Obesity",
        "Tonsillectomy May Reduce Number of Sore Throat Days in Children",
        "Research Review Finds Little Support for Nearly Half of Medical Talk Show",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    for edition in Edition.objects.sources().exclude(slug="march-2015"):
        summary = edition.summaries.get()
        assert summary.headline == edition.title and summary.body == ""
        assert not summary.journal and not summary.doi


def test_demo_has_the_spanish_version_of_the_latest_edition(client):
    demo.load()
    assert demo.load()[1].endswith("kept: /es/newsletter/march-2015/")  # idempotent
    march = Edition.objects.sources().sent().first()
    assert march.slug == "march-2015"
    spanish = march.translations.get()
    assert spanish.is_sent and spanish.language == "es" and spanish.title == "Marzo de 2015"
    summary = spanish.summaries.get()
    assert summary.body.startswith("Muchos grupos médicos consideraban")
    assert summary.body.count(".") == march.summaries.get().body.count(".")  # nothing added
    html = client.get("/es/newsletter/").content.decode()
    assert "Marzo de 2015" in html and "March 2015" not in html
    assert Edition.objects.filter(language="es").count() == 1
