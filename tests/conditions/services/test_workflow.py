"""The workflow's services (conditions.services.workflow), called directly as
commands, the scheduler and the admin do: the publish gate a person must
pass, and a recorded review that leaves nothing to publish."""

import pytest

from conditions import services
from conditions.models import Condition
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_service_enforces_the_gate_for_people(reviewer):
    article = factories.article("Gout", publish=False)
    data = services.snapshots.take(article)
    data["sections"][0]["body"] = "[Gone](article:nowhere)"
    services.update_article(condition=article, data=data)
    with pytest.raises(services.GateClosed):
        services.publish(condition=article, user=reviewer)


def test_recording_a_review_leaves_nothing_to_publish(reviewer):
    article = factories.article("Gout")
    services.record_review(
        condition=article, user=reviewer, note="Still current", revision=article.live_revision_id
    )
    article.refresh_from_db()
    assert article.status == Condition.Status.PUBLISHED
    assert not article.has_unpublished_changes
    assert "publish" not in services.allowed_actions(reviewer, article)
