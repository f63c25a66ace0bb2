"""Search in Spanish, /es/search/?q=…, on whichever database runs the suite
(SQLite FTS5 with a Snowball stemmer by default, PostgreSQL's ``spanish``
configuration with DATABASE_URL): stemming, accents, did-you-mean, and the
languages kept apart."""

import re
from html import unescape

import pytest

from conditions import search, services
from conditions.models import Drug, SearchDocument
from conditions.publishing import snapshots
from conditions.search import languages
from tests.conditions.search.helpers import make

pytestmark = pytest.mark.django_db


def translate(source, title, body, *, slug, summary="", alternate_names="", publish=True):
    """The Spanish translation of ``source``, with its own text, published."""
    translation = services.create_translation(source=source, language="es")
    data = snapshots.take(translation)
    data.update(title=title, slug=slug, summary=summary, alternate_names=alternate_names)
    data["sections"] = [{"kind": "definition", "heading": "", "body": body, "order": 0}]
    translation = services.update_article(condition=translation, data=data, comment="Traducido")
    if publish:
        services.publish(condition=translation)
        translation.refresh_from_db()
    return translation


def slugs(response, prefix="/es"):
    assert response.status_code == 200
    return re.findall(
        rf'class="result-title"><a href="{prefix}/conditions/([\w-]+)/"',
        response.content.decode(),
    )


def found_es(client, q, **params):
    return slugs(client.get("/es/search/", {"q": q, **params}))


def found_en(client, q):
    return slugs(client.get("/search/", {"q": q}), prefix="")


@pytest.fixture
def library():
    myoclonus = make(
        "Myoclonus",
        "Myoclonus is a quick, involuntary muscle jerk. Treatment depends on the cause.",
        summary="Sudden muscle jerks you cannot control.",
        alternate_names="Muscle jerks",
        drugs=["Clonazepam"],
    )
    translate(
        myoclonus,
        "Mioclonía",
        "Las mioclonías son sacudidas musculares rápidas e involuntarias. "
        "El tratamiento depende de la causa.",
        slug="mioclonia",
        summary="Sacudidas musculares repentinas que no se pueden controlar.",
        alternate_names="Sacudidas musculares",
    )
    asthma = make("Asthma", "Asthma narrows the airways.", summary="A lung condition.")
    translate(
        asthma,
        "Asma",
        "El asma estrecha las vías respiratorias. Hay tratamientos que alivian la tos.",
        slug="asma",
        summary="Una enfermedad de los pulmones.",
    )


def test_accents_and_plurals_find_the_same_article(client, library):
    # With and without the accent, singular and plural.
    for q in ("mioclonía", "mioclonia", "mioclonías", "MIOCLONIAS", "Mioclonía"):
        assert found_es(client, q) == ["mioclonia"], q


def test_plural_and_singular_in_the_text(client, library):
    assert sorted(found_es(client, "tratamientos")) == ["asma", "mioclonia"]
    assert sorted(found_es(client, "tratamiento")) == ["asma", "mioclonia"]
    assert found_es(client, "respiratoria") == ["asma"]
    assert found_es(client, "vías respiratorias") == ["asma"]


def test_phrases_in_spanish(client, library):
    assert found_es(client, '"sacudidas musculares"') == ["mioclonia"]
    assert found_es(client, '"musculares rapidas"') == ["mioclonia"]
    assert found_es(client, '"rápidas musculares"') == []


def test_every_word_must_match_in_spanish(client, library):
    assert found_es(client, "mioclonía asma") == []


def test_title_match_ranks_first_in_spanish(client, library):
    asthma_es = SearchDocument.objects.get(slug="asma", language="es")
    assert asthma_es.kind == SearchDocument.Kind.ARTICLE
    # Both mention a treatment; only one is called "Asma".
    assert found_es(client, "asma")[0] == "asma"


def test_spanish_search_finds_no_english_article(client, library):
    assert found_es(client, "myoclonus") == []
    assert found_es(client, "asthma") == []
    assert found_es(client, "airways") == []
    # Not a drug, topic or any other English document either: the drug
    # the articles list is found as the Spanish article that lists it.
    html = client.get("/es/search/", {"q": "clonazepam"}).content.decode()
    assert re.findall(r'class="result-title"><a href="([^"]+)"', html) == [
        "/es/conditions/mioclonia/"
    ]


def test_english_search_finds_no_spanish_article(client, library):
    assert found_en(client, "mioclonía") == []
    assert found_en(client, "tratamiento") == []
    assert found_en(client, "myoclonus") == ["myoclonus"]
    assert found_en(client, "treatment") == ["myoclonus"]


def test_results_link_to_the_spanish_pages(client, library):
    html = client.get("/es/search/", {"q": "mioclonia"}).content.decode()
    assert 'href="/es/conditions/mioclonia/"' in html
    assert client.get("/es/conditions/mioclonia/").status_code == 200


def test_snippets_mark_the_original_accented_words(client, library):
    html = client.get("/es/search/", {"q": "mioclonia"}).content.decode()
    # The title and the body as written, accents and all.
    assert "<mark>Mioclonía</mark>" in html
    assert "<mark>mioclonías</mark>" in html
    assert "mioclon<" not in html and "miocloni<" not in html
    html = client.get("/es/search/", {"q": "tratamientos"}).content.decode()
    snippets = re.findall(r'class="snippet">(.*?)</p>', html, re.S)
    assert any("<mark>tratamiento</mark>" in s for s in snippets)
    assert any("<mark>tratamientos</mark>" in s for s in snippets)


def test_snippet_finds_a_match_deep_in_a_long_spanish_article(client):
    source = make("Long read", "Filler.")
    translate(
        source,
        "Lectura larga",
        "Palabras de relleno sin importancia. " * 400 + "Entonces empiezan las convulsiones.",
        slug="lectura-larga",
    )
    html = client.get("/es/search/", {"q": "convulsión"}).content.decode()
    snippet = html.split('class="snippet">')[1].split("</p>")[0]
    assert "<mark>convulsiones</mark>" in snippet
    assert snippet.startswith("…")


def test_snippets_escape_spanish_text(client):
    source = make("Escaping", "Text.")
    translate(source, "Escapar", "Una <b>negrita</b> & más.", slug="escapar")
    html = client.get("/es/search/", {"q": "negrita"}).content.decode()
    snippet = html.split('class="snippet">')[1].split("</p>")[0]
    assert "<b>" not in snippet and "<mark>negrita</mark>" in snippet


def test_did_you_mean_in_spanish(client, library):
    assert search.did_you_mean("mioclnia", "es") == "Mioclonía"
    assert search.did_you_mean("sacudidas musclares", "es") == "Sacudidas musculares"
    # Written without its accent it is no misspelling.
    assert search.did_you_mean("mioclonia", "es") is None
    # The English names are not offered to Spanish readers, nor the other way.
    assert search.did_you_mean("myoclonis", "es") != "Myoclonus"
    assert search.did_you_mean("mioclnia") != "Mioclonía"
    html = client.get("/es/search/", {"q": "mioclnia"}).content.decode()
    assert 'href="/es/search/?q=Mioclon%C3%ADa"' in html


def test_did_you_mean_corrects_words_from_spanish_vocabulary(client, library):
    assert search.did_you_mean("repentinas sacudidsa", "es") in {
        "repentinas sacudidas",
        "Sacudidas musculares",
    }
    assert search.did_you_mean("musculares sacudidss", "es") == "musculares sacudidas"


def test_hostile_spanish_queries_never_error(client, library):
    for q in ['"', "AND(", "*", "NEAR(mio", "___", "ñ" * 500, "\x00mio", "language : es", "ü"]:
        assert client.get("/es/search/", {"q": q}).status_code == 200


def test_the_language_token_is_not_searchable(client, library):
    # The SQLite tables keep each row's language as a column; a reader's
    # "es" is a word like any other.
    assert found_es(client, "es") == []
    assert found_es(client, "language") == []


def test_unpublishing_the_translation_removes_it_from_spanish_search(client, library):
    spanish = SearchDocument.objects.get(language="es", slug="mioclonia").condition.source
    services.archive(condition=spanish)
    assert found_es(client, "mioclonía") == []
    assert found_en(client, "myoclonus") == ["myoclonus"]


def test_draft_translations_are_never_found(client):
    source = make("Gout", "Joint pain.")
    translate(source, "Gota", "Dolor articular.", slug="gota", publish=False)
    assert found_es(client, "gota") == []


def test_republished_translation_is_found_by_its_new_text(client, library):
    spanish = SearchDocument.objects.get(language="es", slug="asma").condition.source
    data = snapshots.take(spanish)
    data["sections"][0]["body"] = "Las sibilancias empeoran por la noche."
    services.update_article(condition=spanish, data=data, comment="Cambio")
    services.publish(condition=spanish)
    assert found_es(client, "sibilancia") == ["asma"]
    assert found_es(client, "tratamientos") == ["mioclonia"]


def test_rebuild_indexes_every_language(client, library):
    SearchDocument.objects.all().delete()
    assert found_es(client, "mioclonía") == []
    search.rebuild()
    assert found_es(client, "mioclonia") == ["mioclonia"]
    assert found_en(client, "myoclonus") == ["myoclonus"]
    assert set(SearchDocument.objects.values_list("language", flat=True)) == {"en", "es"}


def test_spanish_drug_names_are_searchable_in_the_translation(client):
    source = make("Seizures", "Text.", drugs=["Clonazepam"])
    Drug.objects.filter(name="Clonazepam").update(names={"es": "Clonazepán"})
    translation = translate(source, "Convulsiones", "Texto.", slug="convulsiones", publish=False)
    data = snapshots.take(translation)
    data["drug_groups"][0]["heading"] = "Anticonvulsivos"
    services.update_article(condition=translation, data=data, comment="Fármacos")
    services.publish(condition=translation)
    assert found_es(client, "clonazepan") == ["convulsiones"]
    assert found_es(client, "anticonvulsivo") == ["convulsiones"]


def test_a_third_language_is_configuration(settings):
    settings.SEARCH_LANGUAGES = {
        **settings.SEARCH_LANGUAGES,
        "fr": {"postgresql": "french", "stemmer": "french"},
    }
    french = languages.get("fr")
    assert french.stemmed and french.postgresql == "french"
    assert french.keys("Les myoclonies") == french.keys("les myoclonie")
    # Without a list of its own, no word of it is ignored (not English's).
    assert not french.is_stop_word("the")
    assert languages.get("es").is_stop_word("Qué") and languages.get("en").is_stop_word("the")
    # An unknown language is searched as the source language.
    assert languages.get("xx").code == "en"


def test_folding_keeps_positions():
    text = "Mioclonía, niño, İstanbul ﬁn"
    assert len(languages.fold(text)) == len(text)
    assert languages.fold("Mioclonía ÑANDÚ") == "mioclonia nandu"


def test_spanish_search_page_query_budget(client, library, django_assert_max_num_queries):
    # As in English: count, counts of the other kinds, page, text of the
    # hits, and the names for "did you mean"; PostgreSQL adds SET LOCALs.
    sources = [make(f"Myoclonus type {n}", "myoclonus " * 5) for n in range(30)]
    for n, source in enumerate(sources):
        translate(source, f"Mioclonía tipo {n}", "mioclonías " * 5, slug=f"mioclonia-tipo-{n}")
    with django_assert_max_num_queries(8):
        assert client.get("/es/search/", {"q": "mioclonia", "page": 2}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/es/search/", {"q": "mioclnia"}).status_code == 200


def test_spanish_ranking_of_very_common_words_reads_only_the_head(client, monkeypatch, library):
    from conditions.search import backends

    monkeypatch.setattr(backends, "FULL_RANK_LIMIT", 1)
    ranked = found_es(client, "sacudidas")
    assert ranked == ["mioclonia"]
    ranked = found_es(client, "tratamiento")
    assert sorted(ranked) == ["asma", "mioclonia"]
    html = client.get("/es/search/", {"q": "tratamiento"}).content.decode()
    assert "<mark>tratamiento</mark>" in html


def test_english_drug_documents_keep_to_english_articles(client):
    source = make("Seizures", "Text.", drugs=["Clonazepam"])
    translation = translate(source, "Convulsiones", "Texto.", slug="convulsiones", publish=False)
    data = snapshots.take(translation)
    data["drug_groups"][0]["heading"] = "Anticonvulsivos"
    services.update_article(condition=translation, data=data, comment="Fármacos")
    services.publish(condition=translation)
    drug = SearchDocument.objects.get(kind=SearchDocument.Kind.DRUG)
    assert drug.language == "en" and "Anticonvulsivos" not in drug.body
    html = client.get("/search/", {"q": "anticonvulsivos"}).content.decode()
    assert "result-title" not in html


PARAGRAPH = (
    "Las mioclonías pueden aparecer en personas sanas, por ejemplo al dormirse. "
    "Otras veces acompañan a enfermedades del sistema nervioso, como la epilepsia, "
    "y el médico decide el tratamiento según la causa y la frecuencia de las sacudidas. "
)


@pytest.mark.parametrize("full_rank_limit", [1000, 50])
def test_spanish_search_query_budget_on_large_content(
    client, monkeypatch, django_assert_max_num_queries, full_rank_limit
):
    """200 Spanish documents of an article's realistic size (about 6,000
    words each): the page costs as many queries as in English, whichever
    way it is ranked, and the snippet is the original text."""
    from django.db import connection

    from conditions.search import backend, backends
    from conditions.search.languages import index_fields

    monkeypatch.setattr(backends, "FULL_RANK_LIMIT", full_rank_limit)
    rows = []
    for n in range(200):
        fields = {
            "title": f"Artículo {n}",
            "alternate_names": "",
            "summary": "Un resumen.",
            "body": PARAGRAPH * 150 + ("Al final, la distonía." if n == 7 else ""),
            "drugs": "Clonazepam",
        }
        rows.append(
            SearchDocument(
                kind=SearchDocument.Kind.ARTICLE,
                language="es",
                slug=f"articulo-{n}",
                **fields,
                **index_fields("es", fields, connection.vendor),
            )
        )
    SearchDocument.objects.bulk_create(rows)
    backend().after_write(language_codes=["es"])
    with django_assert_max_num_queries(8):
        response = client.get("/es/search/", {"q": "tratamientos", "page": 3})
    assert len(slugs(response)) == 10
    snippet = response.content.decode().split('class="snippet">')[1].split("</p>")[0]
    assert "<mark>tratamiento</mark>" in snippet
    with django_assert_max_num_queries(8):
        response = client.get("/es/search/", {"q": "distonia"})
    assert slugs(response) == ["articulo-7"]
    assert "<mark>distonía</mark>" in response.content.decode()


def test_documents_written_during_a_spanish_request_keep_english_addresses(client):
    from django.utils import translation

    with translation.override("es"):
        make("Myoclonus", "Text.", drugs=["Clonazepam"])
    drug = SearchDocument.objects.get(kind=SearchDocument.Kind.DRUG)
    assert drug.url == "/drugs/clonazepam/"


def test_common_spanish_words_are_ignored_outside_phrases(client, library):
    # "de", "la" and "las" are in nearly every Spanish text: ignored, as
    # PostgreSQL's spanish configuration ignores them, on both databases.
    assert found_es(client, "tratamiento de la causa") == ["mioclonia"]
    html = client.get("/es/search/", {"q": "tratamiento de la causa"}).content.decode()
    snippets = "".join(re.findall(r'class="snippet">(.*?)</p>', html, re.S))
    assert "<mark>de</mark>" not in snippets and "<mark>la</mark>" not in snippets
    # In quotes they count.
    assert found_es(client, '"depende de la causa"') == ["mioclonia"]
    # Each language its own list; common words alone are kept.
    terms = [t.text for t in search.search("mioclonía con la causa", language="es").parsed.terms]
    assert terms == ["mioclonía", "causa"]
    terms = [t.text for t in search.search("myoclonus con the", language="en").parsed.terms]
    assert terms == ["myoclonus", "con"]
    assert [t.text for t in search.search("de la", language="es").parsed.terms] == ["de", "la"]


# ---- A search that finds nothing offers the other languages' results ---------


def _offered(html, code):
    """The titles offered in language ``code``, with their addresses."""
    section = re.search(
        rf'<section class="elsewhere" aria-labelledby="elsewhere-{code}-h">(.*?)</section>',
        html,
        re.S,
    )
    if section is None:
        return []
    return re.findall(
        rf'<h3 class="elsewhere-title"><a href="([^"]+)" hreflang="{code}" lang="{code}">(.*?)</a>',
        section.group(1),
    )


@pytest.mark.parametrize("q", ["mioclonía", "mioclonia", "MIOCLONÍAS"])
def test_an_english_search_for_a_spanish_word_offers_the_spanish_article(client, library, q):
    html = client.get("/search/", {"q": q}).content.decode()
    assert f"Nothing in English matches “{q}”." in html
    assert 'class="result-title"' not in html  # nothing found in English
    assert '<h2 id="elsewhere-es-h">In Spanish (<span lang="es">español</span>)</h2>' in html
    assert _offered(html, "es") == [("/es/conditions/mioclonia/", "<mark>Mioclonía</mark>")]
    assert '<p class="snippet" lang="es">' in html
    link = re.search(r'<a href="(/es/search/\?q=[^"]+)" hreflang="es">Search in Spanish for', html)
    assert link and slugs(client.get(unescape(link.group(1)))) == ["mioclonia"]


def test_a_spanish_search_for_an_english_word_offers_the_english_article(client, library):
    html = client.get("/es/search/", {"q": "airways"}).content.decode()
    assert "No encontramos nada en español que coincida con “airways”." in html
    assert '<h2 id="elsewhere-en-h">En inglés (<span lang="en">English</span>)</h2>' in html
    assert _offered(html, "en") == [("/conditions/asthma/", "Asthma")]
    assert 'href="/search/?q=airways" hreflang="en">Buscar “airways” en inglés</a>' in html


def test_what_is_found_or_found_nowhere_offers_nothing(client, library):
    html = client.get("/search/", {"q": "myoclonus"}).content.decode()
    assert 'class="elsewhere"' not in html
    html = client.get("/search/", {"q": "zebrafish"}).content.decode()
    assert "Nothing matches “zebrafish”." in html and 'class="elsewhere"' not in html
    # Limited to one kind, nothing is offered from elsewhere either.
    html = client.get("/search/", {"q": "mioclonía", "kind": "drug"}).content.decode()
    assert 'class="elsewhere"' not in html


def test_every_other_language_of_the_site_is_offered(settings, library):
    """Nothing is particular to Spanish: a third language of the site is
    looked at the same way, in the order of LANGUAGES."""
    from django.db import connection

    from conditions.search import backend
    from conditions.search.languages import index_fields

    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]
    settings.SEARCH_LANGUAGES = {
        **settings.SEARCH_LANGUAGES,
        "fr": {"postgresql": "french", "stemmer": "french"},
    }
    fields = {"title": "Myoclonies", "alternate_names": "", "summary": "Des secousses.",
              "body": "Les myoclonies sont des secousses musculaires.", "drugs": ""}  # fmt: skip
    SearchDocument.objects.create(
        kind=SearchDocument.Kind.ARTICLE, language="fr", slug="myoclonies",
        **fields, **index_fields("fr", fields, connection.vendor),
    )  # fmt: skip
    backend().after_write(language_codes=["fr"])
    assert [
        (code, [h.slug for h in hits])
        for code, hits in search.in_other_languages("myoclonie", "en")
    ] == [("fr", ["myoclonies"])]
    # From the third language, the others, each with what it has.
    found = search.in_other_languages("mioclonía", "fr")
    assert [(code, [h.slug for h in hits]) for code, hits in found] == [("es", ["mioclonia"])]
    found = search.in_other_languages("secousses", "es")
    assert [(code, [h.slug for h in hits]) for code, hits in found] == [("fr", ["myoclonies"])]


def test_the_offer_keeps_the_search_pages_query_budget(
    client, library, django_assert_max_num_queries
):
    # Count, counts of the other kinds and the names for "did you mean"
    # (nothing found), then the other language's best hits and their text;
    # PostgreSQL adds one SET LOCAL before three of them.
    for n in range(30):
        make(f"Myoclonus type {n}", "myoclonus " * 5)
    with django_assert_max_num_queries(8):
        html = client.get("/search/", {"q": "mioclonías"}).content.decode()
    assert _offered(html, "es")
