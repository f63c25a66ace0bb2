"""Who gets an edition: topics, frequency and pause (newsletter.audience),
as sending sees them (services.due_subscribers)."""

import datetime

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from taggit.models import Tag

from newsletter import audience, services
from newsletter.models import Edition, Subscriber

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)
CONFIRMED = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)


@pytest.fixture
def tags(db):
    return [Tag.objects.create(name=f"Topic {i}", slug=f"topic-{i}") for i in range(3)]


def _due(edition, today=TODAY):
    return set(audience.choosing(CONFIRMED.all(), edition, today=today))


def test_an_edition_has_the_topics_of_its_summaries_and_their_articles(
    make_edition, tags, library_topics
):
    edition = make_edition(summaries=2)
    first, second = edition.summaries.all()
    first.tags.add(tags[0])
    second.related_articles.add(library_topics)
    expected = {tags[0].pk, *library_topics.tags.values_list("pk", flat=True)}
    assert audience.edition_topic_ids(edition) == expected
    assert library_topics.tags.exists()  # the article's topics count


def test_no_topic_chosen_gets_everything_and_a_topic_edition_goes_to_its_readers(
    make_edition, make_subscribers, tags
):
    everything, cardiology, other = make_subscribers(3)
    cardiology.topics.set([tags[0]])
    other.topics.set([tags[1]])
    edition = make_edition()
    edition.summaries.get().tags.add(tags[0])
    assert set(services.due_subscribers(edition)) == {everything, cardiology}
    # An edition about nothing in particular goes to everyone.
    assert set(services.due_subscribers(make_edition())) == {everything, cardiology, other}


def test_monthly_readers_get_digests_only_and_paused_readers_nothing_until_the_day(
    make_edition, make_subscribers
):
    every, monthly, paused = make_subscribers(3)
    Subscriber.objects.filter(pk=monthly.pk).update(frequency=Subscriber.Frequency.MONTHLY)
    Subscriber.objects.filter(pk=paused.pk).update(paused_until=TODAY + datetime.timedelta(1))
    edition, digest = make_edition(), make_edition(kind=Edition.Kind.DIGEST)
    assert _due(edition) == {every}
    assert _due(digest) == {every, monthly}
    assert paused in _due(digest, TODAY + datetime.timedelta(1))


class Choices(RuleBasedStateMachine):
    """Any sequence of preference changes: the edition is due to exactly
    the subscribers whose choices, as the rule in newsletter.audience states
    it, take it; and the SQL and the Python rule agree."""

    def __init__(self, make_edition, subscriber, tags):
        super().__init__()
        self.subscriber, self.tags = subscriber, tags
        self.make_edition = make_edition

    @initialize(topics=st.sets(st.integers(0, 2)), kind=st.sampled_from(list(Edition.Kind)))
    def edition(self, topics, kind):
        self.edition = self.make_edition(kind=kind)
        self.edition_topics = topics
        self.edition.summaries.get().tags.set([self.tags[i] for i in topics])
        self.chosen, self.frequency, self.pause = set(), Subscriber.Frequency.EVERY, None
        self.subscriber.topics.clear()
        Subscriber.objects.filter(pk=self.subscriber.pk).update(
            frequency=self.frequency, paused_until=None
        )

    @rule(topics=st.sets(st.integers(0, 2)))
    def choose_topics(self, topics):
        self.subscriber.topics.set([self.tags[i] for i in topics])
        self.chosen = topics

    @rule(frequency=st.sampled_from(list(Subscriber.Frequency)))
    def choose_frequency(self, frequency):
        Subscriber.objects.filter(pk=self.subscriber.pk).update(frequency=frequency)
        self.frequency = frequency

    @rule(days=st.none() | st.integers(-3, 3))
    def pause(self, days):
        self.pause = None if days is None else TODAY + datetime.timedelta(days)
        Subscriber.objects.filter(pk=self.subscriber.pk).update(paused_until=self.pause)

    @invariant()
    def due_as_chosen(self):
        expected = (
            (not self.chosen or not self.edition_topics or bool(self.chosen & self.edition_topics))
            and (self.frequency == "every" or self.edition.kind == Edition.Kind.DIGEST)
            and (self.pause is None or self.pause <= TODAY)
        )
        subscriber = Subscriber.objects.get(pk=self.subscriber.pk)
        assert (subscriber in _due(self.edition)) is expected
        assert audience.wants(subscriber, self.edition, today=TODAY) is expected


def test_preference_changes_decide_who_gets_an_edition(make_edition, make_subscribers, tags):
    [subscriber] = make_subscribers(1)
    run_state_machine_as_test(
        lambda: Choices(make_edition, subscriber, tags),
        settings=settings(
            max_examples=25,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
