"""Handouts are built once per version and day (conditions.publishing.handouts):
counted builds, from the demo, through the readers' address."""

import datetime
import threading

import pytest
from django.core.cache import cache
from freezegun import freeze_time

from conditions import services
from conditions.models import Condition, Drug
from conditions.pages import handout
from conditions.publishing import handouts, snapshots
from tests import pdfs

pdfs.require_engine()

pytestmark = pytest.mark.django_db

EN = "/conditions/myoclonus/handout.pdf"
ES = "/es/conditions/mioclonia/handout.pdf"


@pytest.fixture
def builds(monkeypatch):
    """The handouts built, as (slug, date printed on)."""
    built = []
    real = handout.build

    def counting(live, *, printed_on=None):
        built.append((live.slug, printed_on))
        return real(live, printed_on=printed_on)

    monkeypatch.setattr(handout, "build", counting)
    return built


def get_pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def edit_and_publish(condition, **changes):
    data = snapshots.take(condition)
    data.update(changes)
    services.update_article(condition=condition, data=data)
    services.publish(condition=condition)


def test_a_handout_is_built_once_and_then_served_as_built(client, demo, builds):
    first = get_pdf(client, EN)
    assert get_pdf(client, EN) == first
    # A made-up query string is the same handout, not another build.
    assert get_pdf(client, EN + "?utm_source=x&v=2") == first
    assert len(builds) == 1
    # Each language's handout is its own.
    spanish = get_pdf(client, ES)
    assert get_pdf(client, ES) == spanish != first
    assert [slug for slug, _ in builds] == ["myoclonus", "mioclonia"]


def test_publishing_an_edit_builds_it_anew_with_the_new_text(client, demo, builds):
    before = pdfs.text(get_pdf(client, EN))
    old_revision = Condition.objects.live().get(slug="myoclonus").live_revision_id
    assert f"Version {old_revision} ·" in before
    sections = snapshots.take(demo)["sections"]
    sections[0]["body"] = "Myoclonus means quick jerks of a muscle, as the reviewers now say."
    edit_and_publish(demo, sections=sections)
    after = pdfs.text(get_pdf(client, EN))
    assert len(builds) == 2
    new_revision = Condition.objects.live().get(slug="myoclonus").live_revision_id
    assert new_revision != old_revision
    assert "as the reviewers now say" in after and "as the reviewers now say" not in before
    assert f"Version {new_revision} ·" in after
    get_pdf(client, EN)
    assert len(builds) == 2
    # The Spanish translation did not change: its handout stays.
    get_pdf(client, ES)
    get_pdf(client, ES)
    assert len(builds) == 3


def test_a_drug_renamed_builds_the_handouts_that_list_it_anew(client, demo, builds):
    """The article's revision stays the same: its page changed all the same."""
    revision = Condition.objects.live().get(slug="myoclonus").live_revision_id
    assert "Clonazepam" in pdfs.text(get_pdf(client, EN))
    drug = Drug.objects.get(slug="clonazepam")
    drug.name = "Clonazepam (Klonopin)"
    drug.save()
    assert "Clonazepam (Klonopin)" in pdfs.text(get_pdf(client, EN))
    assert Condition.objects.live().get(slug="myoclonus").live_revision_id == revision
    assert len(builds) == 2


def test_the_next_day_a_handout_is_printed_on_that_day(client, demo, builds):
    with freeze_time("2026-05-01 23:30"):
        assert "Printed on: May 1, 2026" in pdfs.text(get_pdf(client, EN))
        get_pdf(client, EN)
    with freeze_time("2026-05-02 00:10"):
        assert "Printed on: May 2, 2026" in pdfs.text(get_pdf(client, EN))
        get_pdf(client, EN)
    assert builds == [
        ("myoclonus", datetime.date(2026, 5, 1)),
        ("myoclonus", datetime.date(2026, 5, 2)),
    ]


def test_a_publish_or_a_withdrawal_forgets_the_stored_handout(client, demo):
    get_pdf(client, EN)
    assert cache.get(handouts.key(demo.pk)) is not None
    services.record_review(condition=demo, note="Checked again")
    assert cache.get(handouts.key(demo.pk)) is None
    get_pdf(client, EN)
    services.unpublish(condition=demo)
    assert cache.get(handouts.key(demo.pk)) is None
    assert client.get(EN).status_code == 404


def test_a_request_waits_for_anothers_build_of_the_same_handout(demo, builds, monkeypatch):
    monkeypatch.setattr(handouts, "POLL_SECONDS", 0.05)
    live = Condition.objects.live().get(slug="myoclonus")
    current = handouts.stamp(live, handouts.page_version("myoclonus", "en"))
    lock = f"handout-lock:{live.source_id}:{current.digest}"
    # Another request holds the lock, and nothing arrives: Busy, no build.
    assert cache.add(lock, 1)
    with pytest.raises(handouts.Busy):
        handouts.build(live, current, wait=0.2)
    assert builds == []
    # It stores its handout meanwhile: this request serves that one.
    entry = (current.digest, b"%PDF-1.7 the other one", '"etag"')
    timer = threading.Timer(0.1, lambda: cache.set(handouts.key(live.source_id), entry))
    timer.start()
    found = handouts.build(live, current, wait=5)
    timer.join()
    assert found.content == b"%PDF-1.7 the other one" and not found.built
    assert builds == []


def test_a_failed_build_releases_its_lock(demo, monkeypatch):
    live = Condition.objects.live().get(slug="myoclonus")
    current = handouts.stamp(live, handouts.page_version("myoclonus", "en"))

    def broken(live, *, printed_on=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(handout, "build", broken)
    with pytest.raises(RuntimeError):
        handouts.build(live, current)
    monkeypatch.undo()
    assert handouts.build(live, current, wait=0).built
