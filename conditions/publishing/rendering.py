"""Articles rendered once, when they go live, not on every read.

Loading an article's parts takes about ten queries and rendering them
thousands of template look-ups; readers ask for the same article many times
between two publications. So the page of a live copy (its head metadata
with the JSON-LD, and its body: sections, drug groups, figures, resources,
references, revision information, topics, related articles) is rendered
when it is written and the HTML stored on the live copy. The page view
then reads one row and fills a thin template with what differs per request
(the sign-up form's CSRF token, related research).

A stored rendering must never be stale. It is a receiver of the one
live-change event (``conditions.publishing.events``), which runs in the
transaction of the change that makes it necessary: the live copy's own
writes, a shared record it shows (a drug, an organization, a topic), or
the title or address of an article it lists as related.

Each stored rendering carries ``version()``: a fingerprint of what it was
made from, found from the two templates alone (``healthlib.lib.fingerprint``):
every template they reach, the Python modules of the project that this
module, the templates' tag libraries and the date formats import (the
selectors, the JSON-LD in ``conditions.pages.seo``, ``Reference.ama()``…),
the apps' translations, and the settings those modules read (``SITE_URL``,
``MEDIA_URL``, ``EMERGENCY_NUMBER``…). It is computed once per process.
A page is rendered in its article's language. A rendering of another
version is not used (the page is rendered per request until
``rebuild_rendered_pages`` stores it again), so an upgrade can never show
readers the old markup, and nobody has a number to bump.
"""

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from conditions import selectors
from conditions.models import Condition
from healthlib.lib.context_processors import site
from healthlib.lib.fingerprint import Sources

HEAD_TEMPLATE = "conditions/_article_head.html"
BODY_TEMPLATE = "conditions/_article_body.html"
# The project: modules under it are read for the fingerprint.
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class RenderedArticle:
    head: SafeString
    body: SafeString


def version():
    """The fingerprint a rendering made now carries."""
    if settings.DEBUG:
        # Templates are edited while runserver runs: read them every time.
        return sources().digest()
    return sources().digest(_files_digest())


@functools.cache
def sources():
    """What a stored rendering is made from (``healthlib.lib.fingerprint``)."""
    return Sources.find(
        templates=(HEAD_TEMPLATE, BODY_TEMPLATE),
        modules=(__name__,),
        root=ROOT,
        # Django's file storage makes the figures' addresses from these.
        settings_read_elsewhere=("MEDIA_URL", "STORAGES"),
    )


@functools.cache
def _files_digest():
    return sources().files_digest()


# Settings that decide which files a page is made from.
_FILE_SETTINGS = {"TEMPLATES", "INSTALLED_APPS", "LOCALE_PATHS", "FORMAT_MODULE_PATH", "LANGUAGES"}


def _forget_files(setting, **kwargs):
    # Changed in tests (the other settings' values are read on each call).
    if setting in _FILE_SETTINGS:
        sources.cache_clear()
        _files_digest.cache_clear()


setting_changed.connect(_forget_files, dispatch_uid="conditions.publishing.rendering.version")


def render(page, *, preview=False):
    """The head and body of ``page`` (a ``selectors.ArticlePage``), in the
    article's language whatever the language of the request that made it
    go live (the admin's is English)."""
    # No request: nothing stored may depend on who asked.
    context = {"page": page, "preview": preview, **site(None)}
    with translation.override(page.condition.language):
        return RenderedArticle(
            # A template's output is already a SafeString.
            head=get_template(HEAD_TEMPLATE).render(context),
            body=get_template(BODY_TEMPLATE).render(context),
        )


def stored(live):
    """``live``'s stored rendering, or None when there is none of the current
    version (the caller renders the page itself)."""
    if not live.rendered_body or live.rendered_version != version():
        return None
    # Written only by store(), from the templates' escaped output.
    return RenderedArticle(
        head=mark_safe(live.rendered_head),  # noqa: S308
        body=mark_safe(live.rendered_body),  # noqa: S308
    )


def store(live):
    """Render the live copy ``live`` from the database and store the result.

    Call it inside the transaction that changed what the page shows, after
    the change, with ``live``'s row locked (saving it, or ``rerender``,
    locks it): a concurrent change of a shared record then waits for this
    transaction and renders after it, with both changes.
    """
    with translation.override(live.language):
        # Related articles and links are looked up in the article's language.
        rendered = render(selectors.article_page(live))
    fields = {
        "rendered_head": str(rendered.head),
        "rendered_body": str(rendered.body),
        "rendered_version": version(),
    }
    # update(), not save(): updated_at records editors' changes, not this.
    Condition.objects.filter(pk=live.pk).update(**fields)
    for name, value in fields.items():
        setattr(live, name, value)
    return rendered


def on_live_change(sender, change, **kwargs):
    """Receiver of the live-change event: store the written live copies'
    pages, and render again those that show what else changed."""
    written = set()
    for article in change.articles:
        if article.live is not None:
            store(article.live)
            written.add(article.live.pk)
    others = set()
    if not change.loaded:
        # Articles that list one as related show its title and link (only
        # while it is live).
        listed = [a.source_id for a in change.articles if a.listing_changed]
        if listed:
            related = Condition.objects.live(language=None).filter(related__in=listed)
            others.update(related.values_list("pk", flat=True))
    for record in change.records:
        others |= record.lives
    if others - written:
        rerender(Condition.objects.live(language=None).filter(pk__in=others - written))


@transaction.atomic
def rerender(queryset):
    """Render again the live copies in ``queryset`` (something they show
    changed). Returns how many."""
    ids = list(queryset.filter(is_live=True).values_list("pk", flat=True).distinct())
    if not ids:
        return 0
    # Locked in one order, so that two changes never wait for each other.
    lives = (
        Condition.objects.live(language=None).filter(pk__in=ids).select_for_update().order_by("pk")
    )
    count = 0
    for live in lives:
        store(live)
        count += 1
    return count


def rebuild(*, stale_only=False, batch=200, progress=None):
    """Render every live copy again (after an upgrade of the templates).
    Each batch is its own transaction. Returns how many were rendered."""
    lives = Condition.objects.live(language=None)
    if stale_only:
        lives = lives.exclude(rendered_version=version(), rendered_body__gt="")
    ids = list(lives.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        done += rerender(Condition.objects.live(language=None).filter(pk__in=chunk))
        if progress:
            progress(done, len(ids))
    return done
