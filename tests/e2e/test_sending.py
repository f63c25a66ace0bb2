"""A newsletter editor presses Send and watches the live progress bar (a
static script; the CSP allows no inline code) reach 100% while a real
database-queue worker sends through a real SMTP server."""

import threading
import time

import pytest
from django.db import connections
from django.utils import timezone

from newsletter.models import Edition, Newsletter, ResearchSummary, SendBatch, Subscriber
from tests.e2e.conftest import expect, log_in

pytestmark = [pytest.mark.e2e]

SUBSCRIBERS = 300


@pytest.fixture
def worker(settings, transactional_db):
    """The django-tasks-db worker, in a thread sharing the test database
    connection the way the live server's thread does (SQLite in memory)."""
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSLETTER_WATCH_SECONDS = 1
    shared = connections["default"]
    in_memory = shared.vendor == "sqlite"
    if in_memory:
        # Three threads (test, live server, worker) on one in-memory SQLite
        # connection fail at random ("database schema is locked"): a fault
        # of the test harness, not of sending. CI's PostgreSQL pass runs it.
        pytest.skip("needs a database a worker thread can share: runs on PostgreSQL")
    stop = threading.Event()
    runner = Worker(queue_names=["default"], interval=0.2, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="e2e",
                    excluded_queue_names=[])  # fmt: skip

    def loop():
        if in_memory:
            connections["default"] = shared
        try:
            while not stop.is_set():
                runner.run()  # batch mode: until the queue is empty
                time.sleep(0.2)
        finally:
            if not in_memory:
                connections["default"].close()

    if in_memory:
        shared.inc_thread_sharing()
    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(10)
    if in_memory:
        shared.dec_thread_sharing()


def _edition_with_subscribers(count):
    newsletter = Newsletter.objects.create(name="Current Research From Top Journals")
    edition = Edition.objects.create(newsletter=newsletter, title="May 2015", slug="may-2015")
    ResearchSummary.objects.create(edition=edition, headline="Sleep and tremor", body="Short.")
    Subscriber.objects.bulk_create(
        Subscriber(newsletter=newsletter, email=f"reader{i}@example.org", status="confirmed",
                   consent_text="yes", consent_at=timezone.now())
        for i in range(count)
    )  # fmt: skip
    return edition


def _log_in_as_newsletter_editor(new_page, newsletter_editor):
    page = new_page()
    log_in(page, newsletter_editor)
    return page


def _press_send(page, edition):
    """From the edition's page, as an editor does: its "Send to
    subscribers…" link, then the confirmation."""
    page.goto(f"/admin/newsletter/edition/{edition.pk}/change/")
    page.get_by_role("link", name="Send to subscribers…").click()
    expect(page.get_by_text("Sending continues in the background")).to_be_visible()
    page.get_by_role("button", name="Yes, send it").click()
    page.wait_for_url(f"**/admin/newsletter/edition/{edition.pk}/change/")
    expect(page.get_by_text("It continues in the background")).to_be_visible()


def test_editor_presses_send_and_watches_the_progress_bar_reach_100(
    new_page, smtp_server, worker, newsletter_editor
):
    edition = _edition_with_subscribers(SUBSCRIBERS)
    page = _log_in_as_newsletter_editor(new_page, newsletter_editor)
    page.goto(f"/admin/newsletter/edition/{edition.pk}/send/")
    expect(page.get_by_text("Sending continues in the background")).to_be_visible()
    page.get_by_role("button", name="Yes, send it").click()

    page.wait_for_url(f"**/admin/newsletter/edition/{edition.pk}/change/")
    expect(page.get_by_text("It continues in the background")).to_be_visible()
    bar = page.locator(".send-progress progress")
    text = page.locator(".send-progress-text")
    expect(text).to_contain_text("100%", timeout=60_000)
    expect(text).to_contain_text(f"{SUBSCRIBERS} sent, 0 failed, 0 remaining")
    expect(text).to_contain_text("Done.")
    assert bar.get_attribute("value") == "100"
    assert len(set(smtp_server.recipients)) == len(smtp_server.recipients) == SUBSCRIBERS
    # The rest of the page was drawn while sending: the editor is offered
    # a fresh one, which shows the edition sent and its deliveries.
    page.get_by_role("link", name="Reload the page to see the edition's status").click()
    expect(
        page.get_by_text(f"{SUBSCRIBERS} sent, 0 failed, 0 pending or interrupted")
    ).to_be_visible()
    expect(text).to_contain_text("Done.")
    expect(page.get_by_role("link", name="Reload the page")).to_have_count(0)


def test_the_mail_server_refuses_everything_sending_gives_up_then_send_again_sends_the_rest(
    settings, new_page, smtp_server, worker, newsletter_editor
):
    """The mail server takes the connection (prepare checks it) but answers
    every message "451 try again later": the batch runs twice, a second
    apart, then is given up, and the editor's page says so without a
    reload. Once the server works, Send again sends everyone, once."""
    settings.NEWSLETTER_BATCH_ATTEMPTS = 2
    settings.NEWSLETTER_BATCH_BACKOFF_SECONDS = 1
    count = 50
    edition = _edition_with_subscribers(count)
    smtp_server.refuse_after = 0  # 451 to every message
    page = _log_in_as_newsletter_editor(new_page, newsletter_editor)
    _press_send(page, edition)

    bar = page.locator(".send-progress progress")
    text = page.locator(".send-progress-text")
    # The page polls: no reload from here on.
    page.evaluate("() => { window.notReloaded = true; }")
    expect(text).to_contain_text("Gave up on", timeout=15_000)
    # 10 refused in a row stop a run; the 40 never tried wait too.
    expect(text).to_contain_text("0 sent, 10 failed, 40 remaining")
    expect(text).to_contain_text(
        f"Gave up on {count} messages after 2 attempts: the mail server refused"
    )
    expect(text).to_contain_text("451")
    expect(text).to_contain_text("Use “Send to subscribers…” again once the mail server works")
    assert page.evaluate("() => window.notReloaded") is True
    assert list(SendBatch.objects.values_list("status", "runs")) == [("failed", 2)]
    assert not smtp_server.received
    page.screenshot(path="/tmp/gaveup.png", full_page=True)

    smtp_server.refuse_after = None  # the mail server works again
    _press_send(page, edition)
    expect(text).to_contain_text("100%", timeout=15_000)
    expect(text).to_contain_text(f"{count} sent, 0 failed, 0 remaining")
    expect(text).to_contain_text("Done.")
    expect(text).not_to_contain_text("Gave up")
    assert bar.get_attribute("value") == "100"
    everyone = sorted(f"reader{i}@example.org" for i in range(count))
    assert sorted(smtp_server.recipients) == everyone  # each exactly once
