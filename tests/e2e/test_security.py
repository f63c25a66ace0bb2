"""The Content-Security-Policy in a real browser: it is enforced, and the
collector every end-to-end test uses (``new_page`` fails a test whose pages
had anything blocked) really sees violations."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_the_policy_blocks_an_inline_script_and_the_collector_sees_it(library, page):
    response = page.goto("/conditions/myoclonus/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.plantedScriptRan = true;";
            document.body.appendChild(script);
            const p = document.createElement("p");
            p.setAttribute("style", "color: red");
            document.body.appendChild(p);
        }"""
    )
    page.wait_for_timeout(200)  # console messages arrive asynchronously
    assert page.evaluate("() => window.plantedScriptRan") is None
    assert any("inline script" in v for v in page.csp_violations), page.csp_violations
    page.csp_violations.clear()  # planted on purpose; anything else fails the test


def test_admin_pages_work_under_the_policy(library, page, editor):
    log_in(page, editor)
    for url in (
        "/admin/",
        "/admin/conditions/condition/",
        "/admin/conditions/condition/add/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
    assert not page.errors and not page.broken
