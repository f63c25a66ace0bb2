"""The readers' interface in Spanish (conditions.views): /es/ pages in Spanish
with their language, a language switcher and hreflang alternates; the A–Z
with Ñ; dates in Spanish; a 404 for what is not translated. The English
pages stay as they were."""

import json
import re

import pytest
from django.conf import settings

from conditions import services
from conditions.publishing import snapshots
from tests import factories

pytestmark = pytest.mark.django_db


SITE = settings.SITE_URL


SPANISH_MONTHS = (
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
)


ENGLISH_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)


def _spanish(source, title, slug):
    """``source``'s Spanish translation, translated and published."""
    translation = services.create_translation(source=source, language="es")
    data = snapshots.take(translation)
    data.update(title=title, slug=slug, summary="Un resumen en español.")
    for section in data["sections"]:
        section["body"] = "Texto traducido al español.\n\n- Un punto\n- Otro punto\n"
    translation = services.update_article(condition=translation, data=data, comment="Traducido")
    services.publish(
        condition=translation,
        reviewer_name="Dra. Ana Ruiz",
        reviewer_credentials="MD",
        update_note="Primera versión en español",
    )
    translation.refresh_from_db()
    return translation


@pytest.fixture
def library():
    gout = factories.article("Gout")
    return gout, _spanish(gout, "Gota", "gota")


def _head(html):
    return html.split("</head>")[0]


SPANISH_PAGES = [
    ("/es/", "/", "Información de salud confiable y fácil de entender"),
    ("/es/conditions/?letter=g", "/conditions/?letter=g", "Afecciones de la A a la Z"),
    ("/es/drugs/", "/drugs/", "Medicamentos que aparecen en nuestros artículos"),
    ("/es/topics/", "/topics/", "Artículos agrupados por sistema del cuerpo"),
    ("/es/search/?q=x", "/search/?q=x", "No encontramos nada que coincida con “x”."),
    ("/es/search/?q=gota", "/search/?q=gota", "Resultados de la búsqueda de “gota”"),
]


@pytest.mark.parametrize(("path", "english", "words"), SPANISH_PAGES)
def test_spanish_pages_answer_in_spanish(client, library, path, english, words):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert words in html
    # The page furniture too, not only the page's own words.
    assert "Saltar al contenido" in html and "Skip to content" not in html
    assert '<nav aria-label="Principal">' in html
    assert "Los artículos de healthlib son solo informativos" in html
    # The same page in English, for search engines (x-default: English) and readers.
    head = _head(html)
    assert f'<link rel="alternate" hreflang="en" href="{SITE}{english}">' in head
    assert f'<link rel="alternate" hreflang="x-default" href="{SITE}{english}">' in head
    assert f'<link rel="alternate" hreflang="es" href="{SITE}{path}">' in head
    switcher = html.split('<nav class="language-switcher" aria-label="Idioma">')[1].split("</nav>")[
        0
    ]
    assert 'lang="en" hreflang="en">English</a>' in switcher
    assert f'<a href="{path}" lang="es" hreflang="es" aria-current="page">Español</a>' in switcher


@pytest.mark.parametrize(("spanish", "path", "spanish_words"), SPANISH_PAGES)
def test_english_pages_stay_english(client, library, spanish, path, spanish_words):
    html = client.get(path).content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html and "Saltar al contenido" not in html
    assert spanish_words not in html
    assert '<a href="/conditions/">Conditions A–Z</a>' in html
    assert f'hreflang="es" href="{SITE}/es/' in _head(html)
    assert 'lang="en" hreflang="en" aria-current="page">English</a>' in html


def test_alternates_carry_only_the_pages_own_parameters(client, library):
    head = _head(client.get("/es/drugs/?utm_source=mail&x=1").content.decode())
    assert f'hreflang="en" href="{SITE}/drugs/"' in head
    assert "utm_source" not in head
    head = _head(client.get("/es/search/?q=gota&kind=article&utm_source=mail").content.decode())
    assert f'hreflang="en" href="{SITE}/search/?q=gota&amp;kind=article"' in head


def test_no_switcher_on_an_article_with_no_translation(client):
    factories.article("Asthma")
    html = client.get("/conditions/asthma/").content.decode()
    assert 'class="language-switcher"' not in html
    assert "hreflang" not in _head(html)


def test_article_page_in_spanish_with_a_spanish_date_and_json_ld_language(client, library):
    gout, gota = library
    html = client.get("/es/conditions/gota/").content.decode()
    assert '<html lang="es">' in html
    # The interface around the translator's text, and the section headings
    # the article did not name itself.
    assert "En esta página" in html and "On this page" not in html
    assert '<h2 id="section-0-definition-h">Definición</h2>' in html
    assert "Referencias" in html and "¿Le resultó útil esta página?" in html
    # Dates in Spanish, the machine form in the attribute.
    reviewed = re.search(
        rf'Revisado por última vez el <time datetime="(\d{{4}}-\d{{2}}-\d{{2}})">'
        rf"(\d{{1,2}}) de ({SPANISH_MONTHS}) de (\d{{4}})</time> por Dra\. Ana Ruiz",
        html,
    )
    assert reviewed, html
    assert int(reviewed.group(2)) == gota.last_reviewed.day
    assert not re.search(rf"({ENGLISH_MONTHS}) \d{{1,2}}, \d{{4}}", html)
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["inLanguage"] == "es"
    assert data["breadcrumb"]["itemListElement"][0]["name"] == "Afecciones"
    assert '<meta property="og:locale" content="es_US">' in html

    english = client.get("/conditions/gout/").content.decode()
    assert re.search(
        rf'Last reviewed <time datetime="[\d-]+">({ENGLISH_MONTHS}) \d{{1,2}}, \d{{4}}', english
    )
    data = json.loads(english.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["inLanguage"] == "en"
    assert '<meta property="og:locale" content="en_US">' in english


def test_spanish_az_has_ñ_and_files_accented_initials_under_their_letter(client):
    _spanish(factories.article("Yam allergy"), "Ñame: alergia", "alergia-al-name")
    _spanish(factories.article("Ulcer"), "Úlcera", "ulcera")

    html = client.get("/es/conditions/", {"letter": "ñ"}).content.decode()
    assert '<a href="/es/conditions/alergia-al-name/">Ñame: alergia</a>' in html
    assert "Úlcera" not in html
    assert 'href="/es/conditions/?letter=%C3%B1" aria-current="page">Ñ</a>' in html
    # English has no Ñ: its alternate is the A–Z without a letter.
    assert f'hreflang="en" href="{SITE}/conditions/"' in _head(html)
    # Upper case as well, and Ñ written as N + combining tilde.
    assert "Ñame: alergia" in client.get("/es/conditions/", {"letter": "Ñ"}).content.decode()
    assert "Ñame: alergia" in client.get("/es/conditions/", {"letter": "n\u0303"}).content.decode()

    under_u = client.get("/es/conditions/", {"letter": "u"}).content.decode()
    assert '<a href="/es/conditions/ulcera/">Úlcera</a>' in under_u
    assert "Ñame" not in under_u

    # The home page's letters are the same.
    assert 'href="/es/conditions/?letter=%C3%B1">Ñ</a>' in client.get("/es/").content.decode()

    # An article's breadcrumb and JSON-LD lead to the letter it is filed under.
    article = client.get("/es/conditions/alergia-al-name/").content.decode()
    assert '<a href="/es/conditions/?letter=%C3%B1">Ñ</a>' in article
    assert f'"item": "{SITE}/es/conditions/?letter=%C3%B1"' in article
    article = client.get("/es/conditions/ulcera/").content.decode()
    assert '<a href="/es/conditions/?letter=u">U</a>' in article

    # English's A–Z has no Ñ, and ?letter=ñ means nothing there.
    english = client.get("/conditions/", {"letter": "ñ"}).content.decode()
    assert ">Ñ<" not in english
    assert 'aria-current="page">U</a>' in english  # the first letter with articles


def test_search_in_spanish_names_its_kinds_and_counts_in_spanish(client, library):
    html = client.get("/es/search/", {"q": "gota"}).content.decode()
    assert re.search(r"\d+ resultados? encontrados?", html)
    assert '<p class="result-kind">Artículo</p>' in html
    html = client.get("/es/search/").content.decode()
    assert "<title>Búsqueda · healthlib</title>" in html


def test_spanish_pages_name_drugs_and_topics_in_spanish(client):
    from taggit.models import Tag

    from conditions.models import Drug, TopicName

    gout = factories.article("Gout")
    Drug.objects.filter(slug="drug-0-0").update(names={"es": "Fármaco cero"})
    TopicName.objects.create(
        tag=Tag.objects.get(name="Nervous system"), language="es", name="sistema nervioso"
    )
    _spanish(gout, "Gota", "gota")  # rendered after the names were given
    assert (
        '<a href="/es/drugs/drug-0-0/">Fármaco cero</a>'
        in client.get("/es/drugs/").content.decode()
    )
    drug = client.get("/es/drugs/drug-0-0/").content.decode()
    assert '<h1 id="drug-title">Fármaco cero</h1>' in drug
    assert "Artículos que mencionan Fármaco cero" in drug
    article = client.get("/es/conditions/gota/").content.decode()
    assert '<a href="/es/drugs/drug-0-0/">Fármaco cero</a>' in article
    assert '<a href="/es/topics/nervous-system/">sistema nervioso</a>' in article
    topic = client.get("/es/topics/nervous-system/").content.decode()
    assert "<h1>Sistema nervioso</h1>" in topic
    assert ">Sistema nervioso</a>" in client.get("/es/topics/").content.decode()
    # English keeps the records' own names.
    assert '<h1 id="drug-title">Drug 0-0</h1>' in client.get("/drugs/drug-0-0/").content.decode()
    assert "<h1>Nervous system</h1>" in client.get("/topics/nervous-system/").content.decode()


def test_spanish_search_without_results_offers_the_spanish_a_to_z(client, library):
    factories.article("Asthma")  # English only
    html = client.get("/es/search/", {"q": "zzzz"}).content.decode()
    assert '<a href="/es/conditions/?letter=g">G</a>' in html
    assert 'href="/es/conditions/?letter=a"' not in html
    english = client.get("/search/", {"q": "zzzz"}).content.decode()
    assert 'href="/conditions/?letter=a"' in english and 'href="/conditions/?letter=g"' in english


def test_spanish_not_found_page(client):
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "No encontramos esa página" in html
    assert 'href="/es/conditions/"' in html


def test_feedback_errors_in_spanish(client, library):
    response = client.post("/es/conditions/gota/feedback/", {"comment": ""})
    assert response.status_code == 400
    assert "Elija sí o no." in response.content.decode()


def test_missing_translations_answer_404_with_the_english_page(client):
    factories.article("Gout")
    response = client.get("/es/conditions/gout/")
    assert response.status_code == 404
    assert 'href="/conditions/gout/"' in response.content.decode()
    assert client.get("/es/conditions/nothing-here/").status_code == 404
