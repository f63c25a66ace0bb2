"""Every writer of what readers see sends the live-change event exactly
once per change, with the facts its receivers need; changes readers cannot
see send nothing; the derived stores are its receivers."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from conditions import services
from conditions.models import Condition, Drug, Organization, TopicName
from conditions.publishing import events, snapshots
from conditions.review import shared_records
from newsletter import services as newsletter_services
from newsletter.models import Edition, Newsletter, ResearchSummary
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """The changes sent while the test runs, in order."""
    changes = []

    def record(sender, change, **kwargs):
        changes.append(change)

    events.live_change.connect(record, dispatch_uid="test.record")
    yield changes
    events.live_change.disconnect(dispatch_uid="test.record")


def one(changes):
    assert len(changes) == 1, changes
    return changes.pop()


def edit(condition, **changes):
    condition.refresh_from_db()
    data = snapshots.take(condition)
    data.update(changes)
    services.update_article(condition=condition, data=data)


def test_the_derived_stores_are_receivers():
    receivers, async_receivers = events.live_change._live_receivers(None)
    names = {f"{r.__module__}.{r.__name__}" for r in receivers}
    assert async_receivers == []
    assert names == {
        "conditions.publishing.rendering.on_live_change",
        "conditions.publishing.invalidation.on_live_change",
        "conditions.search.indexing.on_live_change",
        "conditions.review.content_checks.on_live_change",
        "conditions.publishing.edge.on_live_change",
        "conditions.partners.feed.on_live_change",
        "conditions.publishing.handouts.on_live_change",
        "newsletter.cached_pages.on_live_change",
        "healthlib.search_sources.on_live_change",
    }


def test_each_write_of_an_articles_live_copy_sends_one_event(sent):
    gout = factories.article("Gout", tags=["Joints"])
    first = one(sent).articles[0]
    assert first.before is None and first.live.slug == "gout"
    assert first.after.topics == {"joints"} and first.after.drugs

    edit(gout, title="Gout")
    assert sent == []  # a draft readers cannot see
    edit(gout, slug="gouty-arthritis", title="Gouty arthritis")
    services.publish(condition=gout)
    article = one(sent).articles[0]
    assert (article.old_slug, article.live.slug) == ("gout", "gouty-arthritis")
    assert article.before.title == "Gout" and article.after.title == "Gouty arthritis"
    assert article.listing_changed

    services.record_review(condition=gout, note="Checked")
    article = one(sent).articles[0]
    assert article.before.listing == article.after.listing

    edit(gout, summary="Scheduled.")
    services.publish(condition=gout, go_live_at=timezone.now() + datetime.timedelta(minutes=5))
    assert sent == []
    services.publish_scheduled(now=timezone.now() + datetime.timedelta(minutes=10))
    assert one(sent).articles[0].after.summary == "Scheduled."

    services.unpublish(condition=gout)
    article = one(sent).articles[0]
    assert article.removed and article.before.slug == "gouty-arthritis"
    services.publish(condition=gout)
    one(sent)
    services.archive(condition=gout)
    assert one(sent).articles[0].removed


def test_a_translation_going_live_names_the_pages_whose_switcher_changed(sent):
    gout = factories.article("Gout")
    sent.clear()
    spanish = services.create_translation(source=gout, language="es")
    services.publish(condition=spanish)
    change = one(sent)
    assert [a.live.language for a in change.articles] == ["es"]
    assert [p.slug for p in change.pages] == ["gout"]
    # The English article going live again: the translation lags behind it.
    edit(gout, summary="New.")
    services.publish(condition=gout)
    change = one(sent)
    assert [p.language for p in change.pages] == ["es"]


def test_deleting_an_article_sends_one_event_per_live_copy(sent):
    gout = factories.article("Gout")
    services.publish(condition=services.create_translation(source=gout, language="es"))
    sent.clear()
    services.delete_article(condition=gout, user=User.objects.create_superuser("a"))
    assert len(sent) == 2 and all(c.articles[0].removed for c in sent)


def test_a_load_sends_one_event(tmp_path, sent):
    from tests.portability import empty_the_database

    factories.article("Gout")
    factories.article("Asthma")
    call_command("export_content", str(tmp_path / "all.json"), stdout=StringIO())
    empty_the_database()
    sent.clear()
    call_command("import_content", str(tmp_path / "all.json"), stdout=StringIO())
    change = one(sent)
    assert change.loaded and sorted(live.slug for live in change.lives) == ["asthma", "gout"]


def test_each_change_of_a_shown_shared_record_sends_one_event(sent, reviewer):
    factories.article("Gout", groups=1, drugs_per_group=1, organizations=1, tags=["Joints"])
    live = Condition.objects.live().get(slug="gout")
    sent.clear()

    drug = Drug.objects.get(name="Drug 0-0")
    drug.name, drug.slug = "Renamed", "renamed"
    drug.save()
    record = one(sent).records[0]
    assert (record.kind, record.slug, record.old_slug) == ("drug", "renamed", "drug-0-0")
    assert record.lives == {live.pk}

    organization = Organization.objects.get(name="Organization 0")
    organization.url = "https://new.example.org/"
    organization.save()
    assert one(sent).records[0].kind == "organization"

    tag = Tag.objects.get(name="Joints")
    tag.name, tag.slug = "Bones", "bones"
    tag.save()
    record = one(sent).records[0]
    assert (record.kind, record.slug, record.old_slug) == ("topic", "bones", "joints")
    TopicName.objects.create(tag=tag, language="es", name="Huesos")
    assert one(sent).records[0].pk == tag.pk

    pending = shared_records.propose(record=drug, changes={"name": "Proposed"}, user=reviewer)
    assert sent == []
    shared_records.approve(pending=pending, user=reviewer)
    assert one(sent).records[0].pk == drug.pk

    tag.delete()  # its Spanish name goes with it: still one event
    record = one(sent).records[0]
    assert record.deleted and record.lives == {live.pk}


def test_records_no_published_article_shows_send_nothing(sent):
    factories.article("Draft", publish=False, groups=1, drugs_per_group=1, tags=["Joints"])
    sent.clear()
    drug = Drug.objects.get(name="Drug 0-0")
    drug.name = "Renamed"
    drug.save()
    Drug.objects.create(name="New", slug="new")
    Tag.objects.get(name="Joints").delete()
    assert sent == []


def test_each_change_of_research_readers_see_sends_one_event(sent):
    article = factories.article("Asthma")
    newsletter = Newsletter.objects.create(name="Research")
    edition = Edition.objects.create(newsletter=newsletter, title="March", slug="march")
    summary = ResearchSummary.objects.create(edition=edition, headline="Inhalers", body="x")
    summary.related_articles.add(article)
    sent.clear()
    summary.headline = "Draft edit"
    summary.save()
    assert sent == []  # a draft edition: readers see none of it

    newsletter_services.mark_sent(edition=edition)
    research = one(sent).research
    assert research.editions == {edition.pk} and research.summaries == {summary.pk}
    assert research.articles == {article.pk}

    summary.headline = "Inhalers help"
    summary.save()
    assert one(sent).research.summaries == {summary.pk}
    summary.related_articles.remove(article)
    assert one(sent).research.articles == {article.pk}
    other = ResearchSummary.objects.create(edition=edition, headline="Other", body="y")
    other_pk = other.pk
    assert one(sent).research.summaries == {other_pk}
    other.delete()
    assert one(sent).research.summaries == {other_pk}

    edition_pk = edition.pk
    edition.delete()  # its summaries go with it: one event
    research = one(sent).research
    assert research.editions == {edition_pk} and research.summaries == {summary.pk}
