"""manage.py rebuild_search_index: every live article indexed again."""

from io import StringIO

import pytest

from tests.conditions.search.helpers import found, make

pytestmark = pytest.mark.django_db


def test_rebuild_command_indexes_every_live_article(client):
    from django.core.management import call_command

    from conditions.models import SearchDocument

    make("Chorea", "Dance-like movements.")
    make("Dystonia", "Twisting.")
    make("Draft only", "Hidden.", publish=False)
    SearchDocument.objects.all().delete()
    assert found(client, "movements") == []
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue().strip() == "Indexed 2 published article(s)."
    assert found(client, "movements") == ["chorea"]
    assert found(client, "hidden") == []
