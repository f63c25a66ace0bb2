"""The handout's address (conditions.views.condition_handout) and its link
on the article page: from the demo, in both languages; what a missing,
moved or hostile address answers; the limits that keep builds cheap."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions import services
from conditions.models import Condition
from conditions.pages import handout
from conditions.publishing import handouts, snapshots
from healthlib.lib import pdf
from tests import factories, pdfs

pytestmark = pytest.mark.django_db

EN = "/conditions/myoclonus/handout.pdf"
ES = "/es/conditions/mioclonia/handout.pdf"


@pytest.fixture
def engine():
    """For the tests that build handouts (the others run without Pango)."""
    pdfs.require_engine()


FUZZ = settings(
    deadline=None,
    database=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_the_article_page_links_its_handout(engine, client, demo):
    for page, link in (
        (
            "/conditions/myoclonus/",
            f'<a href="{EN}" type="application/pdf" class="handout-link">'
            'Download a printable handout <span class="file-hint">(PDF)</span></a>',
        ),
        (
            "/es/conditions/mioclonia/",
            f'<a href="{ES}" type="application/pdf" class="handout-link">'
            'Descargar una hoja para imprimir <span class="file-hint">(PDF)</span></a>',
        ),
    ):
        html = client.get(page).content.decode()
        assert html.count(link) == 1, page
        # Among the ways to share the page, which print hides.
        share = html[html.index('<div class="share">') :]
        assert share.index(link) < share.index("</div>")
        response = client.get(link.split('"')[1])
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_preview_has_no_handout_link(reviewer_client, demo):
    html = reviewer_client.get(f"/preview/conditions/{demo.pk}/").content.decode()
    assert "handout-link" not in html


def test_the_handout_is_a_pdf_named_after_the_article(engine, client, demo):
    response = client.get(EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="myoclonus.pdf"'
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    # Not for the edge cache: the date printed changes every day.
    assert "xkey" not in response and "X-Page-Cache" not in response
    assert "Myoclonus" in pdfs.text(response.content)
    etag = response["ETag"]
    again = client.get(EN, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    head = client.head(EN)
    assert head.status_code == 200 and head["ETag"] == etag and head.content == b""
    spanish = client.get(ES)
    assert spanish["Content-Disposition"] == 'inline; filename="mioclonia.pdf"'
    assert spanish["Content-Language"] == "es"
    assert client.post(EN).status_code == 405


def test_other_addresses_of_the_article_lead_to_its_handout(client, demo):
    # The English slug under /es/: the translation's handout.
    response = client.get("/es/conditions/myoclonus/handout.pdf")
    assert response.status_code == 301 and response["Location"] == ES
    # An old address, after the article moved.
    data = snapshots.take(demo)
    data["slug"] = "myoclonus-jerks"
    services.update_article(condition=demo, data=data)
    services.publish(condition=demo)
    response = client.get(EN)
    assert response.status_code == 301
    assert response["Location"] == "/conditions/myoclonus-jerks/handout.pdf"


def test_unpublished_and_unknown_articles_have_no_handout_like_their_page(client, demo):
    draft = factories.article("Gout", publish=False)
    english_only = factories.article("Asthma")
    for page, status in (
        ("/conditions/gout/", 404),
        ("/conditions/no-such-article/", 404),
        ("/es/conditions/asthma/", 404),
        ("/es/conditions/no-such-article/", 404),
    ):
        assert client.get(page).status_code == status, page
        assert client.get(page + "handout.pdf").status_code == status, page
    services.archive(condition=demo)
    assert client.get("/conditions/myoclonus/").status_code == 410
    assert client.get(EN).status_code == 410
    assert draft.pk and english_only.pk


@settings(FUZZ)
@given(slug=st.one_of(st.text(max_size=60), st.from_regex(r"\A[-a-zA-Z0-9_]{1,80}\Z")))
def test_hostile_addresses_never_fail(engine, client, demo, slug):
    for prefix in ("", "/es"):
        for path in (
            f"{prefix}/conditions/{quote(slug, safe='')}/handout.pdf",
            f"{prefix}/conditions/{slug}/handout.pdf",
        ):
            try:
                response = client.get(path)
            except ValueError:  # the test client refuses some paths itself
                continue
            assert response.status_code in (200, 301, 404, 410), (path, response.status_code)


def test_builds_are_limited_per_address_and_served_ones_are_not(engine, client, demo, settings):
    settings.HANDOUT_BUILDS_PER_HOUR = 1
    assert client.get(EN).status_code == 200
    refused = client.get(ES)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused["Cache-Control"] == "private, no-store"
    html = refused.content.decode()
    assert "Se hicieron demasiadas hojas para imprimir" in html
    assert 'href="/es/conditions/mioclonia/"' in html
    # The one already built is served to everyone, without counting.
    for _ in range(3):
        assert client.get(EN).status_code == 200
    # Another address has its own count.
    assert client.get(ES, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_without_a_pdf_engine_the_handout_says_so_and_the_page_stays(client, demo, monkeypatch):
    monkeypatch.setattr(pdf, "_engine", lambda: (None, "WeasyPrint cannot be loaded (no Pango)."))
    response = client.get(EN)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Printable handouts cannot be made on this server at the moment." in html
    assert '<a href="/conditions/myoclonus/">Read “Myoclonus”</a>' in html
    assert client.get("/conditions/myoclonus/").status_code == 200


def test_a_handout_being_built_elsewhere_is_a_short_503(client, demo, monkeypatch):
    def busy(live, current, **kwargs):
        raise handouts.Busy

    monkeypatch.setattr(handouts, "build", busy)
    response = client.get(EN)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "This handout is being made." in response.content.decode()


def test_a_handout_reads_the_database_twice_when_built_and_once_when_served(
    engine, client, big_article, monkeypatch, django_assert_max_num_queries
):
    built = []
    real = handout.build
    monkeypatch.setattr(handout, "build", lambda live, **kw: built.append(1) or real(live, **kw))
    url = Condition.objects.live().get(pk=big_article.live_copy.pk).get_handout_url()
    # The live copy, then its stored page (read only to build).
    with django_assert_max_num_queries(2):
        response = client.get(url)
    assert response.status_code == 200 and built == [1]
    text = pdfs.text(response.content)
    assert text.count("Doe J") == 30 and "Big condition" in text
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200
    assert built == [1]
