"""Readers' pages are cached, and exactly the affected pages go stale
(conditions.publishing.invalidation)."""

import datetime

import pytest
from django.utils import timezone

from conditions import services
from conditions.models import Drug, Organization
from conditions.publishing import snapshots
from tests import factories

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(url)
    return response, response.get("X-Page-Cache")


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert fetch(client, url)[1] == "hit", url


def edit_and_publish(condition, **changes):
    data = snapshots.take(condition)
    data.update(changes)
    services.update_article(condition=condition, data=data)
    services.publish(condition=condition)


def test_publish_refreshes_exactly_the_affected_pages(client):
    gout = factories.article("Gout", tags=["Joints"])
    asthma = factories.article("Asthma", tags=["Lungs"])
    warm(
        client,
        "/conditions/gout/",
        "/conditions/asthma/",
        "/conditions/?letter=a",
        "/topics/lungs/",
        "/topics/joints/",
    )

    # A change of text only: the article (and the home page's recent list).
    sections = snapshots.take(gout)["sections"]
    sections[0]["body"] = "Brand new reviewed text."
    edit_and_publish(gout, sections=sections)
    response, state = fetch(client, "/conditions/gout/")
    assert state == "miss" and "Brand new reviewed text." in response.content.decode()
    assert fetch(client, "/conditions/asthma/")[1] == "hit"
    assert fetch(client, "/conditions/?letter=a")[1] == "hit"
    assert fetch(client, "/topics/lungs/")[1] == "hit"

    # A new title shows in the A–Z and on its topic page.
    edit_and_publish(asthma, title="Asthma in adults")
    response, state = fetch(client, "/conditions/?letter=a")
    assert state == "miss" and "Asthma in adults" in response.content.decode()
    assert "Asthma in adults" in fetch(client, "/topics/lungs/")[0].content.decode()
    assert fetch(client, "/topics/joints/")[1] == "hit"


def test_unpublish_and_archive_take_effect_at_once(client):
    gout = factories.article("Gout")
    gone = factories.article("Gone")
    warm(client, "/conditions/gout/", "/conditions/gone/", "/conditions/?letter=g", "/")
    services.unpublish(condition=gout)
    assert client.get("/conditions/gout/").status_code == 404
    assert "Gout" not in client.get("/conditions/?letter=g").content.decode()
    assert 'href="/conditions/gout/"' not in client.get("/").content.decode()
    services.archive(condition=gone)
    assert client.get("/conditions/gone/").status_code == 410


def test_scheduled_publish_refreshes_the_page(client):
    gout = factories.article("Gout")
    warm(client, "/conditions/gout/")
    data = snapshots.take(gout)
    data["summary"] = "Scheduled summary."
    services.update_article(condition=gout, data=data)
    services.publish(condition=gout, go_live_at=timezone.now() + datetime.timedelta(minutes=5))
    assert fetch(client, "/conditions/gout/")[1] == "hit"
    services.publish_scheduled(now=timezone.now() + datetime.timedelta(minutes=10))
    response, state = fetch(client, "/conditions/gout/")
    assert state == "miss" and "Scheduled summary." in response.content.decode()


def test_renamed_drug_refreshes_the_pages_that_list_it(client):
    first = factories.article("First", groups=1, drugs_per_group=1)
    factories.article("Second", groups=0)
    drug = Drug.objects.get(name="Drug 0-0")
    warm(client, "/conditions/first/", "/conditions/second/", "/drugs/", "/drugs/drug-0-0/")
    drug.name = "Renamed drug"
    drug.save()
    assert "Renamed drug" in fetch(client, "/conditions/first/")[0].content.decode()
    assert "Renamed drug" in client.get("/drugs/").content.decode()
    assert "Renamed drug" in client.get("/drugs/drug-0-0/").content.decode()
    assert fetch(client, "/conditions/second/")[1] == "hit"
    assert first.pk


def test_changed_organization_url_refreshes_its_articles(client):
    factories.article("First", organizations=1)
    other = factories.article("Other", organizations=0)
    warm(client, "/conditions/first/", "/conditions/other/")
    org = Organization.objects.get(name="Organization 0")
    org.url = "https://new.example.org/"
    org.save()
    assert (
        'href="https://new.example.org/"' in fetch(client, "/conditions/first/")[0].content.decode()
    )
    assert fetch(client, "/conditions/other/")[1] == "hit"
    assert other.pk


def test_deleting_an_article_in_the_admin_removes_it_at_once(client, admin_client):
    gout = factories.article("Gout")
    warm(client, "/conditions/gout/", "/conditions/?letter=g")
    url = f"/admin/conditions/condition/{gout.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert client.get("/conditions/gout/").status_code == 404
    assert "Gout" not in client.get("/conditions/?letter=g").content.decode()


def test_topic_index_is_refreshed_when_an_article_goes_live_or_down(client):
    first = factories.article("Tremor", tags=["Movement disorders"])
    assert "(1 article)" in client.get("/topics/").content.decode()
    factories.article("Myoclonus", tags=["Movement disorders"])
    assert "(2 articles)" in client.get("/topics/").content.decode()
    services.unpublish(condition=first)
    assert "(1 article)" in client.get("/topics/").content.decode()
