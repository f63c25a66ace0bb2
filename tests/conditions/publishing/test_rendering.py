"""Articles are rendered when they go live: readers get the same HTML as
when every request rendered the page, and a stored rendering is never
stale."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from conditions import selectors, services
from conditions.forms import FeedbackForm
from conditions.models import Condition, Drug, Organization
from conditions.pages import alternates
from conditions.publishing import rendering, snapshots
from conditions.review import shared_records
from healthlib.lib import pagecache
from tests import factories, paths

pytestmark = pytest.mark.django_db

# The article page's template as it was before pages were rendered at
# publication: every request loaded the article's parts and rendered them.
# The newsletter's block is inline, as the project adds it after the
# article (healthlib/templates/healthlib/article_newsletter.html).
LEGACY_TEMPLATE = paths.LEGACY / "condition_detail.html"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def legacy_html(request, condition, *, preview=False):
    template = engines["django"].from_string(LEGACY_TEMPLATE.read_text())
    page = selectors.article_page(condition)
    context = {"page": page, "preview": preview, "feedback_form": FeedbackForm()}
    if not preview:
        # The page's languages, which the view gives per request (base.html).
        context["alternates"] = alternates.of(condition.language_versions)
    return template.render(context, request)


def without_csrf(html):
    # Each render masks the CSRF token afresh.
    return _CSRF.sub('name="csrfmiddlewaretoken" value="…"', html)


def without_handout(html):
    return re.sub(r'<div class="handout">.*?</div>', "", html, flags=re.S)


def live(slug):
    return Condition.objects.live().get(slug=slug)


def assert_fresh(slug, *expected):
    """The stored rendering of ``slug`` is current: what rendering the live
    copy from the database gives now, and shows ``expected``."""
    copy = live(slug)
    stored = rendering.stored(copy)
    assert stored is not None, "no stored rendering of the current version"
    fresh = rendering.render(selectors.article_page(copy))
    assert stored == fresh
    for text in expected:
        assert text in stored.body, text


@pytest.mark.parametrize("which", ["demo", "big"])
def test_readers_get_the_same_html_as_before(client, rf, load_demo, which, request):
    if which == "demo":
        load_demo(debug=True)
        slug = "myoclonus"
    else:
        request.getfixturevalue("big_article")
        slug = "big-condition"
    copy = live(slug)
    assert rendering.stored(copy) is not None
    response = client.get(f"/conditions/{slug}/")
    assert response.status_code == 200
    new = without_csrf(response.content.decode())
    old = without_csrf(legacy_html(rf.get(f"/conditions/{slug}/"), copy))
    assert new == old
    if which == "big":
        assert new.count('class="drug-list"') == 6 and new.count("<figure") == 5
        assert new.count("<li>Doe J") == 30


def test_the_preview_is_the_same_as_before(big_article, admin_client, rf):
    response = admin_client.get(f"/preview/conditions/{big_article.pk}/")
    request = rf.get(f"/preview/conditions/{big_article.pk}/")
    old = legacy_html(request, big_article, preview=True)
    assert without_csrf(response.content.decode()) == without_csrf(old)


def test_article_page_reads_at_most_three_queries(client, big_article, editor):
    # The first anonymous reader (a miss): the live copy and related research.
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/conditions/big-condition/")
    assert response.status_code == 200 and response.get("X-Page-Cache") == "miss"
    assert len(queries) <= 3, [q["sql"] for q in queries]
    # A logged-in editor is never served from the page cache: their session
    # and user rows come on top.
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/conditions/big-condition/")
    assert response.status_code == 200 and response.get("X-Page-Cache") is None
    assert len(queries) <= 5, [q["sql"] for q in queries]


def test_a_rendering_of_other_templates_is_not_used(client, settings, big_article):
    Condition.objects.live().update(rendered_version="from-an-older-release")
    response = client.get("/conditions/big-condition/")
    assert response.status_code == 200 and "Part 40" in response.content.decode()
    out = StringIO()
    call_command("rebuild_rendered_pages", "--stale-only", stdout=out)
    assert out.getvalue().strip() == "Rendered 1 published article(s)."
    assert_fresh("big-condition", "Part 40")
    # Another SITE_URL makes other share links: the stored pages are stale.
    settings.SITE_URL = "https://health.example.org"
    assert rendering.stored(live("big-condition")) is None


def test_rebuild_rendered_pages_renders_every_live_article():
    factories.article("Gout")
    factories.article("Asthma")
    factories.article("Draft only", publish=False)
    Condition.objects.live().update(rendered_body="", rendered_head="", rendered_version="")
    out = StringIO()
    call_command("rebuild_rendered_pages", stdout=out)
    assert out.getvalue().strip() == "Rendered 2 published article(s)."
    assert_fresh("gout")
    assert_fresh("asthma")
    assert Condition.objects.editable().filter(rendered_body="").count() == 3


# Each kind of change that makes cached pages stale (test_caching.py) also
# renders the stored page again.


def edit_and_publish(condition, **changes):
    data = snapshots.take(condition)
    data.update(changes)
    services.update_article(condition=condition, data=data)
    services.publish(condition=condition)


def test_publishing_renders_the_page():
    gout = factories.article("Gout")
    sections = snapshots.take(gout)["sections"]
    sections[0]["body"] = "Brand new reviewed text."
    edit_and_publish(gout, sections=sections, title="Gout in adults")
    assert_fresh("gout", "Brand new reviewed text.", "Gout in adults")


def test_scheduled_publishing_renders_the_page():
    gout = factories.article("Gout")
    data = snapshots.take(gout)
    data["summary"] = "Scheduled summary."
    services.update_article(condition=gout, data=data)
    services.publish(condition=gout, go_live_at=timezone.now() + datetime.timedelta(minutes=5))
    assert "Scheduled summary." not in live("gout").rendered_body
    services.publish_scheduled(now=timezone.now() + datetime.timedelta(minutes=10))
    assert_fresh("gout", "Scheduled summary.")


def test_recording_a_review_renders_the_page():
    gout = factories.article("Gout")
    services.record_review(
        condition=gout, note="Checked again", reviewed_on=datetime.date(2026, 3, 2)
    )
    assert_fresh("gout", "Checked again", "March 2, 2026")


def test_renamed_drug_renders_the_articles_that_list_it():
    factories.article("First", groups=1, drugs_per_group=1)
    factories.article("Second", groups=0)
    before = live("second").rendered_body
    drug = Drug.objects.get(name="Drug 0-0")
    drug.name, drug.slug = "Renamed drug", "renamed-drug"
    drug.save()
    assert_fresh("first", "Renamed drug", 'href="/drugs/renamed-drug/"')
    assert live("second").rendered_body == before


def test_approved_change_to_a_drug_renders_the_articles_that_list_it(reviewer):
    factories.article("First", groups=1, drugs_per_group=1)
    drug = Drug.objects.get(name="Drug 0-0")
    pending = shared_records.propose(record=drug, changes={"name": "Proposed name"}, user=reviewer)
    assert "Proposed name" not in live("first").rendered_body
    shared_records.approve(pending=pending, user=reviewer)
    assert_fresh("first", "Proposed name")


def test_changed_organization_renders_its_articles():
    factories.article("First", organizations=1)
    org = Organization.objects.get(name="Organization 0")
    org.url = "https://new.example.org/"
    org.save()
    assert_fresh("first", 'href="https://new.example.org/"')


def test_renamed_or_deleted_topic_renders_its_articles(client):
    factories.article("First", tags=["Joints"])
    tag = Tag.objects.get(name="Joints")
    tag.name, tag.slug = "Bones and joints", "bones-and-joints"
    tag.save()
    assert_fresh("first", "Bones and joints", 'href="/topics/bones-and-joints/"')
    client.get("/conditions/first/")
    tag.delete()
    assert_fresh("first")
    assert "Bones and joints" not in live("first").rendered_body
    assert "Bones and joints" not in client.get("/conditions/first/").content.decode()


def test_related_articles_are_rendered_when_their_title_changes_or_they_go():
    gout = factories.article("Gout", publish=False)
    asthma = factories.article("Asthma")
    # Asthma lists Gout as related before Gout is published: not shown yet.
    data = snapshots.take(asthma)
    data["related"] = [{"id": gout.pk, "slug": gout.slug}]
    services.update_article(condition=asthma, data=data)
    services.publish(condition=asthma)
    assert 'href="/conditions/gout/"' not in live("asthma").rendered_body
    services.publish(condition=gout)
    assert_fresh("asthma", 'href="/conditions/gout/"')
    edit_and_publish(gout, title="Gouty arthritis")
    assert_fresh("asthma", "Gouty arthritis")
    services.unpublish(condition=gout)
    assert_fresh("asthma")
    assert "Gouty arthritis" not in live("asthma").rendered_body


def test_archived_and_deleted_articles_are_rendered_out_of_their_related():
    gout = factories.article("Gout")
    asthma = factories.article("Asthma")
    data = snapshots.take(asthma)
    data["related"] = [{"id": gout.pk, "slug": gout.slug}]
    services.update_article(condition=asthma, data=data)
    services.publish(condition=asthma)
    services.archive(condition=gout)
    assert 'href="/conditions/gout/"' not in live("asthma").rendered_body
    assert_fresh("asthma")
    services.delete_article(condition=asthma)
    assert not Condition.objects.live().filter(slug="asthma").exists()


def test_imported_articles_are_rendered(tmp_path):
    from tests.portability import empty_the_database

    gout = factories.article("Gout", figures=1)
    asthma = factories.article("Asthma")
    data = snapshots.take(asthma)
    data["related"] = [{"id": gout.pk, "slug": gout.slug}]
    services.update_article(condition=asthma, data=data)
    services.publish(condition=asthma)
    before = live("asthma").rendered_body
    call_command("export_content", str(tmp_path / "all.json"), stdout=StringIO())
    empty_the_database()
    call_command("import_content", str(tmp_path / "all.json"), stdout=StringIO())
    assert_fresh("gout")
    assert_fresh("asthma", 'href="/conditions/gout/"')
    # The same page, but for the handout's revision: an import gives
    # revisions new ids (and so new staff addresses).
    assert without_handout(live("asthma").rendered_body) == without_handout(before)
    assert f"Revision {live('asthma').live_revision_id}" in live("asthma").rendered_body


def test_page_cache_and_stored_rendering_agree_after_a_publish(client):
    gout = factories.article("Gout")
    client.get("/conditions/gout/")
    edit_and_publish(gout, summary="A new summary.")
    pagecache.clear()
    assert "A new summary." in client.get("/conditions/gout/").content.decode()
