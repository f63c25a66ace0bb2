"""The digest that drafts itself (newsletter.digests)."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions.models import Condition
from newsletter import audience, digests, emails, services
from newsletter.models import DigestSchedule, Edition, Subscriber

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)


def _article(title, *, first, last=None, note="", spanish=None, tags=()):
    """A working copy and its live copy published at ``first`` (and again
    at ``last`` with ``note``); with ``spanish``, a live translation."""
    slug = title.lower().replace(" ", "-")
    work = Condition.objects.create(title=title, slug=slug)
    notes = [{"date": (last or first).date().isoformat(), "note": note, "reviewer": "Dr R"}]
    Condition.objects.create(
        title=title, slug=slug, is_live=True, source=work, first_published_at=first,
        published_at=last or first, update_notes=notes if note else [],
    )  # fmt: skip
    work.tags.add(*tags)
    if spanish:
        work_es = Condition.objects.create(
            title=spanish, slug=spanish.lower(), language="es", translation_of=work
        )
        Condition.objects.create(
            title=spanish, slug=spanish.lower(), language="es", is_live=True, source=work_es,
            first_published_at=first, published_at=last or first,
        )  # fmt: skip
    return work


@pytest.fixture
def schedule(newsletter):
    schedule = DigestSchedule.objects.create(newsletter=newsletter, day=1)
    DigestSchedule.objects.filter(pk=schedule.pk).update(created_at=START)
    schedule.refresh_from_db()
    return schedule


def test_a_month_of_changes_becomes_a_draft_digest_in_each_subscribers_language(
    schedule, make_edition, make_subscribers
):
    [spanish_reader] = make_subscribers(1)
    Subscriber.objects.filter(pk=spanish_reader.pk).update(language="es")
    new = _article("Asthma", first=START + datetime.timedelta(days=3), spanish="Asma",
                   tags=["Lungs"])  # fmt: skip
    updated = _article(
        "Myoclonus", first=START - datetime.timedelta(days=90),
        last=START + datetime.timedelta(days=10), note="New drug treatments added.",
    )  # fmt: skip
    _article(
        "Gout", first=START - datetime.timedelta(days=90), last=START + datetime.timedelta(days=5)
    )  # fmt: skip  (republished, no note)
    _article("Old", first=START - datetime.timedelta(days=90))
    sent = make_edition("November", status=Edition.Status.SENT, summaries=2)
    Edition.objects.filter(pk=sent.pk).update(sent_at=START + datetime.timedelta(days=15))

    [digest] = digests.draft_due(now=NOW)

    assert digest.kind == Edition.Kind.DIGEST and not digest.is_sent
    assert digest.title == "Monthly digest: December 2026"
    assert "[Asthma](article:asthma)" in digest.intro
    assert "[Myoclonus](article:myoclonus): New drug treatments added." in digest.intro
    assert "Gout" not in digest.intro and "Old" not in digest.intro
    assert set(digest.articles.all()) == {new, updated}
    assert [s.headline for s in digest.summaries.all()] == [
        s.headline for s in sent.summaries.all()
    ]
    assert audience.edition_topic_ids(digest) >= set(new.tags.values_list("pk", flat=True))
    version = digest.translations.get()
    assert version.language == "es" and version.title == "Resumen mensual: diciembre de 2026"
    assert "[Asma](article:asma)" in version.intro
    assert "Artículos nuevos" in version.intro
    # Once per period; the next period starts where this one ended.
    assert digests.draft_due(now=NOW + datetime.timedelta(days=2)) == []
    schedule.refresh_from_db()
    assert schedule.covered_until == NOW and schedule.last_period == "2026-12"
    # It renders and goes to digest readers like any edition.
    assert "Asthma" in emails.render_edition(digest).text
    Subscriber.objects.filter(pk=spanish_reader.pk).update(frequency="monthly")
    assert list(services.due_subscribers(digest)) == [spanish_reader]


def test_no_draft_when_nothing_changed_and_none_before_the_day(schedule):
    _article("Old", first=START - datetime.timedelta(days=90))
    schedule.day = 2
    schedule.save()
    assert digests.draft_due(now=NOW) == []  # the 1st: not the day yet
    schedule.refresh_from_db()
    assert schedule.last_period == ""
    assert digests.draft_due(now=NOW + datetime.timedelta(days=1)) == []  # nothing changed
    assert not Edition.objects.exists()


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    every=st.sampled_from(list(DigestSchedule.Every)),
    day=st.integers(1, 7),
    dates=st.lists(st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)), max_size=6),
)
def test_at_most_one_draft_per_period_and_only_once_its_day_has_come(newsletter, every, day, dates):
    DigestSchedule.objects.all().delete()
    Edition.objects.all().delete()
    schedule = DigestSchedule.objects.create(newsletter=newsletter, every=every, day=day)
    drafted = set()
    for n, today in enumerate(sorted(dates)):
        now = datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC)
        # Something changed every time: a new edition sent just before.
        Edition.objects.create(
            newsletter=newsletter, title="E", slug=f"e-{n}",
            status=Edition.Status.SENT, sent_at=now - datetime.timedelta(minutes=1),
        ).summaries.create(headline="Finding")  # fmt: skip
        made = digests.draft_due(now=now)
        key, day_has_come = digests.period(schedule, timezone.localdate(now))
        assert bool(made) == (day_has_come and key not in drafted)
        if made:
            drafted.add(key)
    assert Edition.objects.filter(kind=Edition.Kind.DIGEST).count() == len(drafted)
