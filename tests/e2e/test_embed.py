"""A partner's page on another origin frames the demo article with the
iframe oEmbed gives it: the article and its attribution show, in English
and Spanish, and its links open this site in a new tab; the article page
itself refuses to be framed there."""

import functools
import http.server
import json
import threading
import urllib.parse
import urllib.request

import pytest

from tests.e2e.conftest import TIMEOUT_MS, expect, save_screenshot

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def site(library, live_server, settings):
    """The demo library at the live server's address (the oEmbed answers and
    the embed's links are made from SITE_URL)."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def partner(tmp_path):
    """``partner(name, body)``: a page of a partner's own site (another
    origin: 127.0.0.1 on a port of its own) holding ``body``."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def page(name, body):
        (tmp_path / name).write_text(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Partner clinic</title></head>"
            f"<body><h1>Partner clinic</h1>{body}</body></html>",
            encoding="utf-8",
        )
        return f"http://127.0.0.1:{server.server_port}/{name}"

    yield page
    server.shutdown()
    server.server_close()


def oembed_html(site, article_url):
    """The iframe a consumer gets for ``article_url``, as it would fetch it."""
    query = urllib.parse.urlencode({"url": article_url, "maxwidth": 480})
    with urllib.request.urlopen(f"{site}/oembed/?{query}", timeout=10) as response:  # noqa: S310
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        answer = json.load(response)
    assert answer["width"] == 480
    return answer["html"]


def test_a_partner_frames_the_article_with_its_attribution(site, partner, page):
    english = oembed_html(site, f"{site}/conditions/myoclonus/")
    spanish = oembed_html(site, f"{site}/es/conditions/mioclonia/")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(partner("clinic.html", english + spanish))
    assert not page.url.startswith(site)

    frame = page.frame_locator('iframe[title="Myoclonus · healthlib"]')
    expect(frame.get_by_role("heading", level=1)).to_have_text("Myoclonus")
    expect(frame.locator("html")).to_have_attribute("lang", "en")
    attribution = frame.get_by_role("contentinfo")
    expect(attribution).to_contain_text("Published by healthlib.")
    expect(attribution).to_contain_text("Demo Medical Reviewer, MD")
    expect(attribution.get_by_role("link", name="CC BY-NC-ND 4.0")).to_be_visible()
    # The frame is the width oEmbed promised, and the article fits it.
    width = page.locator('iframe[title="Myoclonus · healthlib"]').evaluate("f => f.clientWidth")
    assert width == 480
    scrolls_sideways = frame.locator("html").evaluate("html => html.scrollWidth > html.clientWidth")
    assert not scrolls_sideways

    es = page.frame_locator('iframe[title="Mioclonía · healthlib"]')
    expect(es.get_by_role("heading", level=1)).to_have_text("Mioclonía")
    expect(es.get_by_role("contentinfo")).to_contain_text("Publicado por healthlib.")
    expect(es.get_by_role("contentinfo")).to_contain_text("Licencia: CC BY-NC-ND 4.0.")
    save_screenshot(page, "embed-partner")

    # A link opens the article on this site, in a tab of its own.
    with page.context.expect_page(timeout=TIMEOUT_MS) as opened:
        frame.get_by_role("link", name="Read the full article on healthlib").click()
    article = opened.value
    article.wait_for_load_state()
    assert article.url == f"{site}/conditions/myoclonus/"
    expect(article.get_by_role("navigation", name="On this page")).to_be_visible()
    # The partner's page stayed where it was.
    assert page.url.startswith("http://127.0.0.1:")
    assert not page.errors and not page.broken, (page.errors, page.broken)


def test_the_article_page_refuses_to_be_framed(site, partner, browser):
    # A context of its own: the refusal is reported as a CSP violation,
    # which the other tests' pages fail on.
    context = browser.new_context()
    try:
        refusals = []
        page = context.new_page()
        page.on("console", lambda message: refusals.append(message.text))
        url = f"{site}/conditions/myoclonus/"
        page.goto(partner("article.html", f'<iframe src="{url}" title="Myoclonus"></iframe>'))
        page.wait_for_timeout(500)
        [child] = [f for f in page.frames if f != page.main_frame]
        # Chromium shows its own error page in the frame instead.
        assert child.url != url
        assert child.get_by_text("Myoclonus is a brief").count() == 0
        assert any("frame-ancestors 'none'" in text for text in refusals), refusals
    finally:
        context.close()
