"""Readers' pages are cached, and exactly the affected pages go stale."""

import datetime
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from conditions import services
from conditions.models import Drug, Organization
from conditions.publishing import snapshots
from tests import factories
from tests.paths import ROOT

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


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthlib.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "p" * 60 + "production-like-key",
        "DJANGO_ALLOWED_HOSTS": "health.example.org",
        "SITE_URL": "https://health.example.org",
        "ANYMAIL_WEBHOOK_SECRET": "provider:webhook-secret",
        "HEALTHLIB_VAR_DIR": str(tmp_path),
    }
    root = ROOT
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    no_key = {k: v for k, v in env.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env=no_key,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "healthlib: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
    )


def test_deleting_an_article_in_the_admin_removes_it_at_once(client, admin_client):
    gout = factories.article("Gout")
    warm(client, "/conditions/gout/", "/conditions/?letter=g")
    url = f"/admin/conditions/condition/{gout.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert client.get("/conditions/gout/").status_code == 404
    assert "Gout" not in client.get("/conditions/?letter=g").content.decode()


def test_cache_hits_keep_the_security_headers(client):
    factories.article("Gout")
    client.get("/conditions/gout/")
    response = client.get("/conditions/gout/")
    assert response["X-Page-Cache"] == "hit"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
