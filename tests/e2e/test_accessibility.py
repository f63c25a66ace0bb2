"""axe-core on every public page type, at phone and desktop widths, with a
full-page screenshot of each into tests/e2e/screenshots/ for people to look
at. A serious or critical violation fails the test with a readable report, and
heading order and landmarks fail at any impact. Every finding is also
written next to the screenshot (``<page>-<width>.axe.json``)."""

import pytest
from django.utils import timezone

from conditions import services
from conditions.models import Condition, Drug
from healthlib.lib import pagecache
from newsletter import tokens
from newsletter.models import Newsletter, Subscriber
from tests.e2e.conftest import (
    PHONE,
    WIDTHS,
    add_urgent_help,
    run_axe,
    save_screenshot,
    write_audit_log,
)

pytestmark = [pytest.mark.e2e]


def _subscriber(status):
    return Subscriber.objects.create(
        newsletter=Newsletter.objects.get(),
        email=f"{status}@example.org",
        status=status,
        consent_text="I agree",
        consent_at=timezone.now(),
    )


def _sign_up(page):
    # From the newsletter's own page (from an article, the reader goes back there).
    page.goto("/newsletter/")
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Check your email").wait_for()


def _confirm(page):
    subscriber = _subscriber(Subscriber.Status.PENDING)
    page.goto(f"/newsletter/confirm/{tokens.confirmation_token(subscriber)}/")


def _unsubscribe(page):
    subscriber = _subscriber(Subscriber.Status.CONFIRMED)
    token = tokens.unsubscribe_token(subscriber.pk, subscriber.secret)
    page.goto(f"/newsletter/unsubscribe/{token}/")


def _unsubscribed(page):
    _unsubscribe(page)
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You are unsubscribed").wait_for()


def _gone(page):
    services.archive(condition=Condition.objects.editable().get(slug="myoclonus"))
    page.goto("/conditions/myoclonus/")


def _signup_error(page):
    page.goto("/newsletter/")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text("Enter a valid email address").wait_for()


def _drug_filled(page):
    # What an editor could fill in (test data: the demo invents none of it).
    Drug.objects.filter(slug="clonazepam").update(
        description="A medicine that calms overactive nerve signals.",
        uses="Used to prevent seizures and muscle jerks.",
        usual_use="Taken by mouth, usually once to three times a day.",
        side_effects="Drowsiness\nUnsteadiness\nMemory problems",
        serious_side_effects="Trouble breathing\nThoughts of harming yourself",
    )
    pagecache.clear()
    page.goto("/drugs/clonazepam/")


def _article_with_urgent_help(page):
    add_urgent_help("myoclonus")
    page.goto("/conditions/myoclonus/")


def _feedback_sent(page):
    page.goto("/conditions/myoclonus/")
    feedback = page.get_by_role("region", name="Was this page helpful?")
    feedback.get_by_label("No").check()
    feedback.get_by_label("What could we do better? (optional)").fill("More on treatment")
    feedback.get_by_role("button", name="Send").click()
    page.get_by_text("Thank you for telling us").wait_for()


def _feedback_error(page):
    page.goto("/conditions/myoclonus/")
    page.get_by_role("region", name="Was this page helpful?").get_by_role(
        "button", name="Send"
    ).click()
    page.get_by_text("Choose yes or no.").wait_for()


# name: (how to open it, the status it answers with)
PAGES = {
    "home": ("/", 200),
    "az-index": ("/conditions/?letter=m", 200),
    "article": ("/conditions/myoclonus/", 200),
    "drug-index": ("/drugs/", 200),
    "drug": ("/drugs/clonazepam/", 200),
    "topic": ("/topics/nervous-system/", 200),
    "topic-index": ("/topics/", 200),
    "drug-filled": (_drug_filled, None),
    "article-urgent": (_article_with_urgent_help, None),
    "feedback-thanks": (_feedback_sent, None),
    "feedback-error": (_feedback_error, None),
    "search-form": ("/search/", 200),
    "search-results": ("/search/?q=muscle+jerks", 200),
    "search-no-results": ("/search/?q=xylophone", 200),
    "search-other-language": ("/search/?q=mioclon%C3%ADa", 200),
    "search-kinds": ("/search/?q=clonazepam", 200),
    "search-one-kind": ("/search/?q=clonazepam&kind=drug", 200),
    "search-research": ("/search/?q=peanut", 200),
    "newsletter": ("/newsletter/", 200),
    "edition": ("/newsletter/march-2015/", 200),
    "signup-done": (_sign_up, None),
    "signup-error": (_signup_error, None),
    "confirmed": (_confirm, 200),
    "unsubscribe": (_unsubscribe, 200),
    "unsubscribed": (_unsubscribed, None),
    "invalid-link": ("/newsletter/confirm/not-a-token/", 404),
    "not-found": ("/conditions/no-such-condition/", 404),
    "gone": (_gone, 410),
    # The compact page partners frame (conditions/embed_views.py).
    "embed": ("/embed/conditions/myoclonus/", 200),
    "embed-not-found": ("/embed/conditions/no-such-condition/", 404),
    # The Spanish interface: the same pages under /es/, with the language
    # switcher and the A–Z's Ñ.
    "es-home": ("/es/", 200),
    "es-az-index": ("/es/conditions/", 200),
    "es-drug-index": ("/es/drugs/", 200),
    "es-drug": ("/es/drugs/5-hydroxytryptophan/", 200),
    "es-topic-index": ("/es/topics/", 200),
    "es-search-form": ("/es/search/", 200),
    "es-search-no-results": ("/es/search/?q=xil%C3%B3fono", 200),
    "es-not-found": ("/es/no-such-page/", 404),
    "es-embed": ("/es/embed/conditions/mioclonia/", 200),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violations(name, library, new_page, axe_source):
    opener, status = PAGES[name]
    page = new_page("phone")
    if callable(opener):
        opener(page)
        response = None
    else:
        response = page.goto(opener)
    if status is not None and response is not None:
        assert response.status == status, f"{name}: {opener} answered {response.status}"

    failures = []
    # The same document at both widths: media queries apply on resize, and
    # pages reached by a POST are not sent again.
    for width in ("phone", "desktop"):
        if width != "phone":
            page.set_viewport_size(WIDTHS[width])
        violations = run_axe(page, axe_source)
        write_audit_log(f"{name}-{width}", violations)
        save_screenshot(page, f"{name}-{width}")
        failures += [f"at {WIDTHS[width]['width']}px:\n{v.report()}" for v in violations if v.fails]
    assert not failures, f"{name} ({page.url}): serious accessibility problems\n" + "\n".join(
        failures
    )
    assert not page.errors, f"{name}: JavaScript errors {page.errors}"
    assert not page.broken, f"{name}: resources that did not load {page.broken}"


def test_the_audit_finds_planted_problems(library, page, axe_source):
    """The audit is not vacuous: an image without alt text, a low-contrast
    paragraph and a skipped heading level are all reported, and fail."""
    page.goto("/conditions/myoclonus/")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend",
                '<img src="/static/healthlib/none.png">'
                + '<p id="planted-low-contrast">Hard to read</p>'
                + '<h5>Too deep</h5>');
            // Through the CSSOM: the Content-Security-Policy refuses style
            // attributes in markup.
            const low = document.getElementById("planted-low-contrast");
            low.style.color = "#bbb";
            low.style.background = "#fff";
        }"""
    )
    found = {v.rule: v for v in run_axe(page, axe_source)}
    assert {"image-alt", "color-contrast", "heading-order"} <= set(found), sorted(found)
    assert all(found[rule].fails for rule in ("image-alt", "color-contrast", "heading-order"))
    assert "Hard to read" in found["color-contrast"].report()


@pytest.mark.parametrize("width", [320, PHONE["width"]])
def test_pages_do_not_scroll_sideways_on_a_phone(library, new_page, width):
    """Nothing is wider than the screen (WCAG 1.4.10 Reflow: 320 CSS px)."""
    page = new_page(width)
    too_wide = {}
    for name, (opener, _) in PAGES.items():
        if callable(opener):
            continue
        page.goto(opener)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[name] = scroll_width
    assert not too_wide, f"pages wider than {width}px: {too_wide}"


def test_every_page_type_has_its_own_title(library, page):
    titles = {}
    for name, (opener, _) in PAGES.items():
        if not callable(opener):
            page.goto(opener)
            titles[name] = page.title()
    assert all(title.endswith(" · healthlib") for title in titles.values()), titles
    assert len(set(titles.values())) == len(titles), titles
