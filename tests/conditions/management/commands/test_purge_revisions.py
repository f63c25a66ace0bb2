"""manage.py purge_revisions: old revisions go, the live, scheduled and
newest ones stay."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from conditions.models import Condition, Revision
from tests import factories
from tests.factories import add_revisions

pytestmark = pytest.mark.django_db


def test_purge_revisions_keeps_live_scheduled_and_newest(capsys):
    article = factories.article("Gout")
    live_id = Condition.objects.get(pk=article.pk).live_revision_id
    old = timezone.now() - datetime.timedelta(days=400)
    Revision.objects.filter(condition=article).update(created_at=old)
    snapshot = add_revisions(article, 20, "old", old, datetime.timedelta(minutes=1))
    scheduled = Revision.objects.create(
        condition=article, snapshot=snapshot, created_at=old, approved_go_live_at=timezone.now()
    )
    call_command("purge_revisions", "--keep", "3", "--older-than", "30")
    remaining = set(Revision.objects.filter(condition=article).values_list("pk", flat=True))
    assert live_id in remaining and scheduled.pk in remaining
    assert len(remaining) <= 3 + 2
    assert "Deleted" in capsys.readouterr().out
    with pytest.raises(Exception, match="--keep must be at least 1"):
        call_command("purge_revisions", "--keep", "0", "--older-than", "30")
