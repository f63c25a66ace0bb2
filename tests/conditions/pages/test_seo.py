"""What search engines see: JSON-LD, canonical and Open Graph tags,
/sitemap.xml and /robots.txt; and the medical codes editors enter."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions.models import Condition, Drug
from tests import factories
from tests.factories import URGENT

pytestmark = pytest.mark.django_db


def jsonld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def head(html):
    return html.split("</head>")[0]


def test_article_page_has_a_medical_web_page_json_ld(client, seo_article):
    html = client.get("/conditions/myoclonus/").content.decode()
    data = jsonld(head(html))
    live = Condition.objects.live().get(slug="myoclonus")
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["url"] == "https://health.example.org/conditions/myoclonus/"
    assert data["lastReviewed"] == live.last_reviewed.isoformat()
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Rita Reviewer",
        "honorificSuffix": "MD, MPH",
    }
    assert data["audience"]["@type"] == "MedicalAudience"
    assert data["audience"]["audienceType"] == "Patient"
    crumbs = data["breadcrumb"]
    assert crumbs["@type"] == "BreadcrumbList"
    assert [(i["position"], i["name"]) for i in crumbs["itemListElement"]] == [
        (1, "Conditions"),
        (2, "M"),
        (3, "Myoclonus"),
    ]
    assert crumbs["itemListElement"][1]["item"] == "https://health.example.org/conditions/?letter=m"

    about = data["about"]
    assert about["@type"] == "MedicalCondition" and about["name"] == "Myoclonus"
    assert about["alternateName"] == ["Muscle jerks", "Jerking"]
    assert {(c["@type"], c["codeValue"], c["codingSystem"]) for c in about["code"]} == {
        ("MedicalCode", "G25.3", "ICD-10-CM"),
        ("MedicalCode", "17450006", "SNOMED CT"),
    }
    treatments = about["possibleTreatment"]
    assert [t["@type"] for t in treatments] == ["DrugClass", "DrugClass", "Drug"]
    assert treatments[0]["name"] == "Group 1"
    assert [d["name"] for d in treatments[0]["drug"]] == ["Drug 0-0", "Drug 0-1", "Drug 0-2"]
    assert all(d["@type"] == "Drug" for d in treatments[0]["drug"])
    assert treatments[2]["name"] == "5-HTP"
    assert treatments[2]["url"] == "https://health.example.org/drugs/5-htp/"

    citations = data["citation"]
    assert len(citations) == 3
    assert citations[0]["@type"] == "ScholarlyArticle"
    assert citations[0]["headline"] == "A study number 0"
    assert citations[0]["isPartOf"] == {"@type": "Periodical", "name": "Journal of Tests"}
    assert citations[2] == {"@type": "CreativeWork", "text": "Plain citation, 2001."}


def test_json_ld_cannot_break_out_of_its_script(client):
    factories.article(
        "Evil",
        summary='</script><script>alert(1)</script> & <!-- "quoted"',
        alternate_names="</SCRIPT>",
    )
    html = client.get("/conditions/evil/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["description"] == '</script><script>alert(1)</script> & <!-- "quoted"'
    assert data["about"]["alternateName"] == ["</SCRIPT>"]


def test_article_page_meta_tags(client, seo_article):
    html = head(client.get("/conditions/myoclonus/").content.decode())
    assert '<link rel="canonical" href="https://health.example.org/conditions/myoclonus/">' in html
    assert '<meta name="description" content="Sudden jerks of a muscle.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Myoclonus">' in html
    assert '<meta property="og:description" content="Sudden jerks of a muscle.">' in html
    assert (
        '<meta property="og:url" content="https://health.example.org/conditions/myoclonus/">'
        in html
    )
    image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert image.startswith("https://health.example.org/media/renditions/")
    assert html.count('rel="canonical"') == 1


def test_preview_has_no_canonical_or_json_ld(admin_client, seo_article):
    html = admin_client.get(f"/preview/conditions/{seo_article.pk}/").content.decode()
    assert 'rel="canonical"' not in html
    assert "application/ld+json" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_other_pages_have_canonical_links(client, seo_article):
    cases = {
        "/": "https://health.example.org/",
        "/conditions/?letter=m": "https://health.example.org/conditions/?letter=m",
        "/drugs/drug-0-0/": "https://health.example.org/drugs/drug-0-0/",
        "/topics/nervous-system/": "https://health.example.org/topics/nervous-system/",
        "/search/?q=jerks": "https://health.example.org/search/",
    }
    for url, canonical in cases.items():
        html = head(client.get(url).content.decode())
        assert re.findall(r'<link rel="canonical" href="([^"]+)">', html) == [canonical], url


def test_article_page_stays_within_its_query_budget(
    client, seo_article, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get("/conditions/myoclonus/")
    assert "application/ld+json" in response.content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/conditions/myoclonus/")
    assert not [q for q in queries.captured_queries if "searchdocument" in q["sql"].lower()]


def test_drug_rxnorm_code_in_json_ld(client, seo_article):
    drug = Drug.objects.get(name="Drug 0-0")
    drug.rxnorm_code, drug.other_names = "2598", "Klonopin"
    drug.save()  # as the admin (or an approved change) saves it
    data = jsonld(client.get("/conditions/myoclonus/").content.decode())
    drug = data["about"]["possibleTreatment"][0]["drug"][0]
    assert drug["code"] == {"@type": "MedicalCode", "codeValue": "2598", "codingSystem": "RxNorm"}
    assert drug["alternateName"] == ["Klonopin"]


def test_the_json_ld_carries_it(client, urgent_article):
    data = jsonld(client.get("/conditions/myoclonus/").content.decode())
    [part] = data["hasPart"]
    assert part["@type"] == "WebPageElement"
    assert part["name"] == "When to get urgent help"
    assert URGENT in part["text"] and "112" in part["text"]
    assert part["cssSelector"].startswith("#section-99-urgent-help")
