"""GET /api/changes/: the change feed (``conditions.partners.feed``), a
page at a time.

Each entry is one article or shared record at its latest change: the
article's whole answer, as GET /api/conditions/<slug>/ gives it in the
article's language, while it is published; a tombstone (no ``condition``)
once it is unpublished or deleted. An article is known by ``id`` (the same
across publications and new addresses); its old addresses are in
``previous_slugs``. A client keeps ``next_cursor`` and asks with it
again: applying the entries in order mirrors the library exactly.
"""

from typing import Annotated, Literal

from django.http import HttpResponse
from ninja import Field, Query, Schema
from pydantic import SkipValidation
from taggit.models import Tag

from conditions.api import MAX_PAGE_SIZE, schemas
from conditions.api.api import ApiError, api
from conditions.api.params import INVALID, Moment, pattern, whole_number
from conditions.api.parts import Answer, IsoDateTime, Language, Uri
from conditions.api.views import HEADERS, _described, article_answer, with_source
from conditions.models import Condition, Drug, Organization, SlugRedirect
from conditions.models.partners import (
    ACTION_CHOICES,
    CONDITION,
    DELETED,
    DRUG,
    KINDS,
    ORGANIZATION,
    TOPIC,
    UNPUBLISHED,
)
from conditions.pages.seo import absolute
from conditions.partners import feed

DEFAULT_PAGE_SIZE = 50
CURSOR_PATTERN = r"^[0-9a-z]{1,12}$"


def cursor_for(seq):
    """The opaque cursor after entry ``seq`` (base 36: short, and any
    well-formed value is a place in the feed)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        seq, digit = divmod(seq, 36)
        text = digits[digit] + text
        if not seq:
            return text


class ChangeParams(Schema):
    cursor: pattern(
        CURSOR_PATTERN, "cursor must be a next_cursor the feed gave, for example 1k."
    ) = Field(None, description="next_cursor from the previous page; absent: from the start.")
    since: Moment("since") = Field(
        None,
        description="Only things whose latest change is at or after this moment (UTC "
        "when no offset is given).",
    )
    page_size: whole_number("page_size", 1, MAX_PAGE_SIZE) = Field(
        DEFAULT_PAGE_SIZE, description=f"Entries per page (default {DEFAULT_PAGE_SIZE})."
    )


# The article's whole answer, already made by ``schemas.Condition``
# (validating it again would run its resolvers on it).
ArticleAnswer = Annotated[schemas.Condition | None, SkipValidation]


class Record(Answer):
    """A shared record as articles show it."""

    name: str
    slug: str | None = Field(description="Drugs and topics: their address.")
    url: Uri | None = Field(description="Organizations: their website.")


class Change(Answer):
    cursor: str = Field(description="The feed's place after this entry.")
    type: Literal[KINDS]
    id: int = Field(description="The article's (or record's) id, the same across changes.")
    action: Literal[tuple(a for a, _ in ACTION_CHOICES)]
    changed_at: IsoDateTime
    language: Language | None = Field(description="Articles: their language.")
    slug: str = Field(description="The address now, or the last one before it went away.")
    previous_slugs: list[str] = Field(
        description="Articles: their old addresses (readers are sent on from them)."
    )
    url: Uri | None
    api_url: Uri | None
    condition: ArticleAnswer = Field(
        description="Articles while published: the whole answer of api_url. None: a tombstone."
    )
    record: Record | None = Field(description="Drugs, organizations and topics; None: deleted.")


class ChangePage(Answer):
    results: list[Change]
    next_cursor: str = Field(description="Ask with it next (the same when nothing is new).")
    has_more: bool = Field(description="True: more entries follow at once.")


def _records(entries):
    ids = {}
    for entry in entries:
        ids.setdefault(entry.kind, set()).add(entry.object_id)
    found = {}
    for drug in Drug.objects.filter(pk__in=ids.get(DRUG, ())):
        found[DRUG, drug.pk] = {"name": drug.name, "slug": drug.slug, "url": None}
    for org in Organization.objects.filter(pk__in=ids.get(ORGANIZATION, ())):
        found[ORGANIZATION, org.pk] = {"name": org.name, "slug": None, "url": org.url or None}
    for tag in Tag.objects.filter(pk__in=ids.get(TOPIC, ())):
        found[TOPIC, tag.pk] = {"name": tag.name, "slug": tag.slug, "url": None}
    return found


def _entries(rows):
    """The answer's entries for the change log's ``rows``."""
    article_ids = [row.object_id for row in rows if row.kind == CONDITION]
    lives = {
        live.source_id: live
        for live in with_source(Condition.objects.live(language=None)).filter(
            source_id__in=article_ids
        )
    }
    previous = {}
    for source_id, old_slug in (
        SlugRedirect.objects.filter(condition_id__in=article_ids)
        .order_by("created_at", "pk")
        .values_list("condition_id", "old_slug")
    ):
        previous.setdefault(source_id, []).append(old_slug)
    # Taken down: unpublished while its working copy is kept, else deleted.
    kept = set(
        Condition.objects.editable(language=None)
        .filter(pk__in=article_ids)
        .values_list("pk", flat=True)
    )
    records = _records(rows)
    entries = []
    for row in rows:
        entry = {
            "cursor": cursor_for(row.seq),
            "type": row.kind,
            "id": row.object_id,
            "action": row.action,
            "changed_at": row.changed_at,
            "language": row.language or None,
            "slug": row.slug,
            "previous_slugs": [],
            "url": None,
            "api_url": None,
            "condition": None,
            "record": None,
        }
        if row.kind == CONDITION:
            live = lives.get(row.object_id)
            entry["previous_slugs"] = [s for s in previous.get(row.object_id, []) if s != row.slug]
            if live is None:
                entry["action"] = UNPUBLISHED if row.object_id in kept else DELETED
            else:
                answer, _modified = article_answer(live, live.language)
                entry["condition"] = answer
                entry["url"] = absolute(live.get_absolute_url())
                entry["api_url"] = schemas.api_url(live.slug, live.language)
        else:
            entry["record"] = records.get((row.kind, row.object_id))
        entries.append(entry)
    return entries


@api.read_only(
    "/changes/",
    url_name="changes",
    operation_id="listChanges",
    summary="Every change to published articles and shared records, in order",
    response={200: ChangePage, 304: None, 400: schemas.Error},
    openapi_extra=_described(
        "A page of the feed: each article or shared record changed after the cursor, once, "
        "at its latest change, oldest first.",
        {400: "A parameter is malformed."},
        headers={k: v for k, v in HEADERS.items() if k != "Content-Language"},
    ),
)
def changes(request, response: HttpResponse, params: Query[ChangeParams]):
    after = int(params.cursor, 36) if params.cursor else 0
    if after > 2**62:
        raise ApiError(400, INVALID, "cursor is not one the feed gave.", "cursor")
    rows, more = feed.page(after=after, since=params.since, limit=params.page_size)
    next_after = rows[-1].seq if rows else after
    return {
        "results": _entries(rows),
        "next_cursor": cursor_for(next_after),
        "has_more": more,
    }
