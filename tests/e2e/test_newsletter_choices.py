"""Issue 30's journey in Chromium: a reader signs up choosing two topics
and Spanish, confirms, later changes to the monthly digest from the link
in an email; the scheduled digest draft appears with the month's changes;
the newsletter editor sends it; the reader gets only their topics, in
Spanish; a click is counted without the reader being identifiable; the
reader downloads and then erases their data."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.utils import timezone
from taggit.models import Tag

from conditions.models import Condition
from newsletter import services, tasks
from newsletter.models import Edition, LinkClick, Newsletter, ResearchSummary, Subscriber
from tests.e2e.conftest import expect, links_in, log_in, path_of

pytestmark = [pytest.mark.e2e]

ADDRESS = "lectora@example.org"
NOTE = "Added the newest treatments for jerks that start in sleep."
LINK = r"https?://[^\s\"'<>]+"


def _an_edition_arrives():
    edition = Edition.objects.create(
        newsletter=Newsletter.objects.get(), title="November news", slug="november-news"
    )
    ResearchSummary.objects.create(
        edition=edition, headline="Walking helps tremor", body="A trial."
    )
    services.send_edition(edition=edition)


def _the_month_changes_myoclonus():
    """A reviewer republished Myoclonus this month with an update note."""
    live = Condition.objects.live().get(slug="myoclonus")
    now = timezone.now()
    Condition.objects.filter(pk=live.pk).update(
        first_published_at=now - datetime.timedelta(days=90),
        published_at=now,
        update_notes=[{"date": timezone.localdate().isoformat(), "note": NOTE, "reviewer": "Dr R"}],
    )
    # Its Spanish translation has no note of its own this month: the
    # English one is the line.
    Condition.objects.live("es").filter(slug="mioclonia").update(update_notes=[])


def test_a_reader_chooses_topics_spanish_and_the_monthly_digest_then_erases_their_data(
    library, new_page, mailoutbox, newsletter_editor
):
    # Sign-up: two topics and Spanish.
    reader = new_page("phone")
    reader.goto("/newsletter/")
    reader.get_by_label("Email address").fill(ADDRESS)
    reader.get_by_label("Movement disorders").check()
    reader.get_by_label("Nervous system").check()
    reader.get_by_label("Language of the emails").select_option("es")
    reader.get_by_role("button", name="Sign up").click()
    expect(reader.get_by_role("heading", name="Check your email")).to_be_visible()
    subscriber = Subscriber.objects.get(email=ADDRESS)
    assert subscriber.language == "es"
    assert sorted(subscriber.topics.values_list("name", flat=True)) == [
        "Movement disorders",
        "Nervous system",
    ]

    # Confirmation, from the Spanish email.
    (confirmation,) = mailoutbox
    reader.goto(path_of(links_in(confirmation, LINK + r"/es/newsletter/confirm/[^\s\"'<>]+/")[0]))
    expect(reader.locator("html")).to_have_attribute("lang", "es")
    assert Subscriber.objects.get(email=ADDRESS).status == Subscriber.Status.CONFIRMED

    # Later, from the footer of an edition: the monthly digest only.
    _an_edition_arrives()
    (edition_email,) = [m for m in mailoutbox[1:] if m.to == [ADDRESS]]
    footer = links_in(edition_email, LINK + r"/es/newsletter/unsubscribe/[^\s\"'<>]+/")
    reader.goto(path_of(footer[0]))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Sus preferencias del boletín")
    reader.get_by_label("Solo un resumen mensual").check()
    reader.get_by_role("button", name="Guardar mis preferencias").click()
    expect(reader.locator(".messages")).to_contain_text("Sus preferencias se han guardado.")
    assert Subscriber.objects.get(email=ADDRESS).frequency == Subscriber.Frequency.MONTHLY

    # Another monthly reader, of a topic the month did not touch.
    other = Subscriber.objects.create(
        newsletter=Newsletter.objects.get(), email="skin@example.org", status="confirmed",
        frequency="monthly", consent_text="yes", consent_at=timezone.now(),
    )  # fmt: skip
    other.topics.set([Tag.objects.create(name="Skin", slug="skin")])

    # The editor sets the schedule in the admin; the schedule drafts the digest.
    _the_month_changes_myoclonus()
    editor = new_page()
    log_in(editor, newsletter_editor)
    editor.goto("/admin/newsletter/digestschedule/add/")
    editor.locator("#id_newsletter").select_option(index=1)
    editor.locator("#id_every").select_option("month")
    editor.locator("#id_day").fill("1")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")
    [digest_id] = tasks.draft_digests.call()
    digest = Edition.objects.get(pk=digest_id)

    editor.goto("/admin/newsletter/edition/?kind__exact=digest")
    editor.get_by_role("link", name=digest.title).click()
    intro = editor.locator("#id_intro")
    expect(intro).to_have_value(re.compile(re.escape(f"[Myoclonus](article:myoclonus): {NOTE}")))
    intro.fill(intro.input_value() + "\n\nHappy reading.")
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    editor.get_by_role("link", name="Send to subscribers…").click()
    editor.get_by_role("button", name="Yes, send it").click()
    editor.wait_for_url(f"**/admin/newsletter/edition/{digest.pk}/change/")

    # The reader gets it, in Spanish; the other reader's topic was not in it.
    digests = [m for m in mailoutbox if "Resumen mensual" in m.subject or "digest" in m.subject]
    assert [m.to for m in digests] == [[ADDRESS]]
    (digest_email,) = digests
    body = " ".join(digest_email.body.split())
    assert "Artículos actualizados" in body and "Mioclonía (http" in body and NOTE in body
    assert "Happy reading." not in digest_email.body  # the English edition's words only

    # A click is counted; nothing in it names the reader.
    html = digest_email.alternatives[0][0]
    click = re.search(r'href="(' + LINK + r'/newsletter/click/[^"]+/)"', html).group(1)
    # (The redirect leads to SITE_URL, not this test's server: not followed.)
    response = reader.request.get(path_of(click), max_redirects=0)
    assert response.status == 302
    assert response.headers["location"].endswith(f"/es/newsletter/{digest.slug}/")
    [counted] = LinkClick.objects.all()
    assert counted.clicks == 1 and counted.edition_id == digest.pk
    assert subscriber.secret not in click and ADDRESS not in click

    # Download everything stored, then erase it.
    reader.goto(path_of(footer[0]))
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Descargar todo lo que se guarda sobre mí (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["email"] == ADDRESS and data["frequency"] == "monthly"
    assert len(data["topics"]) == 2 and digest.title in [e["edition"] for e in data["emails"]]
    reader.get_by_label(re.compile("Sí, borrar mi dirección")).check()
    reader.get_by_role("button", name="Borrarme").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Sus datos se han borrado")
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    assert LinkClick.objects.get().clicks == 1  # counts stay, naming nobody
    assert not reader.errors and not editor.errors
