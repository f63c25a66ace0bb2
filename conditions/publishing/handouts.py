"""PDF handouts, each built at most once per version of its article and day.

A handout takes about a second of CPU to build (``conditions.pages.handout``)
and readers ask for the same one many times, so each is kept in Django's
cache (the default one: Redis, shared by every app server, in production).
Not in the media storage: nothing needs to outlive the day it was printed
on, an entry that is lost costs one build, and the cache needs no table to
find a file again nor a sweep of old ones.

An entry (one per article and language, ``key``) holds the PDF with the
``Stamp`` it was built under, and is served only while the stamp is still
current:

* the live revision's number, which the handout prints;
* the version of the article's page in the page cache (its tag
  ``article:<slug>``, ``conditions.publishing.invalidation``): bumped by
  the live-change event for everything the page shows, a publish, a
  recorded review, a renamed drug or organization, a related article's
  new title. It is read before the article's row, as the page cache reads
  it, so a build that read the rows before a change never passes for one
  made after it;
* the day, since the handout says "Printed on": a handout downloaded
  tomorrow is built again, with tomorrow's date (at most one build per
  article and language a day, however many readers);
* ``handout.version()``: its template, stylesheets, code and WeasyPrint's
  version (a release that changes them builds anew).

This module is also a receiver of the live-change event
(``conditions.publishing.events``): the articles written or taken down
lose their entry at once, rather than keeping a stale PDF in the cache
until it expires.

While one request builds a handout, others asking for the same one wait
for it (up to ``WAIT_SECONDS``) instead of building it too.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from conditions.pages import handout
from conditions.publishing import invalidation
from healthlib.lib.http import body_etag
from healthlib.lib.pagecache import current_versions

# An entry outlives its day by a little at most: the next day's stamp differs.
TIMEOUT = 26 * 3600
# How long a request waits for another one's build of the same handout.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.2
# A build that crashed without releasing its lock holds it this long.
LOCK_SECONDS = 60


class Busy(Exception):
    """Another request is building this handout and did not finish in time."""


@dataclass(frozen=True)
class Handout:
    content: bytes
    etag: str
    built: bool  # by this request


@dataclass(frozen=True)
class Stamp:
    """What a stored handout must have been built under to be served."""

    revision: int | None
    day: object  # datetime.date: the "Printed on" date
    page: str  # the article page's version in the page cache
    version: str  # handout.version()

    @property
    def digest(self):
        text = f"{self.revision}\n{self.day.isoformat()}\n{self.page}\n{self.version}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def page_version(slug, language):
    """The version of the article page at ``slug`` in ``language``. Read it
    before the article's row."""
    return "".join(current_versions([invalidation.article_tag(slug)], language))


def stamp(live, page, day=None):
    """The stamp a handout of ``live`` built now carries (``page`` from
    ``page_version``, read earlier)."""
    return Stamp(
        revision=live.live_revision_id,
        day=day or handout.today(),
        page=page,
        version=handout.version(),
    )


def key(source_id):
    """The cache key of the handout of the article whose working copy is
    ``source_id`` (one per language: each has its own working copy)."""
    return f"handout:{source_id}"


def stored(live, current):
    """The stored handout of ``live`` if it was built under ``current``."""
    entry = cache.get(key(live.source_id))
    if entry is None or len(entry) != 3 or entry[0] != current.digest:
        return None
    return Handout(content=entry[1], etag=entry[2], built=False)


def build(live, current, *, wait=WAIT_SECONDS):
    """Build the handout of ``live`` under ``current`` and store it, unless
    another request is building it: then wait for that one (``Busy`` when
    it takes longer than ``wait`` seconds). Raises
    ``healthlib.lib.pdf.PdfUnavailable`` where PDFs cannot be made."""
    lock = f"handout-lock:{live.source_id}:{current.digest}"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        return _wait_for(live, current, wait)
    try:
        content = handout.build(live, printed_on=current.day)
        etag = body_etag(content)
        cache.set(key(live.source_id), (current.digest, content, etag), TIMEOUT)
    finally:
        cache.delete(lock)
    return Handout(content=content, etag=etag, built=True)


def _wait_for(live, current, wait):
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        found = stored(live, current)
        if found is not None:
            return found
    raise Busy


def on_live_change(sender, change, **kwargs):
    """Receiver of the live-change event: forget the handouts of the
    articles written or taken down, at once and again at the commit (a
    build that read the rows before it may have stored one since; its
    stamp is stale anyway)."""
    keys = [key(article.source_id) for article in change.articles]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
