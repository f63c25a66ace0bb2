"""Articles as JSON-ready dicts. The shapes are described, field for field,
by ``conditions.api.openapi``; a test holds the two together."""

from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from conditions.models import codes
from conditions.pages.seo import absolute
from conditions.pages.translations import SOURCE_LANGUAGE, display_name


def _iso(value):
    return value.isoformat() if value is not None else None


def tag(t):
    # Named in the article's language where the view gave it a name there
    # (``selectors.with_topic_names``).
    return {"name": getattr(t, "display_name", t.name), "slug": t.slug}


def _tags(condition):
    return [tag(t) for t in condition.tags.all()]


def api_url(slug, language):
    """The API address of the article ``slug`` in ``language``: pinned with
    ``lang`` for a translation, so that following it gives that language
    whatever the client's Accept-Language."""
    url = reverse("api:condition", args=[slug])
    return absolute(url if language == SOURCE_LANGUAGE else f"{url}?lang={language}")


def _slug_of(page_url):
    # The article's page address ends with its slug (/es/conditions/gota/).
    return unquote(page_url.rstrip("/").rsplit("/", 1)[-1])


def language_versions(condition):
    """The article in the other languages it is published in, from the
    addresses its live copy keeps (``conditions.publishing.live``): no query."""
    return [
        {"language": code, "url": absolute(url), "api_url": api_url(_slug_of(url), code)}
        for code, url in sorted(condition.language_versions.items())
        if code != condition.language
    ]


def _translation_of(condition):
    """Where a translation comes from and whether it is behind its source;
    None on an English article. The view annotates ``source_slug`` and
    ``translated_from_at`` (``views.with_source``)."""
    if not condition.translation_of_id:
        return None
    english = condition.language_versions.get(SOURCE_LANGUAGE)
    slug = _slug_of(english) if english else getattr(condition, "source_slug", None)
    return {
        "language": SOURCE_LANGUAGE,
        "slug": slug,
        "url": absolute(english) if english else None,
        "api_url": api_url(slug, SOURCE_LANGUAGE) if english else None,
        "translated_from": _iso(getattr(condition, "translated_from_at", None)),
        "source_updated": condition.source_updated_at is not None,
        "source_updated_at": _iso(condition.source_updated_at),
    }


def condition_summary(condition, tags=None):
    """One article in a list (tags prefetched, or given)."""
    return {
        "slug": condition.slug,
        "language": condition.language,
        "title": condition.title,
        "alternate_names": condition.alternate_name_list,
        "summary": condition.summary,
        "audience": condition.audience,
        "tags": tags if tags is not None else _tags(condition),
        "last_reviewed": _iso(condition.last_reviewed),
        "published_at": _iso(condition.published_at),
        "updated_at": _iso(condition.updated_at),
        "url": absolute(condition.get_absolute_url()),
        "api_url": api_url(condition.slug, condition.language),
        "translations": language_versions(condition),
        "translation_of": _translation_of(condition),
    }


def _drug(drug):
    return {
        # In the response's language (the view activates it) when it has a name there.
        "name": display_name(drug),
        "slug": drug.slug,
        "other_names": drug.other_name_list,
        "rxnorm_code": drug.rxnorm_code or None,
        "url": absolute(drug.get_absolute_url()),
    }


def _reference(ref):
    return {
        "order": ref.order,
        "authors": ref.authors,
        "title": ref.title,
        "journal": ref.journal,
        "year": ref.year,
        "month": ref.month,
        "volume": ref.volume,
        "issue": ref.issue,
        "pages": ref.pages,
        "doi": ref.doi or None,
        "pmid": ref.pmid or None,
        # URIs, as documented: a stored URL may hold non-ASCII characters.
        "url": iri_to_uri(ref.url) or None,
        "link": ref.link or None,
        "citation": ref.ama_text(),
    }


def _figure(figure):
    return {
        "alt_text": figure.alt_text,
        "caption": figure.caption,
        "credit": figure.credit,
        "placement": figure.placement or None,
        "width": figure.width,
        "height": figure.height,
        "src": absolute(figure.src) if figure.src else None,
        "renditions": [
            {
                "width": r["width"],
                "height": r["height"],
                "url": absolute(default_storage.url(r["name"])),
            }
            for r in figure.renditions
        ],
    }


def _code(code):
    return {
        "system": code.system,
        "code": code.code,
        "system_name": codes.CODING_SYSTEM_NAMES.get(code.system, code.system),
        "system_oid": codes.OID_OF.get(code.system),
    }


def condition_detail(page, levels):
    """The whole article, from a ``selectors.ArticlePage`` and its reading
    levels (``selectors.reading_levels``)."""
    c = page.condition
    return {
        **condition_summary(c, tags=[tag(t) for t in page.tags]),
        "first_published_at": _iso(c.first_published_at),
        "review": {
            "last_reviewed": _iso(c.last_reviewed),
            "reviewer_name": c.reviewer_name,
            "reviewer_credentials": c.reviewer_credentials,
            "next_review_due": _iso(c.next_review_due),
        },
        "update_notes": [
            {"date": n.get("date"), "note": n.get("note", ""), "reviewer": n.get("reviewer", "")}
            for n in c.update_notes
        ],
        "codes": [_code(code) for code in page.codes],
        "sections": [
            {
                "kind": s.kind,
                "heading": s.display_heading,
                "order": s.order,
                "anchor": s.anchor,
                "markdown": s.body,
                "html": s.body_html,
                "readability": level,
            }
            for s, level in zip(page.sections, levels["sections"], strict=True)
        ],
        # The callout readers see first, with the number to call; the same
        # sections are also in "sections" (kind "urgent_help").
        "urgent_help": [
            {
                "heading": s.display_heading,
                "anchor": s.anchor,
                "markdown": s.body,
                "html": s.body_html,
                "emergency_number": settings.EMERGENCY_NUMBER,
            }
            for s in page.urgent_help
        ],
        "readability": levels["article"],
        "drug_groups": [
            {"heading": g.heading, "drugs": [_drug(d) for d in g.drugs]} for g in page.drug_groups
        ],
        "references": [_reference(r) for r in page.references],
        "organizations": [
            {"name": display_name(o), "url": iri_to_uri(o.url) or None, "region": o.region}
            for _, organizations in page.organizations_by_region
            for o in organizations
        ],
        "figures": [_figure(f) for f in page.figures],
        "related": [
            {
                "slug": r.slug,
                "title": r.title,
                "url": absolute(r.get_absolute_url()),
                "api_url": api_url(r.slug, r.language),
            }
            for r in page.related
        ],
    }
