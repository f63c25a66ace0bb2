"""The search index follows what readers see: a receiver of the one
live-change event (``conditions.publishing.events``), in the transaction
of the change, so the index always agrees with the pages.

* An article's live copy written: its entry is written again; taken down:
  its entry goes (with the live copy's row).
* The drugs and topics it lists or listed: their documents are written
  again (a drug or topic is searchable while a published article lists
  it; a topic's document names its articles).
* A drug changed: its document, and the entries of the articles that list
  it (an article's entry holds its drugs' names); a topic changed: its
  document.
"""

from conditions import search
from conditions.models import Condition, SearchDocument
from conditions.publishing import events
from conditions.search.documents import live_conditions
from conditions.search.library import sync_for_articles


def on_live_change(sender, change, **kwargs):
    if change.loaded:
        for live in change.lives:
            search.index(live)
        search.sync(SearchDocument.Kind.DRUG)
        search.sync(SearchDocument.Kind.TOPIC)
        return
    drugs, topics = set(), set()
    for article in change.articles:
        if article.removed:
            search.remove(Condition(pk=article.source_id))
        else:
            search.index(article.live)
        for facts in (article.before, article.after):
            if facts is not None:
                drugs |= facts.drugs
                topics |= facts.topics
    sync_for_articles(drugs, topics)
    for record in change.records:
        if record.kind == events.DRUG:
            search.sync(SearchDocument.Kind.DRUG, [record.pk])
            for live in live_conditions().filter(pk__in=record.lives):
                search.index(live)
        elif record.kind == events.TOPIC:
            search.sync(SearchDocument.Kind.TOPIC, [record.pk])
