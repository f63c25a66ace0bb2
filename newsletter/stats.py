"""Honest statistics without tracking people.

What is recorded:

- **clicks per link per edition**: every web link in an edition's HTML
  part goes through ``/newsletter/click/<token>/``, whose signed token
  holds the edition and the address, nothing about the recipient (every
  recipient's copy has the same links). A click adds one to that link's
  count (``LinkClick``) and redirects. No cookie is set, and no address,
  IP, user agent or time of a click is stored;
- **unsubscribes, bounces and complaints per edition** (``EditionCounts``):
  each is counted against the last edition sent to the person when it
  happened; the count keeps no link to the person;
- sent and failed messages per edition (the deliveries, as before).

What is not: opens (no pixel, no remote images), who clicked, the plain
text part's links (left as they are, readable), anything from a test send.

The redirect goes only where a link of ours pointed: the token is signed
with SECRET_KEY, so nobody can make the site redirect elsewhere.
"""

import re
from html import unescape

from django.core import signing
from django.db import transaction
from django.db.models import F, Max, Sum
from django.urls import reverse
from django.utils.html import escape

from newsletter.models import Delivery, Edition, EditionCounts, LinkClick

CLICK_SALT = "newsletter.click"
_HREF_RE = re.compile(r'href="(https?://[^"]+)"')
COUNTED = ("unsubscribes", "bounces", "complaints")


class InvalidClick(Exception):
    pass


def click_token(edition_id, url):
    return signing.Signer(salt=CLICK_SALT).sign_object([edition_id, url], compress=True)


def read_click(token):
    """(edition id, address) of a click link; InvalidClick if not ours."""
    try:
        value = signing.Signer(salt=CLICK_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidClick
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
        or not value[1].startswith(("https://", "http://"))
    ):
        raise InvalidClick
    return value[0], value[1]


def track_links(html, *, edition_id, absolute_url, skip=()):
    """``html`` with its web links going through the click counter, except
    those containing any of ``skip`` (the unsubscribe link)."""

    def replace(match):
        url = unescape(match.group(1))
        if any(s in url for s in skip):
            return match.group(0)
        path = reverse("newsletter:click", args=[click_token(edition_id, url)])
        return f'href="{escape(absolute_url(path))}"'

    return _HREF_RE.sub(replace, html)


def record_click(edition_id, url):
    """Add one to the link's count. An edition deleted meanwhile: nothing."""
    if not Edition.objects.filter(pk=edition_id).exists():
        return
    with transaction.atomic():
        LinkClick.objects.get_or_create(edition_id=edition_id, url=url[:2000])
        LinkClick.objects.filter(edition_id=edition_id, url=url[:2000]).update(
            clicks=F("clicks") + 1
        )


def count_against_last_edition(subscribers, what):
    """Add one to ``what`` (unsubscribes, bounces, complaints) of the last
    edition sent to each of ``subscribers`` (a queryset)."""
    assert what in COUNTED
    editions = (
        Delivery.objects.filter(subscriber__in=subscribers, status=Delivery.Status.SENT)
        .values("subscriber")
        .annotate(last=Max("edition"))
        .values_list("last", flat=True)
    )
    for edition_id in list(editions):
        count(edition_id, what)


def count(edition_id, what, n=1):
    assert what in COUNTED
    with transaction.atomic():
        EditionCounts.objects.get_or_create(edition_id=edition_id)
        EditionCounts.objects.filter(edition_id=edition_id).update(**{what: F(what) + n})


def for_edition(edition):
    """The edition's numbers for the admin: sent, failed, clicks (total and
    per link, most first), unsubscribes, bounces, complaints."""
    deliveries = Delivery.objects.filter(edition=edition)
    counts = EditionCounts.objects.filter(edition=edition).first()
    links = list(LinkClick.objects.filter(edition=edition).order_by("-clicks", "url"))
    return {
        "sent": deliveries.filter(status=Delivery.Status.SENT).count(),
        "failed": deliveries.filter(status=Delivery.Status.FAILED).count(),
        "clicks": sum(link.clicks for link in links),
        "links": [(link.url, link.clicks) for link in links],
        **{name: getattr(counts, name, 0) for name in COUNTED},
    }


def over_time(newsletter, *, limit=12):
    """The last ``limit`` sent editions, oldest first, with their clicks,
    unsubscribes, bounces and complaints."""
    editions = list(
        Edition.objects.sources()
        .sent()
        .filter(newsletter=newsletter)
        .annotate(n_clicks=Sum("link_clicks__clicks"))
        .select_related("counts")
        .order_by("-sent_at", "-pk")[:limit]
    )
    rows = []
    for edition in reversed(editions):
        counts = getattr(edition, "counts", None)
        rows.append(
            {
                "edition": edition,
                "clicks": edition.n_clicks or 0,
                **{name: getattr(counts, name, 0) if counts else 0 for name in COUNTED},
            }
        )
    return rows
