"""The newsletter in Spanish: a subscriber's language, the Spanish version of
an edition, and what each subscriber receives and reads in their language.

Needs the compiled catalogs (newsletter/locale/es/LC_MESSAGES/django.mo),
which the set-up builds."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command

from healthlib import portability
from newsletter import editions, emails, services, tokens
from newsletter.models import Delivery, Edition, Subscriber
from tests.conditions.portability.test_export import empty_the_database

pytestmark = pytest.mark.django_db

SENT = Edition.Status.SENT


def _parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _path(url):
    return urlsplit(url).path


@pytest.fixture
def edition_in_two_languages(make_edition):
    """A sent English edition with its Spanish version (own title, headline
    and summary; the English source citation)."""
    english = make_edition("March 2015", slug="march-2015", status=SENT)
    spanish = editions.add_translation(edition=english, language="es")
    spanish.title = "Marzo de 2015"
    spanish.intro = "Lo nuevo de este mes."
    spanish.save()
    summary = spanish.summaries.get()
    summary.headline = "El maní temprano reduce las alergias"
    summary.body = "Los investigadores encontraron **algo**."
    summary.save()
    editions.publish_translation(edition=spanish)
    return english, spanish


# --- Sign-up -------------------------------------------------------------------


def test_the_spanish_page_offers_spanish_first_and_the_english_page_english(client, newsletter):
    spanish = client.get("/es/newsletter/").content.decode()
    options = re.findall(r'<option value="(\w+)"[^>]*?( selected)?>', spanish)
    assert options == [("es", " selected"), ("en", "")]
    assert "Suscribirse" in spanish and "Idioma de los correos" in spanish
    english = client.get("/newsletter/").content.decode()
    assert re.findall(r'<option value="(\w+)"[^>]*?( selected)?>', english) == [
        ("en", " selected"),
        ("es", ""),
    ]


def test_sign_up_in_spanish_stores_es_and_sends_a_spanish_confirmation(client, newsletter):
    response = client.post("/es/newsletter/", {"email": "lectora@example.org", "language": "es"})
    assert response.status_code == 200
    assert "Revise su correo electrónico" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "es"
    assert subscriber.status == Subscriber.Status.PENDING
    # The consent record is the wording they read, in Spanish.
    assert subscriber.consent_text.startswith("Envíenme por correo electrónico")

    [message] = mail.outbox
    assert message.subject == f"Confirme su suscripción a {newsletter.name}"
    assert "Alguien, probablemente usted" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="es">' in html and "Sí, suscríbanme" in html
    link = re.search(r"http://localhost:8000(/es/newsletter/confirm/\S+/)", message.body).group(1)

    page = client.get(link).content.decode()
    assert "Su suscripción está activa" in page
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_the_language_defaults_to_the_pages_and_can_be_chosen_on_either(client, newsletter):
    client.post("/es/newsletter/", {"email": "a@example.org"})  # a form without the field
    client.post("/newsletter/", {"email": "b@example.org"})
    client.post("/newsletter/", {"email": "c@example.org", "language": "es"})
    languages = dict(Subscriber.objects.values_list("email", "language"))
    assert languages == {"a@example.org": "es", "b@example.org": "en", "c@example.org": "es"}
    assert "Please confirm" in mail.outbox[1].subject
    assert mail.outbox[2].subject.startswith("Confirme su suscripción")


def test_an_unknown_language_is_refused(client, newsletter):
    response = client.post("/newsletter/", {"email": "a@example.org", "language": "xx"})
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_signing_up_again_does_not_change_a_confirmed_subscribers_language(
    client, newsletter, make_subscribers
):
    [subscriber] = make_subscribers(1)
    response = client.post("/es/newsletter/", {"email": subscriber.email, "language": "es"})
    # The same answer as for a new address; nothing about them changed.
    assert response.status_code == 200
    assert "Revise su correo electrónico" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.language == "en" and subscriber.status == Subscriber.Status.CONFIRMED
    assert mail.outbox == []


# --- Sending ---------------------------------------------------------------------


def test_each_subscriber_gets_the_edition_in_their_language_exactly_once(
    settings, smtp_server, newsletter, make_subscribers, edition_in_two_languages
):
    settings.SITE_URL = "https://health.example.org"
    english, spanish = edition_in_two_languages
    english.status = Edition.Status.DRAFT  # sent below, through the real path
    english.save()
    [reader] = make_subscribers(1, prefix="reader")
    [lectora] = make_subscribers(1, prefix="lectora")
    Subscriber.objects.filter(pk=lectora.pk).update(language="es")

    call_command("send_edition", "march-2015", "--here")

    [message] = smtp_server.messages_to(lectora.email)
    assert message["Subject"] == f"{newsletter.name}: Marzo de 2015"
    text, html = _parts(message)
    assert "El maní temprano reduce las alergias" in text and "Lo nuevo de este mes." in html
    assert "Finding" not in text  # nothing of the English summary
    assert "Fuente: New England Journal of Medicine" in text  # the citation as it is
    assert '<html lang="es">' in html
    assert "https://health.example.org/es/newsletter/march-2015/" in text
    unsubscribe = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"].strip()).group(1)
    assert unsubscribe.startswith("https://health.example.org/es/newsletter/unsubscribe/")
    assert f"Cancelar la suscripción: {unsubscribe}" in text

    [message] = smtp_server.messages_to(reader.email)
    assert message["Subject"] == f"{newsletter.name}: March 2015"
    text, html = _parts(message)
    assert "Finding" in text and "El maní" not in text
    assert "Source: New England Journal of Medicine" in text
    assert "https://health.example.org/newsletter/unsubscribe/" in text

    # One delivery each, on the English edition; a second run sends nothing.
    assert Delivery.objects.filter(edition=english, status=Delivery.Status.SENT).count() == 2
    assert not Delivery.objects.filter(edition=spanish).exists()
    call_command("send_edition", "march-2015", "--here")
    assert len(smtp_server.received) == 2
    english.refresh_from_db()
    spanish.refresh_from_db()
    assert english.is_sent and spanish.is_sent


def test_a_spanish_subscriber_gets_the_english_edition_when_it_has_no_spanish_version(
    smtp_server, newsletter, make_edition, make_subscribers
):
    edition = make_edition("April 2015")
    [lectora] = make_subscribers(1, prefix="lectora")
    Subscriber.objects.filter(pk=lectora.pk).update(language="es")
    report = services.send_edition(edition=edition)
    assert report.sent == 1
    [message] = smtp_server.messages_to(lectora.email)
    assert message["Subject"] == f"{newsletter.name}: April 2015"
    text, _ = _parts(message)
    assert "Finding" in text
    # The English edition, yet their own page to unsubscribe in Spanish.
    assert "http://localhost:8000/es/newsletter/unsubscribe/" in text


def test_a_spanish_version_is_not_sent_on_its_own(edition_in_two_languages, make_subscribers):
    _, spanish = edition_in_two_languages
    make_subscribers(2)
    with pytest.raises(services.SendingError):
        services.send_edition(edition=spanish)
    assert not Delivery.objects.exists()


def test_unsubscribe_page_in_the_subscribers_language(client, make_subscribers):
    [subscriber] = make_subscribers(1)
    url = emails.unsubscribe_url(subscriber.pk, subscriber.secret, "es")
    assert _path(url).startswith("/es/newsletter/unsubscribe/")
    page = client.get(_path(url)).content.decode()
    assert "¿Dejar de enviar" in page and "Cancelar la suscripción" in page
    done = client.post(_path(url)).content.decode()
    assert "Su suscripción está cancelada" in done
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    # The same token works from the English page.
    token = tokens.unsubscribe_token(subscriber.pk, subscriber.secret)
    assert (
        "You are unsubscribed" in client.post(f"/newsletter/unsubscribe/{token}/").content.decode()
    )


# --- Pages -------------------------------------------------------------------


def test_each_archive_and_feed_lists_its_languages_editions(
    client, make_edition, edition_in_two_languages
):
    make_edition("English only", slug="english-only", status=SENT)
    english_page = client.get("/newsletter/").content.decode()
    assert "March 2015" in english_page and "English only" in english_page
    assert "Marzo de 2015" not in english_page
    spanish_page = client.get("/es/newsletter/").content.decode()
    assert '<a href="/es/newsletter/march-2015/">Marzo de 2015</a>' in spanish_page
    assert "March 2015" not in spanish_page and "English only" not in spanish_page
    assert "Ediciones anteriores" in spanish_page

    feed = client.get("/es/newsletter/feed/").content.decode()
    assert "<language>es</language>" in feed
    assert "Marzo de 2015" in feed and "March 2015" not in feed
    assert "http://localhost:8000/es/newsletter/march-2015/" in feed
    feed = client.get("/newsletter/feed/").content.decode()
    assert "March 2015" in feed and "Marzo de 2015" not in feed


def test_an_edition_page_with_a_translation_offers_the_other_language(
    client, edition_in_two_languages
):
    response = client.get("/es/newsletter/march-2015/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "El maní temprano reduce las alergias" in page and "Fuente:" in page
    alternates = [
        {"code": "en", "name": "English", "url": "/newsletter/march-2015/"},
        {"code": "es", "name": "Español", "url": "/es/newsletter/march-2015/"},
    ]
    assert response.context["alternates"] == alternates
    assert client.get("/newsletter/march-2015/").context["alternates"] == alternates


def test_no_language_switch_on_an_edition_without_translation(client, make_edition):
    make_edition("April", slug="april", status=SENT)
    assert client.get("/newsletter/april/").context["alternates"] == []


def test_an_edition_without_a_spanish_version_is_404_with_a_link_to_the_english(
    client, make_edition
):
    make_edition("April 2015", slug="april-2015", status=SENT)
    response = client.get("/es/newsletter/april-2015/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Esta edición no está disponible en este idioma" in page
    assert '<a href="/newsletter/april-2015/" hreflang="en">' in page
    assert client.get("/es/newsletter/no-such-edition/").status_code == 404


def test_a_draft_spanish_version_is_not_public(client, make_edition):
    english = make_edition("May", slug="may", status=SENT)
    spanish = editions.add_translation(edition=english, language="es")
    assert not spanish.is_sent
    response = client.get("/es/newsletter/may/")
    assert response.status_code == 404
    assert '<a href="/newsletter/may/"' in response.content.decode()
    assert "Mayo" not in client.get("/es/newsletter/").content.decode()
    editions.publish_translation(edition=spanish)
    assert client.get("/es/newsletter/may/").status_code == 200


# --- Admin ---------------------------------------------------------------------


def test_an_editor_adds_the_spanish_version_prefilled_from_the_english(
    newsletter_editor_client, make_edition
):
    english = make_edition("June", slug="june", summaries=2)
    english.summaries.first().tags.add("Allergies")
    change = newsletter_editor_client.get(f"/admin/newsletter/edition/{english.pk}/change/")
    url = f"/admin/newsletter/edition/{english.pk}/translate/es/"
    assert url in change.content.decode()
    assert newsletter_editor_client.get(url).status_code == 200  # asks first
    assert not Edition.objects.filter(language="es").exists()
    response = newsletter_editor_client.post(url)
    spanish = Edition.objects.get(language="es")
    assert response["Location"] == f"/admin/newsletter/edition/{spanish.pk}/change/"
    assert spanish.translation_of == english and spanish.slug == "june"
    assert spanish.status == Edition.Status.DRAFT
    pairs = zip(english.summaries.all(), spanish.summaries.all(), strict=True)
    for source, copy in pairs:
        assert (copy.headline, copy.body, copy.journal, copy.doi) == (
            source.headline,
            source.body,
            source.journal,
            source.doi,
        )
    assert [t.name for t in spanish.summaries.first().tags.all()] == ["Allergies"]
    # Asking again opens the existing version.
    assert newsletter_editor_client.post(url)["Location"] == response["Location"]
    # The Spanish version is not sent by itself.
    send = newsletter_editor_client.get(f"/admin/newsletter/edition/{spanish.pk}/send/")
    assert send["Location"] == f"/admin/newsletter/edition/{spanish.pk}/change/"


def test_the_subscriber_admin_shows_and_filters_the_language(
    newsletter_editor_client, make_subscribers
):
    make_subscribers(1, prefix="reader")
    [lectora] = make_subscribers(1, prefix="lectora")
    Subscriber.objects.filter(pk=lectora.pk).update(language="es")
    page = newsletter_editor_client.get(
        "/admin/newsletter/subscriber/?language__exact=es"
    ).content.decode()
    assert "lectora" in page and "reader" not in page
    assert "Español" in page


# --- Export and import ------------------------------------------------------------


def test_export_import_round_trip_with_a_spanish_edition(edition_in_two_languages):
    english, spanish = edition_in_two_languages
    doc, _ = portability.export_content()
    text = portability.dumps(doc)
    [entry] = [e for e in doc["newsletters"][0]["editions"] if e["language"] == "es"]
    assert entry["translation_of"] == "march-2015" and entry["title"] == "Marzo de 2015"
    empty_the_database()
    portability.import_content(json.loads(text))
    spanish = Edition.objects.get(language="es")
    assert spanish.translation_of == Edition.objects.get(language="en")
    assert spanish.summaries.get().headline == "El maní temprano reduce las alergias"
    assert spanish.summaries.get().journal == "New England Journal of Medicine"
    again, _ = portability.export_content()
    assert portability.dumps(again) == text


def test_an_export_without_languages_imports_as_english(make_edition):
    make_edition("July", slug="july", status=SENT)
    doc, _ = portability.export_content()
    doc = json.loads(portability.dumps(doc))
    for edition in doc["newsletters"][0]["editions"]:
        del edition["language"], edition["translation_of"]
    doc["version"] = 1
    empty_the_database()
    portability.import_content(doc)
    assert Edition.objects.get().language == "en"


def test_a_spanish_edition_must_name_an_english_one(edition_in_two_languages):
    doc, _ = portability.export_content()
    doc = json.loads(portability.dumps(doc))
    [entry] = [e for e in doc["newsletters"][0]["editions"] if e["language"] == "es"]
    entry["translation_of"] = "no-such-edition"
    empty_the_database()
    with pytest.raises(portability.ContentImportError) as excinfo:
        portability.import_content(doc)
    assert any("translation_of: no English edition" in error for error in excinfo.value.errors), (
        excinfo.value.errors
    )
    assert not Edition.objects.exists()


def test_a_spanish_edition_links_the_spanish_translation_of_an_article_where_there_is_one(
    client, edition_in_two_languages
):
    from tests import factories
    from tests.conditions.services.test_translations import _translate

    english, spanish = edition_in_two_languages
    gout = factories.article("Gout")
    tremor = factories.article("Essential tremor")
    _translate(gout, title="Gota", slug="gota")
    for summary in (english.summaries.get(), spanish.summaries.get()):
        summary.related_articles.add(gout, tremor)
    page = client.get("/es/newsletter/march-2015/").content.decode()
    assert '<a href="/es/conditions/gota/">Gota</a>' in page
    # No Spanish page for this one: the English article, said to be English.
    assert '<a href="/conditions/essential-tremor/" hreflang="en" lang="en">' in page
    page = client.get("/newsletter/march-2015/").content.decode()
    assert '<a href="/conditions/gout/">Gout</a>' in page
    # The Spanish article page lists the Spanish summaries about it.
    article = client.get("/es/conditions/gota/").content.decode()
    assert "El maní temprano reduce las alergias" in article and "Finding" not in article


def test_an_editor_publishes_a_version_written_after_the_english_edition_was_sent(
    newsletter_editor_client, make_edition, make_subscribers
):
    from django.test import Client

    reader = Client()
    english = make_edition("August", slug="august", status=SENT)
    make_subscribers(1)
    spanish = editions.add_translation(edition=english, language="es")
    change = newsletter_editor_client.get(f"/admin/newsletter/edition/{spanish.pk}/change/")
    assert change.status_code == 200
    page = change.content.decode()
    assert f"/admin/newsletter/edition/{english.pk}/change/" in page  # the English edition
    url = f"/admin/newsletter/edition/{spanish.pk}/publish/"
    assert url in page
    assert newsletter_editor_client.get(url).status_code == 200  # asks first
    assert reader.get("/es/newsletter/august/").status_code == 404
    newsletter_editor_client.post(url)
    assert reader.get("/es/newsletter/august/").status_code == 200
    assert mail.outbox == [] and not Delivery.objects.exists()


@pytest.mark.django_db
def test_the_spanish_sign_up_page_offers_english_and_marks_the_english_name(client):
    from newsletter.models import Newsletter

    Newsletter.objects.create(name="Current Research From Top Journals")
    html = client.get("/es/newsletter/").content.decode()
    assert 'hreflang="en"' in html and 'href="/newsletter/"' in html
    assert '<h1 lang="en">' in html
    english = client.get("/newsletter/").content.decode()
    assert 'href="/es/newsletter/"' in english and '<h1 lang="en">' not in english
