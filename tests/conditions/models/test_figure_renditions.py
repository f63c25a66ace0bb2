"""A figure's renditions are made once, whatever copy of the figure is
saved, and go through the image's own storage (the local disk here; the
same code runs on a bucket in tests/healthlib/lib/test_s3_storage.py)."""

import threading
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from conditions.models import Figure
from tests import factories

pytestmark = pytest.mark.django_db


def _files(root):
    root = Path(root)
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def figure(settings):
    condition = factories.article("Tremor", publish=False)
    figure = Figure(
        condition=condition,
        image=factories.upload("pathways.png", width=700, height=400),
        alt_text="A diagram",
    )
    figure.save()
    return figure


def test_a_new_figure_stores_its_image_and_renditions_and_nothing_else(figure, settings):
    assert [r["width"] for r in figure.renditions] == [320, 640, 700]
    assert _files(settings.MEDIA_ROOT) == {figure.image.name} | {
        r["name"] for r in figure.renditions
    }
    assert Figure.objects.get(pk=figure.pk).renditions == figure.renditions


def test_a_copy_read_before_the_renditions_were_made_uses_them(figure, settings):
    stale = Figure.objects.get(pk=figure.pk)
    stale.renditions = []
    before = _files(settings.MEDIA_ROOT)
    stale.save()
    assert stale.renditions == figure.renditions
    assert _files(settings.MEDIA_ROOT) == before


def test_a_new_image_gets_renditions_of_its_own(figure, settings):
    old = figure.renditions
    figure.image = factories.upload("pathways.png", width=500, height=300)
    figure.save()
    assert [r["width"] for r in figure.renditions] == [320, 500]
    assert {r["source"] for r in figure.renditions} == {figure.image.name}
    assert not {r["name"] for r in old} & {r["name"] for r in figure.renditions}


class FigureSaves(RuleBasedStateMachine):
    """Copies of one figure, read at any moment, saved in any order, with
    or without a change of caption: the renditions are the first ones
    made, and the files on disk are the image and those, no more."""

    @initialize()
    def upload(self):
        # Each example in a savepoint of its own, rolled back after it.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        condition = factories.article("Tremor", publish=False)
        self.figure = Figure(
            condition=condition,
            image=factories.upload("pathways.png", width=400, height=200),
            alt_text="A diagram",
        )
        self.figure.save()
        self.made = self.figure.renditions
        self.copies = [Figure.objects.get(pk=self.figure.pk)]
        self.files = _files(self.root)

    root = None

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    @rule()
    def read_a_copy(self):
        self.copies.append(Figure.objects.get(pk=self.figure.pk))

    @rule(index=st.integers(0, 20), stale=st.booleans(), caption=st.text(max_size=10))
    def save_a_copy(self, index, stale, caption):
        copy = self.copies[index % len(self.copies)]
        if stale:
            copy.renditions = []  # read before the renditions were made
        copy.caption = caption
        copy.save()
        assert copy.renditions == self.made

    @invariant()
    def made_once(self):
        if self.root is not None and hasattr(self, "figure"):
            assert _files(self.root) == self.files
            assert Figure.objects.get(pk=self.figure.pk).renditions == self.made


def test_renditions_are_made_once_whatever_copy_is_saved(settings):
    FigureSaves.root = settings.MEDIA_ROOT
    FigureSaves.TestCase.settings = hsettings(
        max_examples=15,
        stateful_step_count=6,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    try:
        FigureSaves.TestCase().runTest()
    finally:
        FigureSaves.root = None


@pytest.mark.django_db(transaction=True)
def test_two_servers_saving_a_figure_at_once_make_its_renditions_once(settings):
    """Two app servers save the same figure, whose renditions were never
    made, at the same moment: the row lock lets one make them and the
    other use them. (SQLite has no row locks; one server is its use.)"""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    condition = factories.article("Tremor", publish=False)
    figure = Figure(
        condition=condition,
        image=factories.upload("pathways.png", width=400, height=200),
        alt_text="A diagram",
    )
    figure.save()
    for rendition in figure.renditions:
        figure.image.storage.delete(rendition["name"])
    Figure.objects.filter(pk=figure.pk).update(renditions=[])
    copies = [Figure.objects.get(pk=figure.pk) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def save(copy):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            copy.save()
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(copy,)) for copy in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert copies[0].renditions == copies[1].renditions
    assert [r["width"] for r in copies[0].renditions] == [320, 400]
    assert _files(settings.MEDIA_ROOT) == {figure.image.name} | {
        r["name"] for r in copies[0].renditions
    }
    assert Figure.objects.get(pk=figure.pk).renditions == copies[0].renditions
