"""Migration 0017 (search languages) on the database running the suite:
the index rows of Spanish articles already published get their language
and their folded copy, and on SQLite the FTS5 triggers come back, each
language's rows in its own tables."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("conditions", "0016_shared_record_names")]
AFTER = [("conditions", "0017_search_languages")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_published_translations_are_indexed_in_their_language(client):
    apps = _migrate(BEFORE)
    try:
        Condition = apps.get_model("conditions", "Condition")
        SearchDocument = apps.get_model("conditions", "SearchDocument")
        work = Condition.objects.create(title="Myoclonus", slug="myoclonus")
        english = Condition.objects.create(
            title="Myoclonus", slug="myoclonus", is_live=True, source=work
        )
        work_es = Condition.objects.create(
            title="Mioclonía", slug="mioclonia", language="es", translation_of=work
        )
        spanish = Condition.objects.create(
            title="Mioclonía",
            slug="mioclonia",
            is_live=True,
            language="es",
            source=work_es,
            translation_of=work,
        )
        for live, body in ((english, "Muscle jerks."), (spanish, "Sacudidas musculares.")):
            SearchDocument.objects.create(
                condition=live, slug=live.slug, title=live.title, body=body
            )
    finally:
        apps = _migrate(AFTER)
    SearchDocument = apps.get_model("conditions", "SearchDocument")
    rows = {d.slug: d for d in SearchDocument.objects.all()}
    assert rows["myoclonus"].language == "en" and rows["myoclonus"].index_title == ""
    assert rows["mioclonia"].language == "es" and rows["mioclonia"].index_title
    _migrate(_latest())
    from conditions.models import SearchDocument as Current
    from conditions.search import backend

    # The English row was written without its vectors (this test's doing);
    # the Spanish row's are the migration's.
    backend().after_write(language_codes=["en"])
    # Searchable at once in its language, and only there.
    assert Current.objects.filter(language="es").count() == 1
    html = client.get("/es/search/", {"q": "mioclonias"}).content.decode()
    assert re.findall(r'result-title"><a href="([^"]+)"', html) == ["/es/conditions/mioclonia/"]
    html = client.get("/search/", {"q": "sacudidas"}).content.decode()
    assert "result-title" not in html
    html = client.get("/search/", {"q": "jerks"}).content.decode()
    assert re.findall(r'result-title"><a href="([^"]+)"', html) == ["/conditions/myoclonus/"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'conditions_search_%'"
            )
            assert cursor.fetchone()[0] == 12


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
