"""The code look-up as an EHR's infobutton set up for MedlinePlus Connect
sees it: the Atom feed read with feedparser, as EHRs read it; its JSON and
JSONP forms; Spanish; every code system's OID; refusals in the format
asked for; attribution; what it costs in queries. The answers are
compared with ones shaped like MedlinePlus Connect's
(``tests/conditions/medlineplus_connect/``)."""

import json
import re

import feedparser
import pytest
from defusedxml import ElementTree as ET

from conditions import services
from conditions.models import Section
from conditions.publishing import snapshots
from tests import factories, paths

pytestmark = pytest.mark.django_db

LOOKUP = "/api/lookup/"
ICD10CM, SNOMEDCT, RXNORM, LOINC = (
    "2.16.840.1.113883.6.90",
    "2.16.840.1.113883.6.96",
    "2.16.840.1.113883.6.88",
    "2.16.840.1.113883.6.1",
)
ATOM = "{http://www.w3.org/2005/Atom}"
MLP = paths.MEDLINEPLUS_CONNECT


def _ask(client, **params):
    """An infobutton request, as an EHR writes it (MedlinePlus Connect's names)."""
    names = {
        "c": "mainSearchCriteria.v.c",
        "cs": "mainSearchCriteria.v.cs",
        "dn": "mainSearchCriteria.v.dn",
        "recipient": "informationRecipient",
        "language": "informationRecipient.languageCode.c",
        "type": "knowledgeResponseType",
        "callback": "callback",
    }
    return client.get(LOOKUP, {names[k]: v for k, v in params.items()})


def _atom(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _categories(parsed):
    return {t["scheme"]: t["term"] for t in parsed.feed.tags}


def _paths(value, prefix=()):
    """Every key path in a JSON value, with the type found there (lists
    stand for their items)."""
    if isinstance(value, dict):
        found = {prefix: "object"}
        for key, item in value.items():
            found |= _paths(item, (*prefix, key))
        return found
    if isinstance(value, list):
        found = {prefix: "array"}
        for item in value:
            found |= _paths(item, (*prefix, "[]"))
        return found
    return {prefix: type(value).__name__}


def test_an_ehr_reads_the_demo_article_as_it_reads_medlineplus_connect(client, demo):
    ours = _atom(_ask(client, cs=ICD10CM, c="G25.3"))
    theirs = feedparser.parse((MLP / "problem-code.xml").read_bytes())
    # What an EHR's parser reads from MedlinePlus Connect's feed is all there.
    assert set(theirs.feed) <= set(ours.feed)
    assert set(theirs.entries[0]) <= set(ours.entries[0])
    assert set(_categories(theirs)) == set(_categories(ours))
    # And says what MedlinePlus Connect's says, about healthlib's article.
    assert ours.feed.title == "healthlib"
    assert ours.feed.subtitle == "healthlib results for ICD-10-CM G25.3"
    assert ours.feed.author_detail == {"name": "healthlib", "href": "http://localhost:8000/"}
    assert _categories(ours) == {
        "mainSearchCriteria.v.c": "G25.3",
        "mainSearchCriteria.v.cs": "ICD10CM",
        "mainSearchCriteria.v.dn": "",
        "informationRecipient": "PAT",
    }
    (entry,) = ours.entries
    assert entry.title == "Myoclonus"
    assert [(link.rel, link.href) for link in entry.links] == [
        ("alternate", "http://localhost:8000/conditions/myoclonus/")
    ]
    assert entry.id == "http://localhost:8000/conditions/myoclonus/"
    assert entry.updated_parsed and ours.feed.updated_parsed
    assert entry.summary_detail.type == "text/html"
    assert "<p>Myoclonus is a brief and rapid twitching of a muscle" in entry.summary
    assert client.get(entry.link).status_code == 200


def test_the_feed_carries_the_attribution_every_answer_carries(client, demo, settings):
    settings.CONTENT_PUBLISHER = "Springfield Health Library"
    settings.CONTENT_LICENCE_NAME = "CC BY 4.0"
    settings.CONTENT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
    settings.CONTENT_LICENCE_TEXT = "Reuse it, naming us."
    parsed = _atom(_ask(client, c="G25.3"))
    assert parsed.feed.author == "Springfield Health Library"
    assert parsed.feed.rights == (
        "CC BY 4.0: Reuse it, naming us. https://creativecommons.org/licenses/by/4.0/"
    )
    licence = [link for link in parsed.feed.links if link.rel == "license"]
    assert [link.href for link in licence] == ["https://creativecommons.org/licenses/by/4.0/"]
    # Each entry names who published and reviewed it, where MedlinePlus
    # Connect names its source.
    assert re.search(
        r'<p class="NLMattribution">Springfield Health Library\. Last reviewed \w+ \d+, \d{4} '
        r"by Demo Medical Reviewer, MD</p>",
        parsed.entries[0].summary,
    )


def test_the_json_is_medlineplus_connects_json_of_the_same_feed(client, demo, check):
    theirs = json.loads((MLP / "problem-code.json").read_text())
    response = _ask(client, cs=ICD10CM, c="G25.3", type="application/json")
    ours = check(response, LOOKUP)
    # Every key a parser written for MedlinePlus Connect's JSON reads, with
    # the type it expects there.
    expected, found = _paths(theirs), _paths(ours)
    assert {path: expected[path] for path in expected} == {path: found[path] for path in expected}
    # The same feed as the Atom answer.
    parsed = _atom(_ask(client, cs=ICD10CM, c="G25.3"))
    feed = ours["feed"]
    assert feed["title"]["_value"] == parsed.feed.title
    assert feed["subtitle"]["_value"] == parsed.feed.subtitle
    assert feed["id"]["_value"] == parsed.feed.id
    assert feed["rights"]["_value"] == parsed.feed.rights
    assert [(c["scheme"], c["term"]) for c in feed["category"]] == [
        (t["scheme"], t["term"]) for t in parsed.feed.tags
    ]
    assert [
        (e["title"]["_value"], e["link"][0]["href"], e["id"]["_value"], e["summary"]["_value"])
        for e in feed["entry"]
    ] == [(e.title, e.link, e.id, e.summary) for e in parsed.entries]
    # "json" is taken for application/json.
    assert _ask(client, c="G25.3", type="json").content == response.content


def test_jsonp_calls_the_callback_with_that_json(client, demo):
    as_json = _ask(client, c="G25.3", type="application/json")
    response = _ask(
        client, c="G25.3", type="application/javascript", callback="ehr.infobutton.show"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    called = re.fullmatch(r"/\*\*/ehr\.infobutton\.show\((.*)\);", body, re.S)
    assert called and json.loads(called.group(1)) == as_json.json()
    # No markup a sniffing client could act on: < > & are escaped in strings.
    assert not set("<>&") & set(called.group(1))
    # Without a callback, the function called is "callback".
    response = _ask(client, c="G25.3", type="application/javascript")
    assert response.content.decode().startswith("/**/callback({")


def test_spanish_readers_get_the_translation_and_english_where_there_is_none(client, demo):
    factories.article("Essential tremor", codes=[("icd10cm", "G25.3")], summary="Shaking.")
    for language in ("es", "sp", "es-MX"):
        response = _ask(client, c="G25.3", language=language)
        parsed = _atom(response)
        assert response["Content-Language"] == "es, en"
        assert parsed.feed.language == "es"
        assert parsed.feed.subtitle == "Resultados de healthlib para ICD-10-CM G25.3"
        assert [(e.title, e.title_detail.language, e.link) for e in parsed.entries] == [
            ("Essential tremor", "en", "http://localhost:8000/conditions/essential-tremor/"),
            ("Mioclonía", "es", "http://localhost:8000/es/conditions/mioclonia/"),
        ]
        spanish = parsed.entries[1].summary
        assert "<p>La mioclonía es una sacudida breve y rápida" in spanish
        assert "Revisado por última vez el" in spanish
        # The English article's own words stay English.
        assert "Last reviewed" in parsed.entries[0].summary
    assert client.get("http://localhost:8000/es/conditions/mioclonia/").status_code == 200
    # A language the library lacks: English, as MedlinePlus Connect answers.
    parsed = _atom(_ask(client, c="G25.3", language="fr"))
    assert parsed.feed.language == "en"
    assert {e.title_detail.language for e in parsed.entries} == {"en"}


def test_other_names_are_given_as_medlineplus_connect_gives_them(client):
    factories.article(
        "Essential tremor",
        alternate_names="Familial tremor\nBenign tremor",
        codes=[("icd10cm", "G25.0")],
    )
    (entry,) = _atom(_ask(client, c="G25.0")).entries
    assert entry.summary.startswith(
        '<p class="NLMalsoCalled">Also called: Familial tremor, Benign tremor</p>'
    )


def test_every_code_system_by_its_oid(client, demo, django_assert_max_num_queries):
    def titles(**params):
        return [e.title for e in _atom(_ask(client, **params)).entries]

    assert titles(cs=ICD10CM, c="G25.3") == ["Myoclonus"]
    # Without its dot, lower case, or a child code: its nearest parent.
    assert titles(cs=ICD10CM, c="g253") == titles(cs=ICD10CM, c="G25.39") == ["Myoclonus"]
    factories.article("Asthma", codes=[("snomedct", "195967001")])
    assert titles(cs=SNOMEDCT, c="195967001") == ["Asthma"]
    # RxNorm: the articles whose treatment lists the drug (the demo's
    # clonazepam, RxCUI 2598).
    parsed = _atom(_ask(client, cs=RXNORM, c="2598"))
    assert [e.title for e in parsed.entries] == ["Myoclonus"]
    assert _categories(parsed)["mainSearchCriteria.v.cs"] == "RXNORM"
    assert parsed.feed.subtitle == "healthlib results for RxNorm 2598"
    assert titles(cs=RXNORM, c="999999") == []
    # LOINC is taken; no article is coded by it.
    parsed = _atom(_ask(client, cs=LOINC, c="2345-7"))
    assert parsed.entries == [] and parsed.feed.subtitle == "healthlib results for LOINC 2345-7"
    # Without a system, it is guessed from the code.
    assert titles(c="G25.3") == ["Myoclonus"] and titles(c="195967001") == ["Asthma"]
    # The short form's names of the systems are taken too.
    assert titles(cs="icd10cm", c="G25.3") == ["Myoclonus"]


def test_an_unknown_code_is_an_empty_feed_not_a_404(client, demo):
    for params in (
        {"c": "Z99.89"},
        {"c": "Z99.89", "type": "application/json"},
        {"c": ""},
        {"cs": SNOMEDCT, "c": "G25.3"},  # a code its system cannot hold
        {"cs": RXNORM, "c": "0"},
    ):
        response = _ask(client, **params)
        assert response.status_code == 200
        if params.get("type"):
            assert response.json()["feed"]["entry"] == []
        else:
            parsed = _atom(response)
            assert parsed.entries == [] and parsed.feed.title == "healthlib"


def test_the_display_name_finds_an_article_when_the_code_does_not(client, demo):
    def titles(**params):
        return [e.title for e in _atom(_ask(client, **params)).entries]

    assert titles(c="Z99.89", dn="MYOCLONUS") == ["Myoclonus"]
    assert titles(c="", dn="  Myoclonus ") == ["Myoclonus"]
    # Its Spanish name finds it too, and the reader's language is kept.
    assert titles(c="Z99.89", dn="mioclonía", language="es") == ["Mioclonía"]
    # Only a whole name: a clinical term is not a search.
    assert titles(c="Z99.89", dn="Myoclonus, unspecified") == []
    assert titles(c="Z99.89", dn="clonus") == []
    # The code first: an article coded for it, whatever the name says.
    factories.article("Essential tremor", codes=[("icd10cm", "G25.0")])
    assert titles(c="G25.0", dn="Myoclonus") == ["Essential tremor"]
    # The short form keeps its own answer.
    body = client.get(LOOKUP, {"code": "Z99.89", "mainSearchCriteria.v.dn": "Myoclonus"}).json()
    assert body["results"] == []


def test_a_provider_is_echoed_and_given_the_same_articles(client, demo):
    patient = _atom(_ask(client, c="G25.3"))
    provider = _atom(_ask(client, c="G25.3", recipient="PROV"))
    assert _categories(patient)["informationRecipient"] == "PAT"
    assert _categories(provider)["informationRecipient"] == "PROV"
    assert [e.id for e in provider.entries] == [e.id for e in patient.entries]


def test_a_summary_is_text_whatever_the_article_holds(client):
    factories.article(
        "Tremor <b>bold</b>",
        summary='Shaking. <script>alert("x")</script> & <img src=x onerror=alert(1)>',
        alternate_names="<i>Shakes</i>",
        codes=[("icd10cm", "R25.1")],
    )
    response = _ask(client, c="R25.1")
    parsed = _atom(response)
    (entry,) = parsed.entries
    assert entry.title == "Tremor <b>bold</b>" and entry.title_detail.type == "text/plain"
    # The summary's HTML as written, before any client's own cleaning.
    summary = ET.fromstring(response.content).find(f"{ATOM}entry/{ATOM}summary").text
    assert "<script" not in summary and "<img" not in summary and "<i>" not in summary
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in summary
    assert "Also called: &lt;i&gt;Shakes&lt;/i&gt;" in summary


def test_without_a_summary_its_definition_is_given(client):
    condition = factories.article("Tremor", summary="", codes=[("icd10cm", "R25.1")])
    definition = condition.sections.get(kind=Section.Kind.DEFINITION)
    assert definition.body_html
    (entry,) = _atom(_ask(client, c="R25.1")).entries
    first = re.search(r"<p>(.*?)</p>", definition.body_html, re.S).group(1)
    assert f"<p>{re.sub(r'<[^>]+>', '', first).strip()}" in entry.summary


def test_malformed_parameters_are_a_clear_400_in_the_format_asked_for(client, demo):
    # Atom (the default): an XML error naming the parameter.
    response = _ask(client, c="G25.3", cs="2.16.840.1.113883.6.103")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    error = ET.fromstring(response.content)
    assert error.tag == "error"
    assert error.findtext("parameter") == "mainSearchCriteria.v.cs"
    assert "2.16.840.1.113883.6.90 (ICD-10-CM)" in error.findtext("message")
    assert error.findtext("status") == "400"
    # JSON: the API's error.
    response = _ask(client, c="G25.3", recipient="DOC", type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["error"]["parameter"] == "informationRecipient"
    # JSONP: the callback is called with the error.
    response = _ask(client, c="<b>", type="application/javascript", callback="show")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    called = re.fullmatch(r"/\*\*/show\((.*)\);", response.content.decode(), re.S)
    assert json.loads(called.group(1))["error"]["parameter"] == "mainSearchCriteria.v.c"
    # A callback that is not a name is refused, in JSON, and never written back.
    for callback in ("alert(1)//", "a;b", "x\ny", "a..b", "1a", "", "a" * 65, "ünïcode"):
        response = _ask(client, c="G25.3", type="application/javascript", callback=callback)
        assert response.status_code == 400 and response["Content-Type"] == "application/json"
        assert response.json()["error"]["parameter"] == "callback"
    # A type it does not answer: the API's JSON error.
    response = _ask(client, c="G25.3", type="text/html")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["error"]["parameter"] == "knowledgeResponseType"
    # A display name with control characters.
    response = _ask(client, c="G25.3", dn="Myo\x00clonus")
    assert response.status_code == 400
    assert ET.fromstring(response.content).findtext("parameter") == "mainSearchCriteria.v.dn"


def test_the_feed_is_conditional_and_rate_limited_as_the_api_is(client, demo, settings):
    first = _ask(client, c="G25.3")
    again = client.get(
        LOOKUP, {"mainSearchCriteria.v.c": "G25.3"}, headers={"If-None-Match": first["ETag"]}
    )
    assert again.status_code == 304
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["Cache-Control"] == "public, no-cache"
    settings.API_ANONYMOUS_REQUESTS_PER_HOUR = 2
    statuses = [_ask(client, c="G25.3").status_code for _ in range(3)]
    assert statuses[-1] == 429


def test_a_new_publication_changes_the_feed(client, demo):
    from conditions.models import Condition

    before = _atom(_ask(client, c="G25.3")).entries[0]
    myoclonus = Condition.objects.editable().get(slug="myoclonus")
    data = snapshots.take(myoclonus)
    data["summary"] = "Myoclonus is a quick jerk of a muscle."
    services.publish(condition=services.update_article(condition=myoclonus, data=data))
    after = _atom(_ask(client, c="G25.3")).entries[0]
    assert "<p>Myoclonus is a quick jerk of a muscle.</p>" in after.summary
    assert after.summary != before.summary


def test_query_budget_with_big_articles(client, demo, big_article, django_assert_max_num_queries):
    for n in range(6):
        factories.article(f"Coded {n}", codes=[("icd10cm", "G25.3")], sections=3, groups=2)
    factories.article("Undefined", summary="", codes=[("icd10cm", "G25.3")])
    # The match, the articles (translations with them), and the definition
    # of the one without a summary: the same in every format and language.
    for params in (
        {"c": "G25.3"},
        {"c": "G25.31", "type": "application/json"},
        {"c": "G25.3", "type": "application/javascript", "callback": "cb"},
        {"c": "G25.3", "language": "es"},
    ):
        with django_assert_max_num_queries(3):
            response = _ask(client, **params)
        assert response.status_code == 200
    assert len(_atom(_ask(client, c="G25.3")).entries) == 9
    # A code nothing carries, and a name to look for instead.
    with django_assert_max_num_queries(3):
        assert _ask(client, c="Z99.89", dn="Big condition").status_code == 200


def test_the_openapi_document_describes_the_parameters_and_the_three_answers(openapi):
    operation = openapi["paths"]["/api/lookup/"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert {
        "mainSearchCriteria.v.c",
        "mainSearchCriteria.v.cs",
        "mainSearchCriteria.v.dn",
        "informationRecipient",
        "informationRecipient.languageCode.c",
        "knowledgeResponseType",
        "callback",
    } <= set(parameters)
    assert {ICD10CM, SNOMEDCT, RXNORM, LOINC} <= set(parameters["mainSearchCriteria.v.cs"]["enum"])
    assert set(parameters["knowledgeResponseType"]["enum"]) >= {
        "text/xml",
        "application/json",
        "application/javascript",
    }
    assert parameters["informationRecipient"]["enum"] == ["PAT", "PROV"]
    ok = operation["responses"]["200"]["content"]
    assert set(ok) == {"application/json", "text/xml", "application/javascript"}
    assert {"$ref": "#/components/schemas/InfobuttonFeed"} in ok["application/json"]["schema"][
        "anyOf"
    ]
    assert set(operation["responses"]["400"]["content"]) == set(ok)
    feed = openapi["components"]["schemas"]["Feed"]
    assert {"xsi", "base", "lang", "title", "updated", "id", "author", "subtitle"} <= set(
        feed["required"]
    )
    assert "_value" in openapi["components"]["schemas"]["FeedText"]["properties"]
