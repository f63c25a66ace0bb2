"""What search engines see: JSON-LD, canonical and Open Graph tags,
/sitemap.xml and /robots.txt; and the medical codes editors enter."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions import services
from conditions.models import Condition, Drug, MedicalCode
from conditions.publishing import snapshots
from tests import factories
from tests.admin_forms import add_rows, form_data

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def jsonld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def head(html):
    return html.split("</head>")[0]


@pytest.fixture
def article(settings):
    settings.SITE_URL = "https://health.example.org"
    condition = factories.article(
        "Myoclonus",
        alternate_names="Muscle jerks\nJerking",
        summary="Sudden jerks of a muscle.",
        groups=2,
        references=2,
        figures=1,
        codes=[("icd10cm", "G25.3"), ("snomedct", "17450006")],
        tags=("Nervous system",),
    )
    data = factories.article_data(
        "Myoclonus",
        alternate_names="Muscle jerks\nJerking",
        summary="Sudden jerks of a muscle.",
        groups=2,
        references=2,
        codes=[("icd10cm", "G25.3"), ("snomedct", "17450006")],
    )
    data["drug_groups"].append({"heading": "", "order": 5, "drugs": [factories.drug("5-HTP")]})
    data["references"].append({"order": 9, "citation_text": "Plain citation, 2001."})
    data["figures"] = snapshots.take(condition)["figures"]
    condition = services.update_article(condition=condition, data=data)
    services.publish(
        condition=condition, reviewer_name="Rita Reviewer", reviewer_credentials="MD, MPH"
    )
    return condition


def test_article_page_has_a_medical_web_page_json_ld(client, article):
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


def test_article_page_meta_tags(client, article):
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


def test_preview_has_no_canonical_or_json_ld(admin_client, article):
    html = admin_client.get(f"/preview/conditions/{article.pk}/").content.decode()
    assert 'rel="canonical"' not in html
    assert "application/ld+json" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_other_pages_have_canonical_links(client, article):
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


def test_article_page_stays_within_its_query_budget(client, article, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/conditions/myoclonus/")
    assert "application/ld+json" in response.content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/conditions/myoclonus/")
    assert not [q for q in queries.captured_queries if "searchdocument" in q["sql"].lower()]


def test_sitemap_lists_published_content_with_lastmod(client, article):
    factories.article("Unpublished draft", publish=False, tags=("Secret topic",))
    gone = factories.article("Gone", tags=("Gone topic",))
    services.unpublish(condition=gone)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    urls = {
        u.find("s:loc", SITEMAP_NS).text: u.find("s:lastmod", SITEMAP_NS)
        for u in root.findall("s:url", SITEMAP_NS)
    }
    base = "https://health.example.org"
    assert f"{base}/conditions/myoclonus/" in urls
    assert f"{base}/drugs/drug-0-0/" in urls
    assert f"{base}/drugs/5-htp/" in urls
    assert f"{base}/topics/nervous-system/" in urls
    assert not [u for u in urls if "unpublished" in u or "gone" in u or "secret" in u]
    live = Condition.objects.live().get(slug="myoclonus")
    assert urls[f"{base}/conditions/myoclonus/"].text == live.updated_at.date().isoformat()
    assert all(lastmod is not None for lastmod in urls.values())


def test_sitemap_lists_sent_newsletter_editions(client):
    from newsletter.models import Edition, Newsletter

    newsletter = Newsletter.objects.create(name="Research")
    for slug, status in [("march-2015", "sent"), ("next-draft", "draft")]:
        Edition.objects.create(newsletter=newsletter, title=slug, slug=slug, status=status)
    locs = re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())
    assert any(loc.endswith("/newsletter/march-2015/") for loc in locs)
    assert not any("next-draft" in loc for loc in locs)


def test_robots_txt(client, settings):
    settings.SITE_URL = "https://health.example.org"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /preview/" in lines
    assert "Sitemap: https://health.example.org/sitemap.xml" in lines


@pytest.mark.parametrize(
    "system, code, stored",
    [
        ("icd10cm", "G25.3", "G25.3"),
        ("icd10cm", "A00", "A00"),
        ("icd10cm", "s72.001a", "S72.001A"),
        ("icd10cm", " G2531 ", "G25.31"),
        ("icd10cm", "U07.1", "U07.1"),
        ("snomedct", "17450006", "17450006"),
        ("snomedct", "123456789012345678", "123456789012345678"),
    ],
)
def test_valid_medical_codes_are_normalized(system, code, stored):
    condition = factories.article("Coded", publish=False)
    medical_code = MedicalCode(condition=condition, system=system, code=code)
    medical_code.full_clean()
    assert medical_code.code == stored


@pytest.mark.parametrize(
    "system, code",
    [
        ("icd10cm", "G25.31234"),
        ("icd10cm", "25.3"),
        ("icd10cm", "G2"),
        ("icd10cm", "G25..3"),
        ("icd10cm", "17450006"),
        ("snomedct", "G25.3"),
        ("snomedct", "12345"),
        ("snomedct", "1234567890123456789"),
    ],
)
def test_malformed_medical_codes_are_refused(system, code):
    condition = factories.article("Coded", publish=False)
    with pytest.raises(ValidationError) as error:
        MedicalCode(condition=condition, system=system, code=code).full_clean()
    assert "code" in error.value.message_dict


def test_admin_refuses_a_malformed_code_with_the_format(admin_client):
    condition = factories.article("Coded", publish=False)
    url = f"/admin/conditions/condition/{condition.pk}/change/"
    data = form_data(admin_client.get(url))
    add_rows(data, "codes", [{"system": "icd10cm", "code": "G25-3"}])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "An ICD-10-CM code is a letter, two digits or letters" in response.content.decode()
    assert not MedicalCode.objects.filter(condition=condition).exists()

    data = form_data(admin_client.get(url))
    add_rows(data, "codes", [{"system": "icd10cm", "code": "g25.3"}])
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert list(condition.codes.values_list("code", flat=True)) == ["G25.3"]


def test_drug_rxnorm_code_in_json_ld(client, article):
    drug = Drug.objects.get(name="Drug 0-0")
    drug.rxnorm_code, drug.other_names = "2598", "Klonopin"
    drug.save()  # as the admin (or an approved change) saves it
    data = jsonld(client.get("/conditions/myoclonus/").content.decode())
    drug = data["about"]["possibleTreatment"][0]["drug"][0]
    assert drug["code"] == {"@type": "MedicalCode", "codeValue": "2598", "codingSystem": "RxNorm"}
    assert drug["alternateName"] == ["Klonopin"]


# Issue 19: the sitemap in every language, with hreflang alternates.

XHTML = "{http://www.w3.org/1999/xhtml}link"


def _sitemap(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own response)
    return {
        u.find("s:loc", SITEMAP_NS).text: {
            link.get("hreflang"): link.get("href")
            for link in u.findall(XHTML)
            if link.get("rel") == "alternate"
        }
        for u in root.findall("s:url", SITEMAP_NS)
    }


def _translate(source, title, slug):
    translation = services.create_translation(source=source, language="es")
    data = snapshots.take(translation)
    data.update(title=title, slug=slug)
    translation = services.update_article(condition=translation, data=data)
    services.publish(condition=translation)


def test_sitemap_lists_translations_with_hreflang_alternates(client, article):
    english_only = factories.article("Asthma", tags=("Lungs",))
    assert english_only
    _translate(article, "Mioclonía", "mioclonia")
    urls = _sitemap(client)
    base = "https://health.example.org"
    both = {
        "en": f"{base}/conditions/myoclonus/",
        "es": f"{base}/es/conditions/mioclonia/",
        "x-default": f"{base}/conditions/myoclonus/",
    }
    # Each language version lists both, itself included.
    assert urls[f"{base}/conditions/myoclonus/"] == both
    assert urls[f"{base}/es/conditions/mioclonia/"] == both
    # Not translated: listed in English, without alternates; not in Spanish.
    assert urls[f"{base}/conditions/asthma/"] == {}
    assert f"{base}/es/conditions/asthma/" not in urls
    # Drug and topic pages exist in each language whose articles list them.
    assert urls[f"{base}/es/drugs/drug-0-0/"]["en"] == f"{base}/drugs/drug-0-0/"
    assert urls[f"{base}/es/topics/nervous-system/"]["es"].endswith("/es/topics/nervous-system/")
    assert f"{base}/es/topics/lungs/" not in urls and urls[f"{base}/topics/lungs/"] == {}


def test_sitemap_lists_the_index_pages_of_each_language_with_content(client, article):
    base = "https://health.example.org"
    urls = _sitemap(client)
    assert {f"{base}/", f"{base}/conditions/", f"{base}/drugs/", f"{base}/topics/"} <= set(urls)
    assert not [u for u in urls if u.startswith(f"{base}/es/")]  # nothing in Spanish yet
    _translate(article, "Mioclonía", "mioclonia")
    urls = _sitemap(client)  # the sitemap's cache went stale with the publication
    for path in ("/", "/conditions/", "/drugs/", "/topics/"):
        assert urls[f"{base}/es{path}"] == {
            "en": f"{base}{path}",
            "es": f"{base}/es{path}",
            "x-default": f"{base}{path}",
        }


def test_robots_txt_keeps_crawlers_out_of_spanish_search_too(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /es/search/" in lines and "Disallow: /search/" in lines
