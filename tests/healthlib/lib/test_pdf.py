"""HTML made into PDF (healthlib.lib.pdf): this site's files only, never
the network, and a clear reason where WeasyPrint cannot run."""

import http.server
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from healthlib.lib import pdf
from tests import factories, pdfs

pdfs.require_engine()

SITE = "https://health.example.org"


@pytest.fixture
def outside_server():
    """A real server on 127.0.0.1 that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            body = factories.png_bytes(10, 10)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_html_becomes_a_pdf_with_its_text():
    content = pdf.write_pdf(
        "<h1>Gout</h1><p>Ácido úrico · Page one.</p>",
        base_url=SITE,
        stylesheets=("healthlib/print.css",),
    )
    assert pdfs.text(content) == "Gout Ácido úrico · Page one."


def test_nothing_but_this_sites_files_is_read(outside_server, settings, tmp_path):
    address, hits = outside_server
    secret = tmp_path / "secret.png"
    secret.write_bytes(factories.png_bytes(12, 12))
    html = (
        f'<link rel="stylesheet" href="{address}/style.css">'
        f'<img src="{address}/figure.png" alt="">'
        f'<img src="file://{secret}" alt="">'
        f'<img src="https://example.org/figure.png" alt="">'
        "<p>Text</p>"
    )
    content = pdf.write_pdf(html, base_url=SITE)
    assert hits == []
    assert pdfs.images(content) == [] and pdfs.text(content) == "Text"
    # Not even when the article is on that server itself.
    content = pdf.write_pdf('<img src="/figure.png" alt=""><p>Text</p>', base_url=address)
    assert hits == [] and pdfs.images(content) == []


def test_media_and_static_files_are_read_from_storage(settings):
    name = default_storage.save("figures/x.png", ContentFile(factories.png_bytes(30, 20)))
    html = f'<img src="/media/{name}" alt=""><img src="{SITE}/media/{name}" alt="">'
    assert [image.size for image in pdfs.images(pdf.write_pdf(html, base_url=SITE))] == [(30, 20)]
    fetcher = pdf.SiteFetcher(SITE)
    favicon = fetcher.fetch(f"{SITE}/static/healthlib/favicon.svg")
    assert favicon.read().startswith(b"<svg") and favicon.content_type == "image/svg+xml"


@pytest.mark.parametrize(
    "url",
    [
        f"{SITE}/static/../settings.py",
        f"{SITE}/static/%2e%2e/%2e%2e/healthlib/settings.py",
        f"{SITE}/static/healthlib/nothing.css",
        f"{SITE}/media/../../etc/passwd",
        f"{SITE}/media/%2e%2e/%2e%2e/etc/passwd",
        f"{SITE}/media/figures/missing.png",
        f"{SITE}.evil.example/static/healthlib/site.css",
        "file:///etc/passwd",
        "ftp://health.example.org/static/healthlib/site.css",
    ],
)
def test_the_fetcher_refuses_what_is_not_a_file_of_the_site(url):
    with pytest.raises(Exception):  # noqa: B017 - WeasyPrint catches whatever a fetcher raises
        pdf.SiteFetcher(SITE).fetch(url)


def test_without_weasyprint_pdfs_fail_clearly_and_the_deploy_check_says_why(monkeypatch):
    assert pdf.engine_problem() == "" and pdf.check_engine() == []
    reason = "WeasyPrint cannot be loaded (no library called libpango-1.0-0 was found)."
    monkeypatch.setattr(pdf, "_engine", lambda: (None, reason))
    with pytest.raises(pdf.PdfUnavailable, match="libpango"):
        pdf.write_pdf("<p>x</p>", base_url=SITE)
    [warning] = pdf.check_engine()
    assert warning.id == "healthlib.W002" and reason in warning.msg


def test_a_missing_library_is_reported_not_raised(monkeypatch):
    """What cffi raises when Pango's shared library is not installed."""
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open")
        return real_import(name, *args, **kwargs)

    pdf._engine.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_pango)
    try:
        problem = pdf.engine_problem()
    finally:
        monkeypatch.undo()
        pdf._engine.cache_clear()
    assert "libpango-1.0-0" in problem and "apt-get install" in problem
    assert pdf.engine_problem() == ""
