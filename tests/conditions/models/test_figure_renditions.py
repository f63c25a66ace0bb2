"""A figure's renditions are made once, whatever copy of the figure is
saved, and go through the image's own storage (the local disk here; the
same code runs on a bucket in tests/healthlib/lib/test_s3_storage.py)."""

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
