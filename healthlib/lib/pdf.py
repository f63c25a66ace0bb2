"""HTML made into PDF with WeasyPrint, reading nothing but this site's files.

WeasyPrint draws text with Pango (Debian's ``libpango-1.0-0`` and
``libpangoft2-1.0-0``, which Chromium's packages bring too). It is loaded
on first use, not at import: a machine without Pango still starts, serves
every other page and passes ``check``; ``engine_problem()`` says why PDFs
cannot be made there, ``write_pdf`` raises ``PdfUnavailable`` with that
reason, and ``check_engine`` (a deploy check) warns before a release goes
out without them.

The document may name images and stylesheets only under ``STATIC_URL``
and the media storage's address (``MEDIA_URL``, or the object store's
``custom_domain``), and ``data:`` URLs: they are read from the static
files' finders and from the media storage, never over the network (a
figure's address in an article cannot make the server fetch anything
else). Anything else is left out of the PDF, as a browser leaves out an
image it cannot load.
"""

import functools
import logging
import mimetypes
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

# Debian's packages WeasyPrint needs beside its Python code.
DEBIAN_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0")


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run on this machine; ``str()`` says why."""


@functools.cache
def _engine():
    """The ``weasyprint`` module, or the reason it cannot be loaded."""
    try:
        import weasyprint  # noqa: PLC0415 - loads Pango: only when a PDF is made
    except (ImportError, OSError) as exc:
        # OSError: cffi could not open a shared library (Pango, its fonts).
        return None, (
            f"WeasyPrint cannot be loaded ({exc}). It needs Debian's "
            f"{' and '.join(DEBIAN_PACKAGES)} (apt-get install them)."
        )
    return weasyprint, ""


def engine_problem():
    """Why PDFs cannot be made here, or '' when they can."""
    return _engine()[1]


def check_engine(app_configs=None, **kwargs):
    """Deploy check: a server that cannot make PDFs answers every handout
    with a 503."""
    problem = engine_problem()
    if not problem:
        return []
    return [
        checks.Warning(
            f"PDF handouts are unavailable: {problem}",
            hint="Install the packages, or silence healthlib.W002 to serve without "
            "handouts (they answer 503).",
            id="healthlib.W002",
        )
    ]


def write_pdf(html, *, base_url, stylesheets=(), accessible=False):
    """``html`` (a string) as PDF bytes. Relative addresses in it are read
    against ``base_url`` (the public site); ``stylesheets`` are static files'
    names (``"healthlib/print.css"``), applied after the document's own.
    ``accessible``: a tagged PDF/UA-1 document (headings, lists, images'
    alternative text and the language for screen readers)."""
    weasyprint, problem = _engine()
    if weasyprint is None:
        raise PdfUnavailable(problem)
    fetcher = SiteFetcher(base_url)
    sheets = [
        weasyprint.CSS(string=static_text(name), base_url=base_url, url_fetcher=fetcher)
        for name in stylesheets
    ]
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    options = {"pdf_variant": "pdf/ua-1"} if accessible else {}
    return document.write_pdf(stylesheets=sheets, **options)


def static_text(name):
    """A static file's text, found as ``collectstatic`` would find it."""
    path = finders.find(name)
    if path is None:
        raise FileNotFoundError(f"No static file {name!r}.")
    with open(path, encoding="utf-8") as file:
        return file.read()


def _media_base(site_url):
    """The absolute address media files are under: the storage's address of
    a name, less the name (``MEDIA_URL``, or an object store's own domain)."""
    sample = default_storage.url("x")
    return urljoin(site_url + "/", sample[:-1])


class SiteFetcher:
    """WeasyPrint's ``url_fetcher``: this site's static and media files
    and ``data:`` URLs; refuses every other address."""

    def __init__(self, base_url):
        from weasyprint.urls import URLFetcher  # noqa: PLC0415 - see _engine

        # Only data: URLs go to WeasyPrint's own fetcher.
        self._data = URLFetcher(allowed_protocols=("data",))
        self._fail_on_errors = False
        site = urlsplit(base_url)
        self.site_url = f"{site.scheme}://{site.netloc}"
        self.static_base = urljoin(self.site_url + "/", settings.STATIC_URL)
        self.media_base = _media_base(self.site_url)

    def __call__(self, url):
        return self.fetch(url)

    def fetch(self, url, headers=None):
        from weasyprint.urls import URLFetcherResponse  # noqa: PLC0415 - see _engine

        if url.startswith("data:"):
            return self._data.fetch(url)
        address = url.split("#")[0].split("?")[0]
        if address.startswith(self.static_base):
            name = unquote(address.removeprefix(self.static_base))
            path = finders.find(name) if name and ".." not in name.split("/") else None
            if path is None:
                raise ValueError(f"No static file at {url}")
            with open(path, "rb") as file:
                body = file.read()
        elif address.startswith(self.media_base):
            name = unquote(address.removeprefix(self.media_base))
            # The storage refuses names outside it (SuspiciousFileOperation).
            with default_storage.open(name, "rb") as file:
                body = file.read()
        else:
            raise ValueError(f"Not this site's file: {url}")
        content_type = mimetypes.guess_type(address)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})
