"""PDFs read back as a reader's software reads them: their text, page by
page, with pypdf, and the QR code's modules from the image in the PDF.

``require_engine()`` at the top of a module whose tests make PDFs (or in a
fixture of the tests that do): they
need WeasyPrint and Debian's Pango. Without them the module skips, saying
what is missing; with ``CI`` set it fails instead (in CI the handouts must
be tested, as the end-to-end tests must run).
"""

import io
import os
import re

import pytest
from pypdf import PdfReader


def require_engine():
    from healthlib.lib import pdf

    problem = pdf.engine_problem()
    if not problem:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{problem} (CI is set: the handout tests must run, not skip)", pytrace=False)
    pytest.skip(problem, allow_module_level=True)


def reader(content):
    assert content.startswith(b"%PDF-"), content[:40]
    return PdfReader(io.BytesIO(content))


def pages(content):
    """Each page's text, with runs of white space made one space."""
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader(content).pages]


def text(content):
    """The whole document's text, white space made single spaces."""
    return " ".join(pages(content))


def images(content, page=0):
    """The images drawn on ``page``, as Pillow images."""
    return [image.image for image in reader(content).pages[page].images]


def qr_modules(image, size):
    """The dark (True) and light modules of a QR code of ``size`` modules a
    side drawn in ``image`` with a quiet zone of 4 modules, read at each
    module's centre."""
    grey = image.convert("L")
    side = size + 8
    step = grey.width / side
    return tuple(
        tuple(
            grey.getpixel((int((4 + x + 0.5) * step), int((4 + y + 0.5) * step))) < 128
            for x in range(size)
        )
        for y in range(size)
    )
