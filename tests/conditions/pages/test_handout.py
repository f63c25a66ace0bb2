"""The PDF handout of an article (conditions.pages.handout), read back with
a PDF text extractor: the demo's Myoclonus in English and Spanish."""

import datetime

import pytest
import segno
from django.test import override_settings

from conditions.models import Condition
from conditions.pages import handout
from tests import pdfs

pdfs.require_engine()

pytestmark = pytest.mark.django_db

PRINTED = datetime.date(2026, 2, 3)
SITE = "https://health.example.org"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.CONTENT_PUBLISHER = "Example Health Library"
    settings.NEWSLETTER_POSTAL_ADDRESS = "1 Example Street\nSpringfield, IL 62701"


def live(slug, language="en"):
    return Condition.objects.live(language).get(slug=slug)


def test_the_handout_is_the_article_with_where_and_when_it_came_from(demo, site):
    myoclonus = live("myoclonus")
    content = handout.build(myoclonus, printed_on=PRINTED)
    pages = pdfs.pages(content)
    text = " ".join(pages)
    first = pages[0]
    # The header, on the first page, in this order.
    published = f"{myoclonus.published_at:%B} {myoclonus.published_at.day}, "
    reviewed = f"{myoclonus.last_reviewed:%B} {myoclonus.last_reviewed.day}, "
    expected = [
        "Example Health Library",
        "1 Example Street",
        "Springfield, IL 62701",
        f"{SITE}/conditions/myoclonus/",
        f"Version: {myoclonus.live_revision_id}, published {published}",
        f"Last reviewed: {reviewed}{myoclonus.last_reviewed.year}, Demo Medical Reviewer, MD",
        "Printed on: February 3, 2026",
        "Scan for the latest version online.",
        "Myoclonus",
        "Myoclonus is a brief and rapid twitching of a muscle or muscle groups.",
    ]
    positions = [first.find(part) for part in expected]
    assert -1 not in positions, [p for p, at in zip(expected, positions, strict=True) if at < 0]
    assert positions == sorted(positions)
    # The whole article, to its last section.
    for part in (
        "Definition",
        "Treatment",
        "Clonazepam",
        "National Institute of Neurological Disorders and Stroke",
        "Dalmau J, Rosenfeld MR. Paraneoplastic syndromes of the CNS.",
        "Revision information",
    ):
        assert part in text, part
    # Every page says what it is and where it belongs.
    for number, page in enumerate(pages, start=1):
        footer = f"Myoclonus · Example Health Library · Version {myoclonus.live_revision_id}"
        assert f"{footer} · Page {number} of {len(pages)}" in page
    # What the printed page hides, or says in the header instead.
    for hidden in (
        "Download a printable handout",
        "Share this page",
        "On this page",
        "Staff can open this version",
        "Printed ",  # the printed page's own footer, filled in by a script
    ):
        assert hidden not in text.replace("Printed on", ""), hidden
    metadata = pdfs.reader(content).metadata
    assert metadata.title == "Myoclonus"
    assert metadata.author == "Example Health Library"


def test_the_spanish_handout_is_in_spanish(demo, site):
    mioclonia = live("mioclonia", "es")
    text = pdfs.text(handout.build(mioclonia, printed_on=PRINTED))
    for part in (
        "Mioclonía",
        f"{SITE}/es/conditions/mioclonia/",
        f"Versión: {mioclonia.live_revision_id}, publicada el ",
        "Última revisión: ",
        "Impreso el: 3 de febrero de 2026",
        "Escanéelo para ver la versión más reciente en internet.",
        f"Versión {mioclonia.live_revision_id} · Página 1 de ",
        "La mioclonía es una sacudida breve y rápida",
        "Definición",
    ):
        assert part in text, part
    for english in ("Printed on", "Last reviewed", "Version", "Page 1 of", "Definition"):
        assert english not in text, english


def test_the_qr_code_in_the_pdf_is_the_live_pages_address(demo, site):
    for slug, language, url in (
        ("myoclonus", "en", f"{SITE}/conditions/myoclonus/"),
        ("mioclonia", "es", f"{SITE}/es/conditions/mioclonia/"),
    ):
        copy = live(slug, language)
        assert handout.live_url(copy) == url
        # segno's own account of what it encodes: a QR code (not Micro QR)
        # at level M, and the same symbol as the address encoded directly.
        code = handout.qr_code(url)
        assert not code.is_micro and code.error == "M"
        expected = segno.make(url, error="m", micro=False)
        assert code.matrix == expected.matrix
        # The image in the PDF, read module by module, is that symbol.
        size = expected.symbol_size(border=0)[0]
        drawn = [
            pdfs.qr_modules(image, size)
            for image in pdfs.images(handout.build(copy, printed_on=PRINTED))
            if image.width == image.height
        ]
        assert drawn == [tuple(tuple(bool(m) for m in row) for row in expected.matrix)]
        # Read the same way, another address's symbol would not match.
        other = segno.make(url + "x", error="m", micro=False)
        if other.symbol_size(border=0)[0] == size:
            assert drawn[0] != tuple(tuple(bool(m) for m in row) for row in other.matrix)


def test_the_demo_figure_is_drawn_from_the_media_storage(demo, site):
    content = handout.build(live("myoclonus"), printed_on=PRINTED)
    # Besides the QR code (square), the one figure, at a rendition's width.
    sizes = {image.size for image in pdfs.images(content)}
    assert {size for size in sizes if size[0] != size[1]} == {(640, 360)}


def test_without_a_postal_address_the_header_has_none(demo, site, settings):
    settings.NEWSLETTER_POSTAL_ADDRESS = ""
    html = handout.html(live("myoclonus"), printed_on=PRINTED)
    assert "<address" not in html
    assert "Example Health Library" in html


def test_the_version_changes_with_what_the_handout_is_made_of(demo, site):
    before = handout.version()
    with override_settings(CONTENT_PUBLISHER="Another Library"):
        assert handout.version() != before
    with override_settings(NEWSLETTER_POSTAL_ADDRESS="2 Other Road"):
        assert handout.version() != before
    assert handout.version() == before


def test_the_pdf_is_tagged_for_screen_readers_in_the_articles_language(demo, site):
    for slug, language in (("myoclonus", "en"), ("mioclonia", "es")):
        reader = pdfs.reader(handout.build(live(slug, language), printed_on=PRINTED))
        catalog = reader.trailer["/Root"]
        assert catalog["/MarkInfo"]["/Marked"].value is True
        assert catalog["/Lang"] == language
        assert "/StructTreeRoot" in catalog
        assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
