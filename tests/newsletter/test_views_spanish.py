"""The newsletter in Spanish (newsletter.views): a subscriber's language, the
Spanish version of an edition's page, and what each subscriber reads in
their language.

Needs the compiled catalogs (newsletter/locale/es/LC_MESSAGES/django.mo),
which the set-up builds."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from newsletter import editions, emails, tokens
from newsletter.models import Edition, Subscriber

pytestmark = pytest.mark.django_db


SENT = Edition.Status.SENT


def _path(url):
    return urlsplit(url).path


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


def test_unsubscribe_page_in_the_subscribers_language(client, make_subscribers):
    [subscriber] = make_subscribers(1)
    url = emails.unsubscribe_url(subscriber.pk, subscriber.secret, "es")
    assert _path(url).startswith("/es/newsletter/unsubscribe/")
    page = client.get(_path(url)).content.decode()
    assert "Sus preferencias del boletín" in page and "Cancelar la suscripción" in page
    done = client.post(_path(url)).content.decode()
    assert "Su suscripción está cancelada" in done
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    # The same token works from the English page.
    token = tokens.unsubscribe_token(subscriber.pk, subscriber.secret)
    assert (
        "You are unsubscribed" in client.post(f"/newsletter/unsubscribe/{token}/").content.decode()
    )


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


@pytest.mark.django_db
def test_the_spanish_sign_up_page_offers_english_and_marks_the_english_name(client):
    from newsletter.models import Newsletter

    Newsletter.objects.create(name="Current Research From Top Journals")
    html = client.get("/es/newsletter/").content.decode()
    assert 'hreflang="en"' in html and 'href="/newsletter/"' in html
    assert '<h1 lang="en">' in html
    english = client.get("/newsletter/").content.decode()
    assert 'href="/es/newsletter/"' in english and '<h1 lang="en">' not in english
