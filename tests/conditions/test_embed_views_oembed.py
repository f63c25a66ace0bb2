"""oEmbed (conditions/embed_views.py, conditions/pages/embed.py), read as a
consumer reads it (https://oembed.com): found from the article page, parsed
as JSON or XML, its iframe loading the embed within the sizes asked; the
errors the spec names; never a 500, whatever the parameters."""

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions import services
from tests import factories
from tests.conditions.test_embed_views import Elements

pytestmark = pytest.mark.django_db

SITE = "http://localhost:8000"
ARTICLE = f"{SITE}/conditions/myoclonus/"
# What every rich answer holds (oEmbed 1.0, sections 2.3.4 and 2.3.4.4).
REQUIRED = {"type", "version", "html", "width", "height"}


def oembed(client, url=ARTICLE, **params):
    return client.get("/oembed/", {"url": url, **params})


def iframe_of(answer):
    [(tag, attrs)] = Elements(answer["html"]).found
    assert tag == "iframe"
    return attrs


def from_xml(response):
    root = ET.fromstring(response.content)  # noqa: S314 (our own answer)
    assert root.tag == "oembed"
    data = {child.tag: child.text for child in root}
    for name in ("width", "height", "cache_age"):
        data[name] = int(data[name])
    return data


def test_a_consumer_gets_a_rich_answer_whose_iframe_is_the_embed(client, demo):
    response = oembed(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    answer = json.loads(response.content)
    assert answer.keys() >= REQUIRED
    assert answer["type"] == "rich" and answer["version"] == "1.0"
    assert answer["title"] == "Myoclonus"
    assert answer["author_name"] == answer["provider_name"] == "healthlib"
    assert answer["author_url"] == ARTICLE and answer["provider_url"] == f"{SITE}/"
    assert isinstance(answer["cache_age"], int) and answer["cache_age"] > 0
    iframe = iframe_of(answer)
    assert iframe["src"] == f"{SITE}/embed/conditions/myoclonus/"
    assert iframe["title"] == "Myoclonus · healthlib"
    assert (int(iframe["width"]), int(iframe["height"])) == (answer["width"], answer["height"])
    # Links inside it open new tabs, out of the frame, unsandboxed.
    assert set(iframe["sandbox"].split()) == {"allow-popups", "allow-popups-to-escape-sandbox"}
    # The iframe loads the embed, which its page may frame.
    embed = client.get(urlsplit(iframe["src"]).path)
    assert embed.status_code == 200 and "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert '<h1 id="article-title">Myoclonus</h1>' in embed.content.decode()


def test_the_xml_answer_says_the_same(client, demo):
    as_json = json.loads(oembed(client).content)
    response = oembed(client, format="xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"')
    assert from_xml(response) == as_json


def test_the_sizes_stay_within_the_consumer_s_maxima(client, demo):
    default = json.loads(oembed(client).content)
    for maxwidth, maxheight in ((300, 200), (1, 1), (599, None), (None, 50), (5000, 9999)):
        params = {k: v for k, v in (("maxwidth", maxwidth), ("maxheight", maxheight)) if v}
        answer = json.loads(oembed(client, **params).content)
        assert answer["width"] <= (maxwidth or default["width"])
        assert answer["height"] <= (maxheight or default["height"])
        assert answer["width"] == min(maxwidth or 10**9, default["width"])
        iframe = iframe_of(answer)
        assert (iframe["width"], iframe["height"]) == (str(answer["width"]), str(answer["height"]))
        xml = from_xml(oembed(client, format="xml", **params))
        assert (xml["width"], xml["height"]) == (answer["width"], answer["height"])


@pytest.mark.parametrize(
    "url",
    [
        f"{SITE}/embed/conditions/myoclonus/",
        f"{SITE}/conditions/myoclonus/?utm_source=partner#causes",
        f"{SITE}/conditions/myoclonus",
        "HTTP://LOCALHOST:8000/conditions/myoclonus/",
        # The address the request came to (the test client's).
        "http://testserver/conditions/myoclonus/",
    ],
)
def test_the_article_is_found_from_any_of_its_addresses(client, demo, url):
    response = oembed(client, url)
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["title"] == "Myoclonus"


def test_a_spanish_address_gives_the_spanish_embed(client, demo):
    for url in (f"{SITE}/es/conditions/mioclonia/", f"{SITE}/es/conditions/myoclonus/"):
        answer = json.loads(oembed(client, url).content)
        assert answer["title"] == "Mioclonía"
        assert answer["author_url"] == f"{SITE}/es/conditions/mioclonia/"
        src = iframe_of(answer)["src"]
        assert src == f"{SITE}/es/embed/conditions/mioclonia/"
        embed = client.get(urlsplit(src).path).content.decode()
        assert "Publicado por healthlib." in embed


def test_an_old_address_gives_the_article_where_it_is_now(client, demo):
    data = services.snapshots.take(demo)
    data["slug"] = "myoclonus-jerks"
    services.update_article(condition=demo, data=data)
    services.publish(condition=demo)
    answer = json.loads(oembed(client).content)
    assert iframe_of(answer)["src"] == f"{SITE}/embed/conditions/myoclonus-jerks/"


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example/conditions/myoclonus/",
        f"{SITE}/conditions/no-such-thing/",
        f"{SITE}/conditions/",
        f"{SITE}/drugs/clonazepam/",
        f"{SITE}/api/conditions/myoclonus/",
        f"{SITE}/",
        f"{SITE}/es/conditions/gout/",
        "http://user@localhost:8000/conditions/myoclonus/",
    ],
)
def test_what_is_not_a_published_article_here_is_404(client, demo, url):
    factories.article("Gout")
    response = oembed(client, url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_unpublished_and_archived_articles_are_404(client, demo):
    draft = factories.article("Draft", publish=False)
    assert oembed(client, f"{SITE}/conditions/{draft.slug}/").status_code == 404
    services.unpublish(condition=demo)
    assert oembed(client).status_code == 404
    services.publish(condition=demo)
    assert oembed(client).status_code == 200
    services.archive(condition=demo)
    assert oembed(client, format="xml").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"url": ""},
        {"url": "myoclonus"},
        {"url": "/conditions/myoclonus/"},
        {"url": "ftp://localhost:8000/conditions/myoclonus/"},
        {"url": "http://[::1/conditions/myoclonus/"},
        {"url": ARTICLE, "maxwidth": "wide"},
        {"url": ARTICLE, "maxwidth": "0"},
        {"url": ARTICLE, "maxheight": "-5"},
        {"url": ARTICLE, "maxheight": "1.5"},
        {"url": ARTICLE + "x" * 3000},
    ],
)
def test_a_malformed_request_is_400(client, demo, params):
    response = client.get("/oembed/", params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_a_format_other_than_json_or_xml_is_501(client, demo):
    response = oembed(client, format="yaml")
    assert response.status_code == 501
    assert response["Access-Control-Allow-Origin"] == "*"


def test_oembed_is_read_only(client, demo):
    response = client.post(f"/oembed/?{urlencode({'url': ARTICLE})}")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_oembed_is_rate_limited_as_the_api(client, demo, settings):
    settings.API_ANONYMOUS_REQUESTS_PER_HOUR = 2
    statuses = [oembed(client).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = oembed(client)
    assert refused["Retry-After"] and refused["Access-Control-Allow-Origin"] == "*"


def test_a_consumer_revalidates_with_the_etag(client, demo):
    first = oembed(client)
    again = client.get("/oembed/", {"url": ARTICLE}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_article_page_says_where_its_oembed_is(client, demo, editor_client):
    pages = (("/conditions/myoclonus/", "Myoclonus"), ("/es/conditions/mioclonia/", "Mioclonía"))
    for page, title in pages:
        links = [
            attrs
            for tag, attrs in Elements(client.get(page).content.decode()).found
            if tag == "link" and attrs.get("type", "").endswith("+oembed")
        ]
        types = {link["type"]: link for link in links}
        assert set(types) == {"application/json+oembed", "text/xml+oembed"}
        for media_type, link in types.items():
            assert link["rel"] == "alternate"
            href = urlsplit(link["href"])
            assert f"{href.scheme}://{href.netloc}" == SITE
            response = client.get(f"{href.path}?{href.query}")
            answer = json.loads(response.content) if "json" in media_type else from_xml(response)
            assert answer["title"] == link["title"] == title
    # The preview of a working copy is no one's to embed.
    preview = editor_client.get(f"/preview/conditions/{demo.pk}/").content.decode()
    assert "+oembed" not in preview


# Any text a client could send, and addresses that look like ours.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
PATHS = st.lists(
    st.one_of(
        st.sampled_from(["conditions", "embed", "es", "myoclonus", "mioclonia", "..", "%2F", ""]),
        TEXT,
    ),
    max_size=5,
).map("/".join)
URLS = st.one_of(
    TEXT,
    st.builds(
        "{}://{}/{}{}".format,
        st.sampled_from(["http", "https", "HTTP", "javascript", "", "ftp"]),
        st.sampled_from(["localhost:8000", "testserver", "[::1", "localhost:99999", "a@b", ""]),
        PATHS,
        st.sampled_from(["", "?x=1", "#a", "?url=http://localhost:8000/"]),
    ),
)
SIZES = st.one_of(st.none(), TEXT, st.integers(-(10**30), 10**30).map(str))


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(url=URLS, maxwidth=SIZES, maxheight=SIZES, form=st.one_of(st.none(), TEXT))
def test_hostile_parameters_never_fail(client, demo, settings, url, maxwidth, maxheight, form):
    settings.API_ANONYMOUS_REQUESTS_PER_HOUR = 10**6
    params = {"url": url, "maxwidth": maxwidth, "maxheight": maxheight, "format": form}
    response = client.get("/oembed/", {k: v for k, v in params.items() if v is not None})
    assert response.status_code in (200, 400, 404, 501), (params, response.status_code)
    if response.status_code == 200:
        xml = response["Content-Type"].startswith("text/xml")
        answer = from_xml(response) if xml else response.json()
        assert answer["title"] in ("Myoclonus", "Mioclonía")
        for name, limit in (("width", maxwidth), ("height", maxheight)):
            if limit and limit.strip():
                assert answer[name] <= int(limit), (params, answer)
    else:
        assert response.json()["error"]["status"] == response.status_code
