"""The embed partners frame (conditions/embed_views.py): the live article
alone, with its attribution, in English and Spanish; the only page another
site may frame; cached and purged with the article's page."""

import html.parser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions import services
from conditions.models import Condition
from conditions.publishing import snapshots
from healthlib.lib import pagecache
from tests import factories

pytestmark = pytest.mark.django_db

EMBED = "/embed/conditions/myoclonus/"
ES_EMBED = "/es/embed/conditions/mioclonia/"
LICENCE_URL = "https://creativecommons.org/licenses/by-nc-nd/4.0/"


class Elements(html.parser.HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self, text):
        super().__init__()
        self.found = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def all(self, tag):
        return [attrs for name, attrs in self.found if name == tag]


def csp(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def edit(slug, language="en", publish=True, **sections):
    """Change the working copy at ``slug``: ``definition="text"`` replaces
    that section's body; then publish it, as a reviewer does."""
    condition = Condition.objects.editable(language).get(slug=slug)
    data = snapshots.take(condition)
    for section in data["sections"]:
        if section["kind"] in sections:
            section["body"] = sections[section["kind"]]
    services.update_article(condition=condition, data=data)
    if publish:
        services.publish(condition=condition)


def test_the_embed_is_the_article_alone(client, demo):
    response = client.get(EMBED)
    assert response.status_code == 200
    text = response.content.decode()
    page = Elements(text)
    assert '<html lang="en">' in text
    assert '<h1 id="article-title">Myoclonus</h1>' in text
    assert "Myoclonus is a brief and rapid twitching of a muscle" in text
    for heading in ("Definition", "Causes", "Risk factors", "Symptoms", "Treatment"):
        assert f">{heading}</h2>" in text, heading
    assert "Clonazepam" in text and "Anticonvulsants" in text
    # The figure with its alt text, caption and credit.
    [figure] = page.all("img")
    assert figure["alt"].startswith("A simple drawing made for the healthlib demo")
    assert "Illustration made for the healthlib demo" in text
    # No site chrome, form, script, or anything that sets a cookie.
    tags = {tag for tag, _ in page.found}
    assert not tags & {"script", "form", "input", "nav", "iframe", "button"}
    assert "site-header" not in text and "Was this page helpful?" not in text
    assert not response.cookies
    # References and resources stay on the article's page.
    assert "Paraneoplastic syndromes" not in text


def test_every_link_opens_the_site_in_a_new_tab(client, settings):
    settings.SITE_URL = "https://health.example.org"
    factories.article("Gout")
    data = factories.article_data("Asthma")
    data["sections"][0]["body"] = (
        "See [gout](article:gout), [the A-Z](/conditions/), [below](#causes) "
        "and [a study](https://journal.example.org/1)."
    )
    services.publish(condition=services.create_article(data=data))
    text = client.get("/embed/conditions/asthma/").content.decode()
    links = Elements(text).all("a")
    assert len(links) > 5
    for link in links:
        assert link["target"] == "_blank", link
        assert "noopener" in link["rel"].split(), link
        assert link["href"].startswith(("https://", "tel:")), link
    hrefs = {link["href"] for link in links}
    assert {
        "https://health.example.org/conditions/gout/",
        "https://health.example.org/conditions/",
        "https://health.example.org/conditions/asthma/#causes",
        "https://journal.example.org/1",
        "https://health.example.org/conditions/asthma/",
    } <= hrefs


def test_the_attribution_names_publisher_review_licence_and_the_article(client, demo):
    text = client.get(EMBED).content.decode()
    footer = text[text.index('<footer class="embed-attribution">') :]
    live = Condition.objects.live().get(slug="myoclonus")
    assert "Published by healthlib." in footer
    assert "Last reviewed <time" in footer and "by Demo Medical Reviewer, MD" in footer
    assert f'datetime="{live.last_reviewed.isoformat()}"' in footer
    licence = f'<a href="{LICENCE_URL}" target="_blank" rel="license noopener">CC BY-NC-ND 4.0</a>'
    assert licence in footer
    assert "<span>Reuse it unchanged, not for profit, naming the publisher" in footer
    assert (
        '<a href="http://localhost:8000/conditions/myoclonus/" target="_blank" rel="noopener">'
        "Read the full article on healthlib" in footer
    )
    assert "does not replace advice from your doctor" in footer


def test_the_spanish_embed_is_in_spanish_with_its_attribution(client, demo):
    response = client.get(ES_EMBED)
    assert response.status_code == 200 and response["Content-Language"] == "es"
    text = response.content.decode()
    assert '<html lang="es">' in text and '<h1 id="article-title">Mioclonía</h1>' in text
    assert ">Definición</h2>" in text
    footer = text[text.index('<footer class="embed-attribution">') :]
    assert "Publicado por healthlib." in footer
    assert "Revisado por última vez el <time" in footer
    assert "Licencia:" in footer and "CC BY-NC-ND 4.0" in footer
    # The site's default licence sentence, translated: no lang="en" on it.
    assert "<span>Reutilícelo sin cambios y sin fines de lucro" in footer
    assert (
        '<a href="http://localhost:8000/es/conditions/mioclonia/" target="_blank" '
        'rel="noopener">Lea el artículo completo en healthlib' in footer
    )
    assert "/es/drugs/clonazepam/" in text
    assert "no reemplaza los consejos de su médico" in footer


def test_the_attribution_is_the_sites_own(client, demo, settings):
    settings.CONTENT_PUBLISHER = "Clinic Health Library"
    settings.CONTENT_LICENCE_NAME = "All rights reserved"
    settings.CONTENT_LICENCE_URL = ""
    settings.CONTENT_LICENCE_TEXT = "Ask us before reusing it."
    pagecache.clear()
    for url, published in ((EMBED, "Published by"), (ES_EMBED, "Publicado por")):
        text = client.get(url).content.decode()
        assert f"{published} Clinic Health Library." in text
        assert "<title>" in text and "· Clinic Health Library</title>" in text
        assert "All rights reserved." in text and LICENCE_URL not in text
    # A sentence the site wrote is in English, and says so on a Spanish page.
    assert '<span lang="en">Ask us before reusing it.</span>' in text


def test_only_the_embed_may_be_framed(client, demo):
    for attempt in ("miss", "hit"):
        embed = client.get(EMBED)
        assert embed["X-Page-Cache"] == attempt
        assert csp(embed)["frame-ancestors"] == ["*"]
        assert "X-Frame-Options" not in embed
        # The rest of the policy is the site's.
        assert csp(embed)["script-src"] == ["'self'"]
        assert csp(embed)["default-src"] == ["'self'"]
        article = client.get("/conditions/myoclonus/")
        assert article["X-Page-Cache"] == attempt
        assert csp(article)["frame-ancestors"] == ["'none'"]
        assert article["X-Frame-Options"] == "DENY"
    # A browser revalidating its copy keeps a frameable page.
    again = client.get(EMBED, HTTP_IF_NONE_MATCH=embed["ETag"])
    assert again.status_code == 304
    assert csp(again)["frame-ancestors"] == ["*"] and "X-Frame-Options" not in again
    article = client.get("/conditions/myoclonus/", HTTP_IF_NONE_MATCH=article["ETag"])
    assert article.status_code == 304 and article["X-Frame-Options"] == "DENY"
    # The embed's answers when there is no article can be framed too.
    missing = client.get("/embed/conditions/no-such-thing/")
    assert missing.status_code == 404
    assert csp(missing)["frame-ancestors"] == ["*"] and "X-Frame-Options" not in missing


def test_the_sites_that_may_frame_it_can_be_listed(client, demo, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://clinic.example", "https://*.partner.example"]
    for attempt in ("miss", "hit"):
        response = client.get(ES_EMBED)
        assert response["X-Page-Cache"] == attempt
        assert csp(response)["frame-ancestors"] == [
            "https://clinic.example",
            "https://*.partner.example",
        ]
    settings.EMBED_FRAME_ANCESTORS = []
    pagecache.clear()
    assert csp(client.get(EMBED))["frame-ancestors"] == ["'none'"]


def test_search_engines_index_the_article_instead(client, demo):
    pages = ((EMBED, "/conditions/myoclonus/"), (ES_EMBED, "/es/conditions/mioclonia/"))
    for url, article in pages:
        for _ in ("miss", "hit"):
            response = client.get(url)
            assert response["X-Robots-Tag"] == "noindex"
            text = response.content.decode()
            assert '<meta name="robots" content="noindex">' in text
            assert f'<link rel="canonical" href="http://localhost:8000{article}">' in text
    assert "X-Robots-Tag" not in client.get("/conditions/myoclonus/")


def test_an_edit_shows_in_the_embed_once_published(client, demo):
    assert client.get(EMBED)["X-Page-Cache"] == "miss"
    assert client.get(EMBED)["X-Page-Cache"] == "hit"
    edit("myoclonus", publish=False, definition="A sentence still in review.")
    draft = client.get(EMBED)
    assert draft["X-Page-Cache"] == "hit"
    assert "A sentence still in review." not in draft.content.decode()
    edit("myoclonus", definition="Myoclonus is a quick jerk, newly reviewed.")
    fresh = client.get(EMBED)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Myoclonus is a quick jerk, newly reviewed." in fresh.content.decode()
    assert "brief and rapid twitching" not in fresh.content.decode().split("</header>")[1]
    # The Spanish embed follows its own article.
    client.get(ES_EMBED)
    edit("mioclonia", "es", definition="La mioclonía es una sacudida, revisada de nuevo.")
    assert "revisada de nuevo" in client.get(ES_EMBED).content.decode()


def test_the_embed_is_purged_with_the_article_page(client, demo):
    # The edge cache purges by the page's xkey (conditions/publishing/edge.py).
    assert client.get(EMBED)["xkey"] == client.get("/conditions/myoclonus/")["xkey"]
    assert client.get(ES_EMBED)["xkey"] == client.get("/es/conditions/mioclonia/")["xkey"]


def test_an_unpublished_article_has_no_embed(client, demo):
    client.get(EMBED)
    services.unpublish(condition=demo)
    response = client.get(EMBED)
    assert response.status_code == 404
    assert client.get("/conditions/myoclonus/").status_code == 404
    text = response.content.decode()
    assert "<h1>Article not found</h1>" in text and "Myoclonus is a brief" not in text
    assert response["X-Robots-Tag"] == "noindex"
    assert 'href="http://localhost:8000/conditions/" target="_blank"' in text


def test_an_archived_article_is_gone_from_the_embed_too(client, demo):
    client.get(EMBED)
    services.archive(condition=demo)
    response = client.get(EMBED)
    assert response.status_code == 410 == client.get("/conditions/myoclonus/").status_code
    assert "This article is no longer available" in response.content.decode()


def test_a_moved_article_s_embed_moves_with_it(client, demo):
    condition = Condition.objects.editable().get(slug="myoclonus")
    data = snapshots.take(condition)
    data["slug"] = "myoclonus-jerks"
    services.update_article(condition=condition, data=data)
    services.publish(condition=condition)
    response = client.get(EMBED)
    assert response.status_code == 301
    assert response["Location"] == "/embed/conditions/myoclonus-jerks/"
    assert client.get(response["Location"]).status_code == 200


def test_the_spanish_embed_follows_the_article_page_s_addresses(client, demo):
    # The English address under /es/ leads to the translation.
    response = client.get("/es/embed/conditions/myoclonus/")
    assert response.status_code == 301 and response["Location"] == ES_EMBED
    # An article not translated: 404, naming the English article.
    factories.article("Gout")
    response = client.get("/es/embed/conditions/gout/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "<h1>No se encontró el artículo</h1>" in text
    assert "Por ahora, “Gout” solo está disponible en inglés." in text


def test_the_embed_reads_a_few_queries_whatever_the_article_s_size(client, big_article):
    small = factories.article("Small condition", sections=1, groups=1, references=1, figures=1)
    pagecache.clear()
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(f"/embed/conditions/{small.slug}/").status_code == 200
    with CaptureQueriesContext(connection) as big_queries:
        response = client.get("/embed/conditions/big-condition/")
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    text = response.content.decode()
    assert text.count('class="drug-list"') == 6 and text.count("<figure") == 5
    assert text.count("<h2") == 40
    assert len(big_queries) == len(small_queries) <= 5, [q["sql"] for q in big_queries]
    with CaptureQueriesContext(connection) as hit:
        assert client.get("/embed/conditions/big-condition/")["X-Page-Cache"] == "hit"
    assert len(hit) == 0
