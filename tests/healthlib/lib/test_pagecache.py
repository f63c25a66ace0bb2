"""The page cache (healthlib.lib.pagecache): what it stores and serves,
and what it never does."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(url)
    return response, response.get("X-Page-Cache")


def test_logged_in_editors_are_never_served_or_stored(client, editor):
    gout = factories.article("Gout")
    client.force_login(editor)
    response = client.get("/conditions/gout/")
    assert response.get("X-Page-Cache") is None
    assert "private" in response["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert fetch(client, "/conditions/gout/")[1] == "miss"
    preview = factories.article("Draft one", publish=False)
    client.force_login(editor)
    response = client.get(f"/preview/conditions/{preview.pk}/")
    assert "no-store" in response["Cache-Control"] and response.get("X-Page-Cache") is None
    assert gout.pk


def test_conditional_get_answers_304(client):
    factories.article("Gout")
    first = client.get("/conditions/gout/")
    assert first["ETag"] and first["Last-Modified"]
    assert "max-age=0" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get("/conditions/gout/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get("/conditions/gout/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other = client.get("/conditions/gout/", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_cache_hits_keep_the_security_headers(client):
    factories.article("Gout")
    client.get("/conditions/gout/")
    response = client.get("/conditions/gout/")
    assert response["X-Page-Cache"] == "hit"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_page_keeps_its_own_framing_policy_on_hits_and_304s(rf):
    """What a view sets for the middleware around the cache (django-csp's
    per-view policy, Django's clickjacking exemption) comes back on every
    hit and 304; a page that sets nothing gets DENY on its hits."""
    from django.http import HttpResponse

    from healthlib.lib.pagecache import PageCacheMiddleware, cached_page, clear

    clear()

    @cached_page(lambda request: ["framing-test"])
    def frameable(request):
        response = HttpResponse("<p>Frame me</p>")
        response._csp_replace = {"frame-ancestors": ["https://partner.example"]}
        response.xframe_options_exempt = True
        return response

    @cached_page(lambda request: ["framing-test"])
    def plain(request):
        return HttpResponse("<p>Not me</p>")

    def not_reached(request):
        raise AssertionError("a hit is answered before the view")

    middleware = PageCacheMiddleware(not_reached)
    for path, view, exempt in (("/frame-me/", frameable, True), ("/not-me/", plain, False)):
        miss = view(rf.get(path))
        assert miss["X-Page-Cache"] == "miss"
        hit = middleware(rf.get(path))
        assert hit["X-Page-Cache"] == "hit"
        revalidated = middleware(rf.get(path, HTTP_IF_NONE_MATCH=miss["ETag"]))
        assert revalidated.status_code == 304
        for response in (hit, revalidated):
            if exempt:
                assert response._csp_replace == {"frame-ancestors": ["https://partner.example"]}
                assert response.xframe_options_exempt is True
                assert "X-Frame-Options" not in response
            else:
                assert not hasattr(response, "_csp_replace")
                assert response["X-Frame-Options"] == "DENY"
