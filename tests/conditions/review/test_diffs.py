"""The comparison's diffs (conditions.review.diffs): words, and the order
of lists."""

import time

import pytest

from conditions.review.diffs import WORD_DIFF_BUDGET, word_diff


def test_a_rewritten_text_reads_whole_old_then_new_and_an_edit_word_by_word():
    old = "A simple drawing made for the healthlib demo, not a medical image"
    rewritten = "Drawing of the brain and spinal cord with nerves to the arm muscles"
    assert word_diff(old, rewritten) == f"<del>{old}</del> <ins>{rewritten}</ins>"
    edited = old.replace("simple", "plain")
    assert word_diff(old, edited) == (
        "A <del>simple</del><ins>plain</ins> drawing made for the healthlib demo, "
        "not a medical image"
    )


@pytest.mark.django_db
def test_word_diff_of_a_rewritten_long_section_is_bounded():
    old = " ".join(f"Old sentence number {i} about muscles." for i in range(400))
    new = " ".join(f"New sentence number {i} about nerves." for i in range(400))
    assert len(old.split()) * len(new.split()) > WORD_DIFF_BUDGET
    started = time.monotonic()
    html = word_diff(old, new)
    # A regression guard against the quadratic diff (30 s before), not a speed goal.
    assert time.monotonic() - started < 5
    assert "nerves" in html and "muscles" in html
