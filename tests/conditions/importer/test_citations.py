"""References (conditions.importer.citations): e-locators and dates that
name only a month (references read from whole articles are also in
test_importer_unseen.py and test_importer_spanish.py).

Citations read into their parts (issue 31): a website's name is its
publisher, not a journal; a book's edition and publisher have fields of
their own; a guideline's organization is its author and its "2023 update"
its version; Spanish labels ("Sitio web de…", "Disponible en:",
"Consultado el…") are read, not kept; the date a page was read is kept as
such and is never its year.

Generated citations (Hypothesis), built from parts in AMA, Vancouver and
Spanish styles, must parse back to the parts; so must the AMA text the
library shows for them.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from conditions import importer
from conditions.importer import citations
from conditions.models import Condition, Reference
from conditions.publishing import snapshots
from tests.conditions.importer.articles import parse
from tests.paths import ARTICLES


def filled(fields):
    return {k: v for k, v in fields.items() if v not in ("", None) and k != "order"}


# 1. Journal articles' dates.


def test_e_locators_and_month_only_dates():
    from conditions.importer.citations import parse as parse_citation

    bmj = parse_citation("Smith A, Jones B. A trial of rest. BMJ. 2014 Feb 7;348:g474.")
    assert (bmj["journal"], bmj["year"], bmj["volume"], bmj["pages"]) == (
        "BMJ",
        2014,
        "348",
        "g474",
    )
    monthly = parse_citation("Gout and hyperuricemia. American Family Physician. February 2014.")
    assert (monthly["year"], monthly["month"], monthly["volume"]) == (2014, "February", "")


# 2. The sample articles.


def test_books_websites_and_a_guideline_in_an_article():
    refs = parse("lupus.txt").data["references"]
    guideline, book, medline, question = refs[2], refs[3], refs[4], refs[5]
    assert filled(guideline) == {
        "authors": "American College of Rheumatology",
        "title": "Guideline for the screening and monitoring of lupus nephritis",
        "edition": "2024 update",
        "year": 2024,
        "url": "https://www.rheumatology.org/lupus-nephritis-guideline",
        "accessed_on": "2024-05-02",
    }
    assert filled(book) == {
        "authors": "Wallace DJ, Hahn BH, eds",
        "title": "Dubois' Lupus Erythematosus and Related Syndromes",
        "edition": "9th ed",
        "publisher": "Philadelphia, PA: Elsevier",
        "year": 2019,
    }
    # Read in 2023, not published then: no year.
    assert filled(medline) == {
        "title": "Lupus",
        "publisher": "MedlinePlus",
        "url": "https://medlineplus.gov/lupus.html",
        "accessed_on": "2023-03-03",
    }
    assert (question["title"], question["publisher"], question["year"], question["month"]) == (
        "Is it lupus?",
        "Lupus Foundation of America",
        2021,
        "June",
    )
    # A title with "2019 update" in it is still a journal article's.
    assert refs[1]["journal"] == "Ann Rheum Dis" and refs[1]["edition"] == ""


def test_a_textbook_and_a_page_read_on_a_date():
    _, book, niddk = parse("appendicitis.txt").data["references"]
    assert (book["edition"], book["publisher"], book["journal"]) == (
        "11th ed",
        "New York, NY: McGraw-Hill",
        "",
    )
    assert (niddk["publisher"], niddk["year"], niddk["accessed_on"]) == (
        "National Institute of Diabetes and Digestive and Kidney Diseases",
        None,
        "2023-02-14",
    )


def test_spanish_labels_are_read_not_kept():
    _, medline, aad = parse("es/celulitis.txt", language="es").data["references"]
    assert filled(medline) == {
        "title": "Celulitis",
        "publisher": "MedlinePlus",
        "url": "https://medlineplus.gov/spanish/ency/article/000855.htm",
        "accessed_on": "2023-03-03",
    }
    assert filled(aad) == {
        "title": "Celulitis",
        "publisher": "Academia Americana de Dermatología",
        "year": 2022,
        "month": "mayo",
        "url": "https://www.aad.org/es/celulitis",
        "accessed_on": "2023-04-05",
    }


@pytest.mark.parametrize(
    ("citation", "language", "expected"),
    [
        (
            "Lupus. MedlinePlus. Disponible en línea: https://medlineplus.gov/spanish/lupus.html."
            " Fecha de acceso: 3 de marzo de 2021.",
            "es",
            {"publisher": "MedlinePlus", "accessed_on": "2021-03-03"},
        ),
        (
            "Lupus. En: Sitio web de MedlinePlus. Consultado: 3 marzo 2021.",
            "es",
            {"publisher": "MedlinePlus", "accessed_on": "2021-03-03"},
        ),
        (
            "Lupus. Página web de los Institutos Nacionales de la Salud. Disponible en"
            " https://salud.nih.gov/lupus. Consultado el 14/3/2021.",
            "es",
            {"publisher": "Institutos Nacionales de la Salud", "accessed_on": "2021-03-14"},
        ),
        (
            "Lupus [Internet]. Bethesda (MD): National Library of Medicine (US);"
            " [updated 2020 Jan 5; cited 2021 Mar 3]. Available from: https://medlineplus.gov/lupus.html",
            "en",
            {
                "title": "Lupus",
                "publisher": "Bethesda (MD): National Library of Medicine (US)",
                "year": 2020,
                "month": "Jan",
                "accessed_on": "2021-03-03",
            },
        ),
        (
            "Gout. Arthritis Foundation website. Published March 1, 2020. Updated April 2021."
            " Accessed 2022-03-03. https://www.arthritis.org/gout",
            "en",
            {"publisher": "Arthritis Foundation", "year": 2021, "accessed_on": "2022-03-03"},
        ),
        (
            "Global Initiative for Asthma. Global strategy for asthma management and prevention."
            " 2023 update. Accessed May 2, 2023. https://ginasthma.org/reports/",
            "en",
            {
                "authors": "Global Initiative for Asthma",
                "title": "Global strategy for asthma management and prevention",
                "edition": "2023 update",
                "year": 2023,
                "publisher": "",
            },
        ),
        (
            "Longo DL, Fauci AS, Kasper DL, et al, eds. Harrison. Principios de medicina interna."
            " 18.ª ed. México: McGraw-Hill; 2012.",
            "es",
            {
                "title": "Harrison. Principios de medicina interna",
                "edition": "18.ª ed",
                "publisher": "México: McGraw-Hill",
                "year": 2012,
            },
        ),
    ],
    ids=[
        "fecha-de-acceso",
        "en-sitio-web",
        "pagina-web-numeric",
        "vancouver",
        "dates",
        "gina",
        "libro",
    ],
)
def test_more_phrasings(citation, language, expected):
    fields, found = citations.parse_citation(citation, language)
    assert found["kind"], fields
    assert {k: fields[k] for k in expected} == expected
    assert fields["journal"] == ""


def test_a_date_read_without_its_day_is_left_for_an_editor():
    text = (
        (ARTICLES / "es/celulitis.txt")
        .read_text()
        .replace("Consultado el 3 de marzo del 2023.", "Consultado en marzo de 2023.")
    )
    parsed = importer.parse_article(text.encode(), name="celulitis.txt", language="es")
    medline = parsed.data["references"][1]
    assert (medline["publisher"], medline["year"], medline["accessed_on"]) == (
        "MedlinePlus",
        None,
        None,
    )
    assert (
        "References",
        "Consultado en marzo de 2023",
        "the date it was read has no day; not kept",
    ) in parsed.report.check


@pytest.mark.django_db
def test_imported_references_read_in_ama_style_on_the_page(client):
    call_command("import_article", str(ARTICLES / "lupus.txt"), "--publish", stdout=StringIO())
    live = Condition.objects.live().get(slug="lupus")
    texts = [r.ama_text() for r in live.references.all()]
    assert texts[3] == (
        "Wallace DJ, Hahn BH, eds. Dubois' Lupus Erythematosus and Related Syndromes. 9th ed."
        " Philadelphia, PA: Elsevier; 2019."
    )
    assert texts[5] == (
        "Is it lupus? Lupus Foundation of America. June 2021. Accessed March 3, 2023."
        " https://www.lupus.org/resources/is-it-lupus"
    )
    html = client.get("/conditions/lupus/").content.decode()
    assert "Lupus. MedlinePlus. Accessed March 3, 2023." in html
    assert "?." not in html


# 3. Generated citations parse back to their parts.

SURNAMES = ["Smith", "Garcia-Lopez", "van Zuuren", "O'Brien", "Müller", "Nguyen", "Dalmau"]
INITIALS = ["A", "AB", "J", "MR", "ED", "JJ"]
PEOPLE = st.lists(
    st.builds("{} {}".format, st.sampled_from(SURNAMES), st.sampled_from(INITIALS)),
    min_size=1,
    max_size=4,
).map(", ".join)
AUTHORS = st.one_of(PEOPLE, PEOPLE.map(lambda a: f"{a}, et al"))
WORDS = [
    "treatment", "of", "acute", "gout", "in", "adults", "review", "trial", "outcomes",
    "children", "with", "lupus", "nephritis", "long-term", "risk", "and", "management",
]  # fmt: skip
TITLE = st.builds(
    lambda first, rest, end: f"{first} {' '.join(rest)}{end}",
    st.sampled_from(["Diagnosis", "Treatment", "Outcomes", "Management", "Is it"]),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    st.sampled_from(["", "?", ": a review", ": a randomized trial"]),
)
JOURNALS = ["Lancet", "JAMA", "N Engl J Med", "Am Fam Physician", "Ann Rheum Dis", "BMJ"]
YEARS = st.integers(1950, 2025)
ORGANIZATIONS = [
    "MedlinePlus",
    "Mayo Clinic",
    "American Academy of Dermatology",
    "Centers for Disease Control and Prevention",
    "Lupus Foundation of America",
    "National Institute for Health and Care Excellence",
]
PLACES = ["", "New York, NY", "Philadelphia, PA", "London", "Boston (MA)"]
PUBLISHERS = ["Springer", "McGraw-Hill", "Elsevier", "Wolters Kluwer", "Oxford University Press"]
BOOK_TITLES = [
    "Harrison's Principles of Internal Medicine",
    "Rheumatology",
    "Dermatology",
    "Schwartz's Principles of Surgery",
    "Textbook of Pediatric Emergency Medicine",
]
MONTHS = "January February March April May June July August September October November December"
MONTHS = MONTHS.split()
MONTHS_ES = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
MONTHS_ES = MONTHS_ES.split()
DATES = st.dates(datetime.date(2000, 1, 1), datetime.date(2025, 12, 31))
URLS = st.lists(
    st.sampled_from(["lupus", "gout", "skin", "care", "guide"]), min_size=1, max_size=3
).map(lambda parts: "https://www.example.org/" + "-".join(parts))


def _ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} ed"


def _end(text):
    return text if text.endswith("?") else f"{text}."


def _us(date):
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"


@st.composite
def journal_articles(draw):
    authors, title = draw(st.one_of(st.just(""), AUTHORS)), draw(TITLE)
    journal, year = draw(st.sampled_from(JOURNALS)), draw(YEARS)
    volume, issue = str(draw(st.integers(1, 400))), draw(st.sampled_from(["", "1", "12"]))
    pages = draw(st.sampled_from(["12-14", "e10-e52", "g474", "2159-66"]))
    tail = f"{year};{volume}{f'({issue})' if issue else ''}:{pages}."
    text = " ".join(
        p for p in ((f"{authors}." if authors else ""), _end(title), f"{journal}.", tail) if p
    )
    parts = {"authors": authors, "title": title, "journal": journal, "year": year, "volume": volume}
    return text, {**parts, "issue": issue, "pages": pages}


@st.composite
def books(draw):
    authors = draw(st.sampled_from(["", "Kasper DL, Fauci AS", "Bolognia JL, Schaffer JV, eds"]))
    authors = authors or draw(st.sampled_from(["", "American Academy of Pediatrics"]))
    title, year = draw(st.sampled_from(BOOK_TITLES)), draw(YEARS)
    edition = draw(st.one_of(st.just(""), st.integers(1, 30).map(_ordinal)))
    place, publisher = draw(st.sampled_from(PLACES)), draw(st.sampled_from(PUBLISHERS))
    imprint = f"{place}: {publisher}" if place else publisher
    text = " ".join(
        p
        for p in (f"{authors}." if authors else "", f"{title}.", f"{edition}." if edition else "")
        if p
    )
    return f"{text} {imprint}; {year}.", {
        "authors": authors,
        "title": title,
        "edition": edition,
        "publisher": imprint,
        "year": year,
        "journal": "",
    }


@st.composite
def web_pages(draw):
    authors = draw(st.sampled_from(["", "Smith A, Jones B"]))
    title = draw(st.sampled_from(["Lupus", "Is it lupus?", "Psoriasis: overview", "Gout and diet"]))
    site, url = draw(st.sampled_from(ORGANIZATIONS)), draw(URLS)
    label = draw(st.sampled_from(["", " website"]))
    updated, accessed = draw(st.one_of(st.none(), DATES)), draw(DATES)
    head = " ".join(
        p for p in (f"{authors}." if authors else "", _end(title), f"{site}{label}.") if p
    )
    dates = f"Updated {_us(updated)}. " if updated else ""
    if draw(st.booleans()):  # AMA 10th edition: the address first
        text = f"{head} Available at: {url}. {dates}Accessed {_us(accessed)}."
    else:  # 11th: the address last
        text = f"{head} {dates}Accessed {_us(accessed)}. {url}"
    return text, {
        "authors": authors,
        "title": title,
        "publisher": site,
        "url": url,
        "year": updated.year if updated else None,
        "month": _us(updated).split()[0] if updated else "",
        "accessed_on": accessed.isoformat(),
        "journal": "",
    }


@st.composite
def guidelines(draw):
    author, url = draw(st.sampled_from(ORGANIZATIONS[2:])), draw(URLS)
    title = draw(st.sampled_from(["Guideline for the management of gout", "Psoriasis: treatment"]))
    year, word = draw(YEARS), draw(st.sampled_from(["update", "edition", "revision"]))
    accessed = draw(DATES)
    text = f"{author}. {title}. {year} {word}. Available at: {url}. Accessed {_us(accessed)}."
    return text, {
        "authors": author,
        "title": title,
        "edition": f"{year} {word}",
        "year": year,
        "url": url,
        "accessed_on": accessed.isoformat(),
        "publisher": "",
        "journal": "",
    }


AAD_ES = "Academia Americana de Dermatología"
CDC_ES = "Centros para el Control y la Prevención de Enfermedades"


@st.composite
def spanish_web_pages(draw):
    title = draw(st.sampled_from(["Gota", "Lupus", "¿Qué es la celulitis?", "Asma: tratamiento"]))
    site, written = draw(
        st.sampled_from(
            [
                ("MedlinePlus", "Sitio web de MedlinePlus"),
                (AAD_ES, f"Sitio web de la {AAD_ES}"),
                ("MedlinePlus en español", "MedlinePlus en español"),
                (CDC_ES, f"Página web de los {CDC_ES}"),
            ]
        )
    )
    url, accessed = draw(URLS), draw(DATES)
    updated = draw(st.one_of(st.none(), DATES))
    month = MONTHS_ES[updated.month - 1] if updated else ""
    of = draw(st.sampled_from(["de", "del"]))
    dates = f"Actualizado en {month} de {updated.year}. " if updated else ""
    day = f"{accessed.day} de {MONTHS_ES[accessed.month - 1]}"
    read = draw(st.sampled_from(["Consultado el", "Fecha de consulta:", "Consultado:"]))
    available = draw(st.sampled_from(["Disponible en:", "Disponible en"]))
    text = f"{_end(title)} {written}. {available} {url}. {dates}{read} {day} {of} {accessed.year}."
    return text, {
        "title": title,
        "publisher": site,
        "url": url,
        "year": updated.year if updated else None,
        "month": month,
        "accessed_on": accessed.isoformat(),
        "journal": "",
    }


CITATIONS = st.one_of(
    journal_articles().map(lambda c: (*c, "en")),
    books().map(lambda c: (*c, "en")),
    web_pages().map(lambda c: (*c, "en")),
    guidelines().map(lambda c: (*c, "en")),
    spanish_web_pages().map(lambda c: (*c, "es")),
)


def _reference(fields):
    values = {f: fields[f] for f in snapshots.REFERENCE_FIELDS if f != "order"}
    if values["accessed_on"]:
        values["accessed_on"] = datetime.date.fromisoformat(values["accessed_on"])
    return Reference(**values)


@settings(max_examples=300, deadline=None)
@given(CITATIONS)
def test_generated_citations_parse_back_to_their_parts(case):
    text, parts, language = case
    fields, found = citations.parse_citation(text, language)
    assert found["kind"], (text, fields)
    assert {k: fields[k] for k in parts} == parts, text
    assert fields["citation_text"] == ""
    # The AMA text the library shows for it reads back the same.
    with translation.override(language):
        shown = _reference(fields).ama_text()
    again, _ = citations.parse_citation(shown, language)
    assert {k: again[k] for k in parts} == parts, shown
