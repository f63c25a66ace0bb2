"""The printable handout of an article, as a PDF.

Made from what the printed page is made from: the article's stored HTML
(``conditions.publishing.rendering``, the body readers are served) and
the site's stylesheet with its print stylesheet
(``healthlib/static/healthlib/site.css`` and ``print.css``), laid out by
WeasyPrint (``healthlib.lib.pdf``). Around it ``conditions/handout.html``
puts what a handout needs to be trusted and found again: the publisher's
name and postal address (``CONTENT_PUBLISHER``,
``NEWSLETTER_POSTAL_ADDRESS``), the page's address with a QR code to it,
the version (the live revision's number), the date last reviewed and the
date printed, and a footer with the title and page numbers on every page.
Labels and dates are in the article's language.

Building one takes about a second of CPU: the view serves it from
``conditions.publishing.handouts``, which builds each at most once per
version and day.
"""

import datetime
import functools
import hashlib
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

import segno
from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone, translation

from conditions import selectors
from conditions.pages.seo import absolute
from conditions.publishing import rendering
from healthlib.lib import pdf
from healthlib.lib.fingerprint import Sources

TEMPLATE = "conditions/handout.html"
# The printed page's stylesheets, in base.html's order, then the handout's own.
STYLESHEETS = ("healthlib/site.css", "healthlib/print.css", "conditions/handout.css")
# A QR code survives a crease or a smudge with level M (15 % of it lost).
QR_ERROR = "m"
QR_SCALE = 8  # pixels per module: crisp when printed at 3 cm or more


def live_url(live):
    """The live page's public address: what the QR code opens."""
    return absolute(live.get_absolute_url())


def qr_code(url):
    """``url`` as a segno QR code (never a Micro QR: phones read those badly)."""
    return segno.make(url, error=QR_ERROR, micro=False)


def today():
    """The date a handout made now is printed on: the site's date
    (``TIME_ZONE``)."""
    return timezone.localdate()


def context(live, *, printed_on):
    """What ``TEMPLATE`` shows of the live copy ``live``."""
    # The view defers the stored page (a served handout needs none of it).
    deferred = sorted(live.get_deferred_fields() & {"rendered_head", "rendered_body"})
    if deferred:
        live.refresh_from_db(fields=deferred)
    article = rendering.stored(live)
    if article is None:
        # Stored by an older release: rendered as the page view renders it.
        article = rendering.render(selectors.article_page(live))
    url = live_url(live)
    address = str(settings.NEWSLETTER_POSTAL_ADDRESS or "")
    return {
        "c": live,
        "body": article.body,
        "publisher": settings.CONTENT_PUBLISHER,
        "postal_address": [line.strip() for line in address.splitlines() if line.strip()],
        "live_url": url,
        "qr_src": qr_code(url).png_data_uri(scale=QR_SCALE, border=4),
        "revision": live.live_revision_id,
        "printed_on": printed_on,
    }


def html(live, *, printed_on):
    """The handout's HTML, in the article's language."""
    with translation.override(live.language):
        return get_template(TEMPLATE).render(context(live, printed_on=printed_on))


def build(live, *, printed_on=None):
    """The PDF of the live copy ``live`` printed on ``printed_on`` (today).
    Raises ``healthlib.lib.pdf.PdfUnavailable`` where PDFs cannot be made."""
    printed_on = printed_on or today()
    assert isinstance(printed_on, datetime.date)
    return pdf.write_pdf(
        html(live, printed_on=printed_on),
        base_url=settings.SITE_URL,
        stylesheets=STYLESHEETS,
        accessible=True,
    )


@functools.cache
def _sources():
    return Sources.find(templates=(TEMPLATE,), modules=(__name__,), root=rendering.ROOT)


@functools.cache
def _files_digest():
    digest = hashlib.sha256(_sources().files_digest().encode())
    for name in STYLESHEETS:
        digest.update(f"\0static {name}\n{pdf.static_text(name)}".encode())
    digest.update(_engine_version().encode())
    return digest.hexdigest()


def version():
    """A fingerprint of what a handout is made from: the article's stored
    HTML's (``rendering.version()``) and, beside it, the handout's template,
    this module and what it reads, the stylesheets, and the versions of
    WeasyPrint and segno. A stored PDF of another version is built again."""
    files = _files_digest.__wrapped__() if settings.DEBUG else _files_digest()
    return _sources().digest(files + rendering.version())


def _engine_version():
    try:
        return f"weasyprint {package_version('weasyprint')} segno {package_version('segno')}"
    except PackageNotFoundError:
        return ""
