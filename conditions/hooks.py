"""What else must follow when an article's live copy changes.

Publishing calls these inside its transaction, so whatever hangs off the
live copy (the search index, cached pages) changes in the same commit.
"""


def live_changed(live, *, old_slug=None):
    """``live`` was just (re)written from a revision."""
    from . import search

    search.index(live)


def live_removed(condition, *, slug):
    """The live copy of ``condition``, served at ``slug``, was taken down."""
    from . import search

    search.remove(condition)
