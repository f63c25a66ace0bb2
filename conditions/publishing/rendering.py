"""Articles rendered once, when they go live, not on every read.

Loading an article's parts takes about ten queries and rendering them
thousands of template look-ups; readers ask for the same article many times
between two publications. So the one live-change event (``conditions.publishing.live``)
renders the live copy's page (its head metadata with the JSON-LD, and its
body: sections, drug groups, figures, resources, references, revision
information, topics, related articles) and stores the HTML on the live copy.
The page view then reads one row and fills a thin template with what
differs per request (the sign-up form's CSRF token, related research).

A stored rendering must never be stale. It is written in the same
transaction as the change that makes it necessary:

* the live copy's own writes (``conditions.publishing.live``);
* a shared record it shows changing: a drug, an organization, a topic
  (``conditions.publishing.signals``), or the title or address of an article it lists
  as related (``conditions.publishing.live``).

Each stored rendering carries ``version()``: a digest of the templates it
was made from, the interface's translations (``locale/*/LC_MESSAGES/*.po``
of the apps) and the settings it depends on (``SITE_URL``, ``MEDIA_URL``,
``EMERGENCY_NUMBER``). A page is rendered in its article's language.
A rendering of another version is not used (the page is rendered per
request until ``rebuild_rendered_pages`` stores it again), so an upgrade of
the templates can never show readers the old markup.
"""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from conditions import selectors
from conditions.models import Condition
from healthlib.lib.context_processors import site

HEAD_TEMPLATE = "conditions/_article_head.html"
BODY_TEMPLATE = "conditions/_article_body.html"
# Every template a stored rendering is made from (the two above include the rest).
TEMPLATES = (
    HEAD_TEMPLATE,
    BODY_TEMPLATE,
    "conditions/_article_meta.html",
    "conditions/_drug_groups.html",
    "conditions/_figure.html",
    "conditions/_urgent_help.html",
    "conditions/_handout.html",
)
# Raise when Python code that shapes the stored HTML changes (the JSON-LD in
# seo.py, Reference.ama(), Figure.srcset, the date format...): templates are
# digested automatically, code is not.
# 2: urgent help in the JSON-LD (seo.py); 3: translated, dates per language;
# 4: drugs, organizations and topics named in the page's language.
FORMAT = 4
# The catalogs the stored pages' words come from.
CATALOGS = sorted(
    path
    for app in ("conditions", "healthlib")
    for path in (Path(__file__).resolve().parent.parent / app / "locale").glob(
        "*/LC_MESSAGES/django.po"
    )
)


@dataclass(frozen=True)
class RenderedArticle:
    head: SafeString
    body: SafeString


def version():
    """Which templates and settings a rendering made now would come from."""
    if settings.DEBUG:
        # Templates are edited while runserver runs: digest them every time.
        return _digest.__wrapped__(settings.SITE_URL, settings.MEDIA_URL, settings.EMERGENCY_NUMBER)
    return _digest(settings.SITE_URL, settings.MEDIA_URL, settings.EMERGENCY_NUMBER)


@functools.lru_cache(maxsize=4)
def _digest(site_url, media_url, emergency_number):
    # SITE_URL makes the share links, the JSON-LD and the handout's
    # addresses; MEDIA_URL the figures'; EMERGENCY_NUMBER the urgent help.
    digest = hashlib.sha256(f"{FORMAT}\n{site_url}\n{media_url}\n{emergency_number}\n".encode())
    for name in TEMPLATES:
        digest.update(get_template(name).template.source.encode())
    for path in CATALOGS:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


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


@transaction.atomic
def rerender(queryset):
    """Render again the live copies in ``queryset`` (something they show
    changed). Returns how many."""
    ids = list(queryset.filter(is_live=True).values_list("pk", flat=True).distinct())
    if not ids:
        return 0
    # Locked in one order, so that two changes never wait for each other.
    lives = Condition.objects.filter(pk__in=ids).select_for_update().order_by("pk")
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
        done += rerender(Condition.objects.filter(pk__in=ids[start : start + batch]))
        if progress:
            progress(done, len(ids))
    return done
