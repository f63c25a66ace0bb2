"""Who gets an edition: the readers' choices (the preference page) applied
to the confirmed subscribers.

An edition's **topics** are the topics (tags) of its research summaries, of
the articles those summaries are about, and of the articles it reports on
(a digest's new and updated articles). A subscriber gets an edition
when all of these hold:

- they chose no topic (they get everything), or the edition has no topic
  (it is about everything), or the two share at least one topic;
- they want every edition, or the edition is a monthly digest (a digest
  goes to every subscriber whatever the frequency they chose);
- they are not paused: no ``paused_until``, or that day has come.

The language they chose picks the version they get (emails.render_versions).
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from taggit.models import Tag

from conditions.models import Condition
from newsletter.models import Edition, ResearchSummary, Subscriber


def edition_topic_ids(edition):
    """The ids of ``edition``'s topics (of the English edition)."""
    source = edition.source
    summaries = ResearchSummary.objects.filter(edition=source)
    # Both copies, on purpose: an edition names whichever copy its editor
    # picked, and either one's topics are the article's.
    articles = Condition.objects.both().filter(
        Q(research_summaries__edition=source) | Q(newsletter_editions=source)
    )
    return set(
        Tag.objects.filter(
            Q(pk__in=ResearchSummary.tags.through.objects.filter(
                object_id__in=summaries.values("pk"),
                content_type__app_label="newsletter",
                content_type__model="researchsummary",
            ).values("tag_id"))
            | Q(pk__in=Condition.tags.through.objects.filter(
                object_id__in=articles.values("pk"),
                content_type__app_label="conditions",
                content_type__model="condition",
            ).values("tag_id"))
        ).values_list("pk", flat=True)
    )  # fmt: skip


def choosing(subscribers, edition, *, today=None):
    """``subscribers`` narrowed to those whose choices take ``edition``."""
    today = today or timezone.localdate()
    subscribers = subscribers.filter(Q(paused_until__isnull=True) | Q(paused_until__lte=today))
    if edition.source.kind != Edition.Kind.DIGEST:
        subscribers = subscribers.filter(frequency=Subscriber.Frequency.EVERY)
    topics = edition_topic_ids(edition)
    if topics:
        chosen = Subscriber.topics.through.objects.filter(subscriber=OuterRef("pk"))
        subscribers = subscribers.filter(~Exists(chosen) | Exists(chosen.filter(tag_id__in=topics)))
    return subscribers


def wants(subscriber, edition, *, today=None, topics=None):
    """The same rule for one subscriber, in Python (tests and the admin)."""
    today = today or timezone.localdate()
    if subscriber.paused_until is not None and subscriber.paused_until > today:
        return False
    if (
        edition.source.kind != Edition.Kind.DIGEST
        and subscriber.frequency != Subscriber.Frequency.EVERY
    ):
        return False
    topics = edition_topic_ids(edition) if topics is None else topics
    chosen = set(subscriber.topics.values_list("pk", flat=True))
    return not topics or not chosen or bool(chosen & topics)
