"""import_article on Spanish articles (issue 19): the importer's vocabulary
is per language (``conditions/importer/languages/``).

The three articles in ``articles/es/`` were written for these tests from
general knowledge, in the seed's scraped format: one with its headings lost
(gota), one with heading lines (asma), one with a part missing
(culebrilla); glued sentences, Spanish chrome and revision lines below some
of them. No dosing is given. Their citations imitate real citations to
exercise the formats and must not be cited from here.
"""

import re
import sys
import types

import pytest

from conditions import importer
from conditions.demo import MYOCLONUS_FILE
from conditions.importer import citations, vocabulary
from tests import paths
from tests.conditions.importer import articles
from tests.conditions.importer.articles import kinds

ARTICLES = paths.ARTICLES / "es"


SPANISH_DEMO = MYOCLONUS_FILE.with_name("myoclonus.es.txt")


ALL = ["definition", "causes", "risk_factors", "symptoms", "diagnosis", "treatment", "prevention"]


def parse(path, **kwargs):
    return articles.parse(path, language="es", **kwargs)


def body(parsed, kind):
    return next(s["body"] for s in parsed.data["sections"] if s["kind"] == kind)


def groups(parsed):
    return [(g["heading"], [d["name"] for d in g["drugs"]]) for g in parsed.data["drug_groups"]]


EXPECTED = {
    "gota.txt": (
        ALL,
        [
            ("", ["Antiinflamatorios no esteroideos (AINE)", "Colchicina", "Corticoesteroides"]),
            ("Medicamentos para bajar el ácido úrico", ["Alopurinol", "Febuxostat"]),
        ],
        ["US", "US", "CA"],
    ),
    "asma.txt": (
        [k for k in ALL if k != "risk_factors"],
        [
            ("Medicamentos de alivio rápido", ["Salbutamol", "Levalbuterol"]),
            ("Medicamentos de control a largo plazo", ["Fluticasona", "Budesonida", "Montelukast"]),
        ],
        ["US", "CA"],
    ),
    "culebrilla.txt": (
        [k for k in ALL if k != "risk_factors"],
        [("", ["Aciclovir", "Valaciclovir", "Famciclovir"])],
        ["US", "CA"],
    ),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_unseen_spanish_articles_come_out_with_the_structure_an_editor_expects(name):
    sections, drug_groups, regions = EXPECTED[name]
    parsed = parse(ARTICLES / name)
    assert kinds(parsed) == sections
    assert groups(parsed) == drug_groups
    assert [o["region"] for o in parsed.data["organizations"]] == regions
    assert all(r["title"] and (r["year"] or r["accessed_on"]) for r in parsed.data["references"])
    assert parsed.report.check == [] and parsed.report.gaps == []
    text = repr(parsed.data)
    assert "¿Le gustó" not in text and "Información de revisión" not in text


def test_the_same_article_read_as_english_is_not_understood():
    # The vocabulary is the language's: with the English one, the medicines
    # are not medicines and the chrome is text.
    parsed = importer.parse_article((ARTICLES / "gota.txt").read_bytes(), name="gota.txt")
    assert groups(parsed) != EXPECTED["gota.txt"][1]
    assert "Información de revisión" in repr(parsed.data)


def test_spanish_headings_anchor_the_parts_and_standard_ones_are_not_kept():
    parsed = parse(ARTICLES / "asma.txt")
    how = {s.kind: s.how for s in parsed.report.sections}
    assert set(how.values()) == {"heading line"}
    # "Definición", "Tratamiento"…: the page shows the part's own label.
    assert all(s["heading"] == "" for s in parsed.data["sections"])


def test_self_care_and_devices_stay_in_the_text_in_spanish():
    gota = body(parse(ARTICLES / "gota.txt"), "treatment")
    assert "- Reposo\n- Hielo\n- Elevar la articulación\n" in gota
    asma = body(parse(ARTICLES / "asma.txt"), "treatment")
    assert "- Un medidor de flujo máximo\n- Una cámara espaciadora para el inhalador\n" in asma
    culebrilla = body(parse(ARTICLES / "culebrilla.txt"), "treatment")
    assert "- Compresas frías\n- Baños de avena\n" in culebrilla


@pytest.mark.parametrize(
    ("name", "kind", "split"),
    [
        ("gota.txt", "causes", "causan inflamación y dolor.\n\nUn ataque puede desencadenarse"),
        ("gota.txt", "prevention", "Beba mucha agua.\n\nMantenga un peso saludable."),
        # After the Spanish opening question mark too.
        ("asma.txt", "definition", "se estrechan.\n\n¿El resultado? Cuesta respirar."),
        ("asma.txt", "prevention", "cada año.\n\nNo fume."),
    ],
)
def test_glued_spanish_sentences_are_split(name, kind, split):
    assert split in body(parse(ARTICLES / name), kind)


def test_spanish_abbreviations_are_not_sentence_ends():
    assert importer.parser.unglue("Tome vitaminas, p. ej.Vitamina D.", language="es") == [
        "Tome vitaminas, p. ej.Vitamina D."
    ]


def test_any_one_missing_section_leaves_the_others_in_place_in_spanish():
    text = (ARTICLES / "gota.txt").read_text()
    blocks = re.split(r"\n{3,}", text)
    for index, kind in enumerate(ALL):
        if kind in ("definition", "treatment"):
            continue
        variant = "\n\n\n".join(blocks[:index] + blocks[index + 1 :])
        parsed = importer.parse_article(variant.encode(), name="gota.txt", language="es")
        assert kinds(parsed) == [k for k in ALL if k != kind], f"without {kind}"


def test_spanish_website_citations_keep_their_dates_and_english_ones_still_parse():
    gout, medline = parse(ARTICLES / "gota.txt").data["references"]
    assert (gout["authors"], gout["journal"], gout["year"]) == (
        "Dalbeth N, Merriman TR, Stamp LK",
        "Lancet",
        2016,
    )
    assert (medline["title"], medline["publisher"]) == ("Gota", "MedlinePlus en español")
    assert medline["url"] == "https://medlineplus.gov/spanish/gout.html"
    # Only the date it was read: no year (issue 31), the date as a date.
    assert (medline["year"], medline["month"], medline["accessed_on"]) == (None, "", "2021-03-03")
    _, cdc = parse(ARTICLES / "asma.txt").data["references"]
    assert cdc["publisher"] == "Centros para el Control y la Prevención de Enfermedades"
    assert (cdc["year"], cdc["month"]) == (2022, "mayo")  # the updated date
    assert citations.parse("Revisión. Neurología. Agosto 2001.", "es")["month"] == "Agosto"


def test_other_names_are_read_from_also_called_in_each_language():
    assert parse(ARTICLES / "culebrilla.txt").data["alternate_names"] == "herpes zóster"
    english = importer.parse_article(
        b"Gout, also called gouty arthritis or podagra, is a kind of arthritis. It hurts a lot "
        b"and it often starts in the big toe.",
        name="gout.txt",
    )
    assert english.data["alternate_names"] == "gouty arthritis\npodagra"
    spanish = importer.parse_article(
        "La gota, también llamada artritis gotosa o podagra, es un tipo de artritis. Duele "
        "mucho y suele empezar en el dedo gordo del pie.".encode(),
        name="gota.txt",
        language="es",
    )
    assert spanish.data["alternate_names"] == "artritis gotosa\npodagra"


def test_the_demo_translation_imports_with_the_seeds_structure():
    spanish = parse(SPANISH_DEMO, title="Mioclonía")
    english = importer.parse_article(MYOCLONUS_FILE.read_bytes(), name=MYOCLONUS_FILE.name)
    assert kinds(spanish) == kinds(english) == ALL
    assert [len(g["drugs"]) for g in spanish.data["drug_groups"]] == [5, 6, 2]
    assert groups(spanish)[0][0] == "Sedantes" and groups(spanish)[1][0] == "Anticonvulsivos"
    # Organizations' names and citations are left as they are.
    assert spanish.data["organizations"] == english.data["organizations"]
    assert spanish.data["references"] == english.data["references"]
    assert [f["caption"] for f in spanish.data["figures"]] == ["Las vías del sistema nervioso"]
    assert spanish.data["summary"].startswith("La mioclonía es una sacudida breve y rápida")
    assert (spanish.data["title"], spanish.data["slug"]) == ("Mioclonía", "mioclonia")
    # The same lead-ins of lost lists as the seed: a faithful translation.
    assert len(spanish.report.gaps) == len(english.report.gaps) == 3
    assert len(spanish.report.dropped) == len(english.report.dropped)
    assert spanish.report.check == []


def test_an_unsupported_language_is_refused_in_one_line():
    with pytest.raises(importer.ArticleImportError) as error:
        importer.parse_article(b"Some text.", name="a.txt", language="fr")
    assert str(error.value) == (
        "a.txt: articles in “fr” cannot be imported; the importer reads en, es."
    )


def test_a_third_language_is_a_table(settings, monkeypatch):
    # Portuguese, as a table: the Spanish one with its headings in Portuguese.
    from conditions.importer.languages import es

    table = types.ModuleType("conditions.importer.languages.pt")
    table.__dict__.update({k: v for k, v in vars(es).items() if k.isupper()})
    table.HEADINGS = {**es.HEADINGS, "tratamento": "treatment", "referências": "references"}
    monkeypatch.setitem(sys.modules, table.__name__, table)
    settings.LANGUAGES = [*settings.LANGUAGES, ("pt", "Português")]
    vocabulary.for_language.cache_clear()
    try:
        assert vocabulary.supported() == ["en", "es", "pt"]
        parsed = importer.parse_article(
            (ARTICLES / "asma.txt").read_bytes().replace(b"Tratamiento\n", b"Tratamento\n"),
            name="asma.txt",
            language="pt",
        )
        assert kinds(parsed) == EXPECTED["asma.txt"][0]
    finally:
        vocabulary.for_language.cache_clear()
