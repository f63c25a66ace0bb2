"""What imported citations are stored as (issue 31): a reference has a
publisher (a book's, or a website's name), an edition (a book's, or a
guideline's version) and the date a web page was read, beside its journal
and year; each is shown in AMA style, exported, carried by the API and the
JSON-LD, and edited in the admin. Exports and revisions from before the
fields still load, empty.
"""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from jsonschema import Draft202012Validator
from taggit.models import Tag

from conditions import services
from conditions.models import Condition, Drug, Organization, Reference, Revision
from conditions.publishing import snapshots
from conditions.review import compare
from healthlib import portability
from newsletter.models import Edition, Newsletter, ResearchSummary
from tests import factories

JOURNAL = {
    "authors": "Smith A, Jones B",
    "title": "Is it gout?",
    "journal": "Am Fam Physician",
    "year": 2019,
    "volume": "99",
    "issue": "1",
    "pages": "12-14",
}
BOOK = {
    "authors": "Kasper DL, Fauci AS",
    "title": "Harrison's Infectious Diseases",
    "edition": "5th ed",
    "publisher": "New York, NY: Springer",
    "year": 2017,
}
WEBSITE = {
    "title": "Lupus",
    "publisher": "MedlinePlus",
    "url": "https://medlineplus.gov/lupus.html",
    "accessed_on": datetime.date(2023, 3, 3),
}
UPDATED_WEBSITE = {
    "title": "Is it lupus?",
    "publisher": "Lupus Foundation of America",
    "year": 2021,
    "month": "June",
    "url": "https://www.lupus.org/resources/is-it-lupus",
    "accessed_on": datetime.date(2023, 3, 3),
}
GUIDELINE = {
    "authors": "American College of Rheumatology",
    "title": "Guideline for the screening and monitoring of lupus nephritis",
    "edition": "2024 update",
    "year": 2024,
    "url": "https://www.rheumatology.org/lupus-nephritis-guideline",
    "accessed_on": datetime.date(2024, 5, 2),
}


# 1. AMA style, one kind of source after another.


@pytest.mark.parametrize(
    ("fields", "html"),
    [
        (
            JOURNAL,
            "Smith A, Jones B. Is it gout? <i>Am Fam Physician</i>. 2019;99(1):12-14.",
        ),
        (
            {**JOURNAL, "title": "Stop smoking now!", "journal": "Thorax?"},
            "Smith A, Jones B. Stop smoking now! <i>Thorax?</i> 2019;99(1):12-14.",
        ),
        (
            BOOK,
            "Kasper DL, Fauci AS. <i>Harrison&#x27;s Infectious Diseases</i>. 5th ed."
            " New York, NY: Springer; 2017.",
        ),
        (
            {**BOOK, "edition": "", "authors": "", "pages": "45-67"},
            "<i>Harrison&#x27;s Infectious Diseases</i>. New York, NY: Springer; 2017:45-67.",
        ),
        # The year it was read is not the year it was published: none shown.
        (
            WEBSITE,
            "Lupus. MedlinePlus. Accessed March 3, 2023. https://medlineplus.gov/lupus.html",
        ),
        (
            UPDATED_WEBSITE,
            "Is it lupus? Lupus Foundation of America. June 2021. Accessed March 3, 2023."
            " https://www.lupus.org/resources/is-it-lupus",
        ),
        (
            GUIDELINE,
            "American College of Rheumatology. Guideline for the screening and monitoring of"
            " lupus nephritis. 2024 update. Accessed May 2, 2024."
            " https://www.rheumatology.org/lupus-nephritis-guideline",
        ),
        ({"citation_text": "Lecture notes, 2019 <spring>"}, "Lecture notes, 2019 &lt;spring&gt;"),
        (
            {"title": "<b>Bold</b>.", "journal": "A & B"},
            "&lt;b&gt;Bold&lt;/b&gt;. <i>A &amp; B</i>.",
        ),
    ],
    ids=[
        "journal",
        "marks",
        "book",
        "book-pages",
        "website",
        "updated",
        "guideline",
        "kept",
        "esc",
    ],
)
def test_each_kind_in_ama_style(fields, html):
    assert Reference(**fields).ama() == html


def test_the_date_read_in_spanish():
    with translation.override("es"):
        text = Reference(**WEBSITE).ama_text()
    assert (
        text
        == "Lupus. MedlinePlus. Consultado el 3 de marzo de 2023. https://medlineplus.gov/lupus.html"
    )


# 2. Stored, shown, exported.


def _data(title, references):
    data = factories.article_data(title, references=0)
    data["references"] = [
        {
            **{
                f: None if f in snapshots.REFERENCE_NULLS else ""
                for f in snapshots.REFERENCE_FIELDS
            },
            **fields,
            "order": n,
            "accessed_on": fields["accessed_on"].isoformat() if fields.get("accessed_on") else None,
        }
        for n, fields in enumerate(references)
    ]
    return data


@pytest.fixture
def lupus(db):
    condition = services.create_article(
        data=_data("Lupus", [JOURNAL, BOOK, WEBSITE, UPDATED_WEBSITE, GUIDELINE])
    )
    services.publish(condition=condition)
    condition.refresh_from_db()
    return condition


def test_a_snapshot_holds_the_new_fields_and_publishing_copies_them(lupus):
    taken = snapshots.take(lupus)["references"]
    assert [r["publisher"] for r in taken] == [
        "",
        "New York, NY: Springer",
        "MedlinePlus",
        "Lupus Foundation of America",
        "",
    ]
    assert [r["edition"] for r in taken] == ["", "5th ed", "", "", "2024 update"]
    assert [r["accessed_on"] for r in taken] == [
        None,
        None,
        "2023-03-03",
        "2023-03-03",
        "2024-05-02",
    ]
    live = list(Condition.objects.live().get(pk=lupus.live_copy.pk).references.all())
    assert live[2].accessed_on == datetime.date(2023, 3, 3)
    assert live[1].publisher == "New York, NY: Springer" and live[1].edition == "5th ed"


def test_readers_see_them_in_ama_style(client, lupus):
    html = client.get("/conditions/lupus/").content.decode()
    assert "Smith A, Jones B. Is it gout? <i>Am Fam Physician</i>. 2019;99(1):12-14." in html
    assert (
        "<i>Harrison&#x27;s Infectious Diseases</i>. 5th ed. New York, NY: Springer; 2017." in html
    )
    assert "Lupus. MedlinePlus. Accessed March 3, 2023. https://medlineplus.gov/lupus.html" in html
    assert "?." not in html.split('class="references"')[-1][:4000]


def test_the_api_carries_them(client, lupus):
    references = client.get("/api/conditions/lupus/").json()["references"]
    book, website = references[1], references[2]
    assert (book["publisher"], book["edition"], book["accessed_on"]) == (
        "New York, NY: Springer",
        "5th ed",
        None,
    )
    assert (website["publisher"], website["year"], website["accessed_on"]) == (
        "MedlinePlus",
        None,
        "2023-03-03",
    )
    assert website["citation"].endswith(
        "Accessed March 3, 2023. https://medlineplus.gov/lupus.html"
    )
    # The documented answer names them.
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["Reference"]
    assert {"publisher", "edition", "accessed_on"} <= set(schema["properties"])


def test_the_json_ld_says_what_each_source_is(client, lupus):
    html = client.get("/conditions/lupus/").content.decode()
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    cited = json.loads(block)["citation"]
    assert [c["@type"] for c in cited] == [
        "ScholarlyArticle",
        "Book",
        "WebPage",
        "WebPage",
        "WebPage",
    ]
    assert cited[1]["publisher"] == {"@type": "Organization", "name": "New York, NY: Springer"}
    assert cited[1]["bookEdition"] == "5th ed"
    assert cited[4]["version"] == "2024 update"
    assert "datePublished" not in cited[2]  # read in 2023, not published then


def test_the_admin_edits_them(admin_client, lupus):
    html = admin_client.get(
        reverse("admin:conditions_condition_change", args=[lupus.pk])
    ).content.decode()
    for field in ("publisher", "edition", "accessed_on"):
        assert f'name="references-0-{field}"' in html, field
    assert 'value="New York, NY: Springer"' in html


def _export():
    doc, missing = portability.export_content()
    assert not missing
    return json.loads(portability.dumps(doc))


def _empty_the_database():
    for live_first in (True, False):
        for condition in Condition.objects.filter(is_live=live_first):
            condition.delete()
    for model in (ResearchSummary, Edition, Newsletter, Drug, Organization, Tag):
        model.objects.all().delete()


def test_the_export_carries_them_and_they_load_again(lupus):
    doc = _export()
    for path in portability.SCHEMA_FILES:
        Draft202012Validator.check_schema(json.loads(path.read_text()))
    [article] = doc["articles"]
    website = article["references"][2]
    assert (website["publisher"], website["accessed_on"]) == ("MedlinePlus", "2023-03-03")
    _empty_the_database()
    portability.import_content(doc)
    loaded = Condition.objects.editable().get(slug="lupus").references.all()
    assert [r.accessed_on for r in loaded][2:] == [
        datetime.date(2023, 3, 3),
        datetime.date(2023, 3, 3),
        datetime.date(2024, 5, 2),
    ]
    assert _export() == doc


def test_an_export_from_before_the_fields_still_imports(lupus):
    doc = _export()

    def snapshots_in(article):
        yield article
        if article.get("live"):
            yield article["live"]
        yield from (r["snapshot"] for r in article.get("revisions", ()))

    for snapshot in snapshots_in(doc["articles"][0]):
        for reference in snapshot.get("references", ()):
            for field in ("publisher", "edition", "accessed_on"):
                reference.pop(field, None)
    _empty_the_database()
    summary = portability.import_content(doc)
    assert summary.articles == 1
    loaded = Condition.objects.editable().get(slug="lupus").references.all()
    assert {(r.publisher, r.edition, r.accessed_on) for r in loaded} == {("", "", None)}


@pytest.mark.parametrize("bad", ["2023-02-30", "March 3, 2023", 20230303])
def test_an_accessed_date_that_is_not_a_date_is_refused(lupus, bad):
    doc = _export()
    doc["articles"][0]["references"][2]["accessed_on"] = bad
    _empty_the_database()
    with pytest.raises(portability.ContentImportError) as excinfo:
        portability.import_content(doc)
    assert any(e.startswith("articles[0].references[2].accessed_on") for e in excinfo.value.errors)


# 3. Revisions stored before the fields.


def _strip_new_fields(revision):
    snapshot = revision.snapshot
    for reference in snapshot["references"]:
        for field in snapshots.REFERENCE_FIELDS_ADDED:
            del reference[field]
    Revision.objects.filter(pk=revision.pk).update(snapshot=snapshot)


def test_an_older_revision_compares_equal_and_saving_it_unchanged_stores_nothing(db):
    # Stored before the fields: two journal articles, which leave them empty.
    condition = services.create_article(data=_data("Gout", [JOURNAL, {**JOURNAL, "title": "B"}]))
    _strip_new_fields(condition.latest_revision)
    condition.refresh_from_db()
    assert services.unchanged_since_latest_revision(condition)
    old = Revision.objects.get(pk=condition.latest_revision_id).snapshot
    comparison = compare.compare(old, snapshots.take(condition))
    references = next(p for p in comparison.parts if p.label == "References")
    assert [item.status for item in references.items] == ["unchanged", "unchanged"]
    # And it restores, the new fields empty.
    services.restore_revision(condition=condition, revision=condition.latest_revision)
    assert {(r.publisher, r.accessed_on) for r in condition.references.all()} == {("", None)}
