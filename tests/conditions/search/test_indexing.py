"""The search index follows what is live (conditions.search.indexing)."""

import pytest

from conditions import services
from tests import factories
from tests.conditions.search.helpers import found, make

pytestmark = pytest.mark.django_db


def test_index_follows_publishing_at_once(client):
    draft = make("Chorea", "Dance-like movements.", publish=False)
    assert found(client, "chorea") == []
    services.publish(condition=draft)
    assert found(client, "chorea") == ["chorea"]

    # An edit is not searchable until it is published.
    data = factories.article_data("Chorea", sections=0, groups=0, references=0, tags=())
    data["sections"] = [{"kind": "definition", "heading": "", "body": "Writhing.", "order": 0}]
    data["title"], data["slug"] = "Huntington chorea", "huntington-chorea"
    draft = services.update_article(condition=draft, data=data)
    assert found(client, "writhing") == []
    services.publish(condition=draft)
    assert found(client, "writhing") == ["huntington-chorea"]
    assert found(client, "dance") == []

    services.unpublish(condition=draft)
    assert found(client, "chorea") == []
    assert found(client, "writhing") == []


def test_archived_and_draft_articles_are_never_found(client):
    gone = make("Obsolete syndrome", "Old text.")
    make("Unreleased syndrome", "New text.", publish=False)
    services.archive(condition=gone)
    assert found(client, "syndrome") == []
