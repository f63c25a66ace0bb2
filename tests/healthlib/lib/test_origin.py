"""The public forms without CSRF tokens refuse cross-site posts
(healthlib.lib.origin)."""

import pytest
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlib.lib.origin import cross_site_reason

OWN = "http://testserver"
OTHER = st.sampled_from(
    ["https://evil.example", "null", "http://testserver.evil.example", "https://testserver"]
)


def post(**headers):
    return RequestFactory().post("/newsletter/", {}, **headers)


@settings(max_examples=50, deadline=None)
@given(
    fetch_site=st.sampled_from([None, "same-origin", "none", "same-site", "cross-site"]),
    origin=st.one_of(st.none(), st.just(OWN), OTHER),
    referer=st.one_of(st.none(), st.just(OWN + "/conditions/gout/"), OTHER.map(lambda o: o + "/")),
)
def test_a_post_is_accepted_only_when_nothing_says_another_site(fetch_site, origin, referer):
    headers = {}
    if fetch_site is not None:
        headers["HTTP_SEC_FETCH_SITE"] = fetch_site
    if origin is not None:
        headers["HTTP_ORIGIN"] = origin
    if referer is not None:
        headers["HTTP_REFERER"] = referer
    refused = cross_site_reason(post(**headers)) is not None
    # The first header a browser sends decides.
    if fetch_site is not None:
        assert refused == (fetch_site not in ("same-origin", "none"))
    elif origin is not None:
        assert refused == (origin != OWN)
    elif referer is not None:
        assert refused == (not referer.startswith(OWN + "/"))
    else:
        assert not refused  # not a browser a forged page could drive


def test_trusted_origins_are_accepted(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://health.example.org"]
    assert cross_site_reason(post(HTTP_ORIGIN="https://health.example.org")) is None
    assert cross_site_reason(post(HTTP_ORIGIN="https://health.example.org.evil")) is not None


@pytest.mark.django_db
def test_a_cross_site_feedback_post_is_refused_and_nothing_is_saved(client):
    from conditions.models import Feedback
    from tests import factories

    factories.article("Gout")
    response = client.post(
        "/conditions/gout/feedback/", {"helpful": "yes"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 403
    assert not Feedback.objects.exists()
    response = client.post(
        "/conditions/gout/feedback/", {"helpful": "yes"}, HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 302 and Feedback.objects.count() == 1
