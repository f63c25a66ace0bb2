"""The API's operations, on ``api.api``: each finds the published articles
asked for and answers with a schema (``schemas``); the parameters are
checked before it runs (``params``). What every answer shares (headers,
ETag, errors, other methods) is the API's (``api``)."""

from calendar import timegm

from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpResponse
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import Query
from ninja.responses import Status

from conditions import selectors
from conditions.api import INFOBUTTON_LANGUAGE_ALIASES, infobutton, schemas
from conditions.api.api import ApiError, api
from conditions.api.params import DetailParams, ListParams, LookupParams, accept_language_header
from conditions.models import Condition, codes
from conditions.pages.seo import absolute
from conditions.pages.translations import SOURCE_LANGUAGE, language_name
from healthlib.lib.errors import json_error


def accepted_language(header):
    """The library's language the client prefers most in ``header`` (an
    Accept-Language value), q-values honoured; English when none fits.
    ``*`` stands for any language, so English at its q-value."""
    for code, quality in parse_accept_lang_header(header or ""):
        if quality <= 0:  # q=0: "not this one"
            continue
        if code == "*":
            return SOURCE_LANGUAGE
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return SOURCE_LANGUAGE


def with_source(queryset):
    """What the API says about a translation's source, in the same query."""
    return queryset.annotate(
        source_slug=F("translation_of__slug"), translated_from_at=F("translated_from__created_at")
    )


def _name_topics(conditions):
    """Name the (prefetched) topics of ``conditions`` in each one's language:
    one query per language other than English."""
    by_language = {}
    for condition in conditions:
        by_language.setdefault(condition.language, []).extend(condition.tags.all())
    for language, tags in by_language.items():
        selectors.with_topic_names(tags, language)


def _page_url(request, number):
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


HEADERS = {
    "ETag": {"description": "Send back in If-None-Match.", "schema": {"type": "string"}},
    "Content-Language": {
        "description": "The language of the answer (languages, comma separated, when a lookup "
        "falls back to English for some articles).",
        "schema": {"type": "string"},
    },
    "Vary": {"description": "Includes Accept-Language.", "schema": {"type": "string"}},
}
LAST_MODIFIED = {
    "Last-Modified": {
        "description": "Send back in If-Modified-Since.",
        "schema": {"type": "string"},
    }
}


def _described(ok, errors, headers=HEADERS):
    """What the OpenAPI document says of each answer, beyond its schema."""
    return {
        "responses": {
            200: {"description": ok, "headers": headers},
            304: {"description": "Not modified since the ETag or date the client sent."},
            **{status: {"description": text} for status, text in errors.items()},
        }
    }


@api.read_only(
    "/conditions/",
    url_name="conditions",
    operation_id="listConditions",
    summary="Published articles, by title, a page at a time",
    response={200: schemas.ConditionList, 304: None, (400, 404): schemas.Error},
    openapi_extra=_described(
        "A page of the articles published in the language; articles not translated into it "
        "are not listed.",
        {400: "A parameter is malformed.", 404: "The page is past the last one."},
    ),
)
def condition_list(
    request,
    response: HttpResponse,
    params: Query[ListParams],
    accept_language: str = accept_language_header(),
):
    language = params.lang or accepted_language(accept_language)
    # Articles not published in the language are not listed.
    found = Condition.objects.live(language)
    if params.letter is not None:
        letter = params.letter.lower()
        if letter == "0-9":
            found = found.exclude(title__regex=r"^[A-Za-z]")
        else:
            found = found.filter(title__istartswith=letter)
    if params.tag:
        found = found.filter(tags__slug=params.tag)
    if params.updated_since is not None:
        found = found.filter(updated_at__gte=params.updated_since)
    # Page through ids only (an index scan), then load that page's rows: a
    # deep OFFSET then skips index entries instead of whole rows.
    paginator = Paginator(
        found.order_by("title", "pk").values_list("pk", flat=True), params.page_size
    )
    number = params.page
    if number > paginator.num_pages:
        raise ApiError(
            404, "page_not_found", f"There are only {paginator.num_pages} page(s).", "page"
        )
    page = paginator.page(number)
    page_ids = list(page.object_list)
    rows = with_source(Condition.objects.live(language).filter(pk__in=page_ids))
    rows = rows.prefetch_related("tags")
    rows = rows.in_bulk()
    _name_topics(rows.values())
    response["Content-Language"] = language
    return {
        "language": language,
        "count": paginator.count,
        "page": number,
        "page_size": params.page_size,
        "num_pages": paginator.num_pages,
        "next": _page_url(request, number + 1) if page.has_next() else None,
        "previous": _page_url(request, number - 1) if page.has_previous() else None,
        "results": [rows[pk] for pk in page_ids],
    }


def _missing(code, message, translations=None):
    """An article's 404: an answer like the others (any origin may read it,
    anyone may keep it), unlike a refusal."""
    error = {"status": 404, "code": code, "message": message}
    if translations is not None:
        error["translations"] = translations
    return Status(404, {"error": error})


def _not_in_language(slug, language):
    """The 404 for ``slug`` in ``language``: naming the article in the
    languages it is published in when the slug is one of its addresses
    (an English-only article asked for in Spanish)."""
    other = (
        Condition.objects.live(language=None)
        .filter(slug=slug)
        .only("title", "slug", "language", "language_versions")
        .order_by("language")
        .first()
    )
    if other is None:
        return _missing("not_found", f"No published article at /conditions/{slug}/.")
    # Never in ``language`` (it would have been found): itself, then its others.
    versions = [
        {
            "language": other.language,
            "url": absolute(other.get_absolute_url()),
            "api_url": schemas.api_url(other.slug, other.language),
        },
        *schemas.language_versions(other),
    ]
    asked = next((v for v in versions if v["language"] == language), None)
    if asked is not None:
        # Published in the language asked for, under its own slug there.
        return _missing(
            "not_found",
            f"/conditions/{slug}/ is the {language_name(other.language)} article "
            f"“{other.title}”; in {language_name(language)} it is at {asked['api_url']}.",
            versions,
        )
    where = ", ".join(f"in {language_name(v['language'])} at {v['api_url']}" for v in versions)
    return _missing(
        "not_translated",
        f"“{other.title}” is not published in {language_name(language)}; read it {where}.",
        versions,
    )


@api.read_only(
    "/conditions/{slug:slug}/",
    url_name="condition",
    operation_id="getCondition",
    summary="One published article, whole",
    response={200: schemas.Condition, 304: None, (400, 404): schemas.Error},
    openapi_extra=_described(
        "The article.",
        {
            400: "lang is not one of the library's languages.",
            404: "No published article has this slug in the language asked for. When the slug "
            "is an article's in another language, the error lists where it is published "
            '("translations"): code "not_translated" when it is not published in the language '
            'asked for (an English article not translated yet), "not_found" when it is, under '
            "another slug.",
        },
        headers={**HEADERS, **LAST_MODIFIED},
    ),
)
def condition_detail(
    request,
    response: HttpResponse,
    slug: str,
    params: Query[DetailParams],
    accept_language: str = accept_language_header(),
):
    language = params.lang or accepted_language(accept_language)
    found = with_source(Condition.objects.live(language))
    # The article's address in its own language, or (a client that knows
    # the English article) its source's address.
    condition = found.filter(slug=slug).first()
    if condition is None and language != SOURCE_LANGUAGE:
        condition = found.filter(translation_of__live_copy__slug=slug).first()
    if condition is None:
        return _not_in_language(slug, language)
    answer, last_modified = article_answer(condition, language)
    response["Content-Language"] = language
    response["Last-Modified"] = http_date(timegm(last_modified.utctimetuple()))
    return answer


def article_answer(condition, language):
    """The whole article (a live copy from ``with_source``) in
    ``language``, as ``schemas.Condition`` answers it, and when it last
    changed; the change feed gives the same answer."""
    with translation.override(language):
        page = selectors.article_page(condition, with_markdown=True)
        levels = selectors.reading_levels(condition, page.sections)
        answer = schemas.Condition.of(page, levels)
    # Drug and organization records are shared: renaming one changes this too.
    last_modified = max(
        [
            condition.updated_at,
            *(d.updated_at for g in page.drug_groups for d in g.drugs),
            *(o.updated_at for _, orgs in page.organizations_by_region for o in orgs),
        ]
    )
    return answer, last_modified


def _system(name):
    return codes.LOOKUP_OIDS.get(name, name) if name is not None else None


def _lookup_language(params, accept_language):
    """(language answered in, the language wanted, the tag asked for or
    None); the wanted one is not the library's when the tag names another.
    ``lang`` is one of the library's languages; the infobutton's language
    code is any well-formed tag, and one the library is not published in
    is answered in English, as MedlinePlus Connect does. Without either,
    Accept-Language."""
    if params.lang is not None:
        return params.lang, params.lang, params.lang
    raw = params.infobutton_language
    if raw is not None:
        code = raw.lower().replace("_", "-")
        code = INFOBUTTON_LANGUAGE_ALIASES.get(code, code)
        try:
            supported = translation.get_supported_language_variant(code)
            return supported, supported, raw
        except LookupError:
            return SOURCE_LANGUAGE, code, raw
    language = accepted_language(accept_language)
    return language, language, None


def _in_language(english, language, *, topics=True):
    """Each of the ``english`` live copies' ids in ``language`` where it is
    published in it, else in English: one query, and with ``topics`` their
    tags prefetched and named. Codes are kept on English articles only;
    their translations are found through them."""
    lives = Condition.objects.live(language=None)
    rows = lives.filter(pk__in=english)
    if language != SOURCE_LANGUAGE:
        rows = lives.filter(
            Q(pk__in=english) | Q(language=language, translation_of__live_copy__in=english)
        )
    if topics:
        rows = list(with_source(rows).prefetch_related("tags"))
        _name_topics(rows)
    else:
        rows = list(rows)
    by_source = {c.source_id: c for c in rows if c.language == SOURCE_LANGUAGE}
    chosen = {c.translation_of_id: c for c in rows if c.language == language}
    results = [chosen.get(source_id, c) for source_id, c in by_source.items()]
    return sorted(results, key=lambda c: (c.title, c.pk))


def _matching(system, code):
    """(the code the articles carry, the English live copies' ids) for a
    valid ``code`` of ``system``; (None, []) when none does."""
    if system == codes.RXNORM:
        english = infobutton.drug_listers(code)
        return (code if english else None), english
    if system not in codes.OID_OF:
        # LOINC: no article is coded by it.
        return None, []
    # ICD-10-CM (along its parents) and SNOMED CT, as CDS Hooks finds them.
    return selectors.articles_for_code(system, code)


LOOKUP_DESCRIPTION = (
    "ICD-10-CM codes without an exact match fall back to their parent codes "
    "(G25.31 → G25.3 → G25); an RxNorm code (RxCUI) finds the articles whose treatment lists "
    "the drug; a LOINC code finds none yet. As an infobutton knowledge resource it answers "
    "every well-formed request with the content that fits, maybe none: without a code, or "
    "with a code its system cannot hold, the answer has no results. When both a name and its "
    "infobutton name are given, the first is used and both must be well-formed.\n\n"
    "With knowledgeResponseType or mainSearchCriteria.v.c the request is an HL7 infobutton "
    "request and is answered as MedlinePlus Connect answers: an Atom 1.0 feed (text/xml, the "
    "default), the same feed as JSON (application/json: InfobuttonFeed) or as JSONP "
    "(application/javascript, calling callback); a refusal is written in the same format. "
    "Without either, the short form's JSON (LookupResult)."
)


@api.read_only(
    "/lookup/",
    url_name="lookup",
    operation_id="lookupByCode",
    summary="Articles for a medical code (HL7 infobutton, as MedlinePlus Connect answers), in "
    "the reader's language with English as the fallback",
    description=LOOKUP_DESCRIPTION,
    response={
        200: schemas.LookupResult | schemas.InfobuttonFeed,
        304: None,
        400: schemas.Error,
    },
    # The feed's schema names an element's text "_value", as MedlinePlus Connect does.
    by_alias=True,
    openapi_extra={
        "responses": {
            200: {
                "description": "The matching articles (maybe none).",
                "headers": HEADERS,
                "content": infobutton.DOCUMENTED_ANSWERS,
            },
            304: {"description": "Not modified since the ETag or date the client sent."},
            400: {
                "description": "A parameter is malformed.",
                "content": infobutton.DOCUMENTED_REFUSALS,
            },
        }
    },
)
def lookup(
    request,
    response: HttpResponse,
    params: Query[LookupParams],
    accept_language: str = accept_language_header(),
):
    answer = infobutton.answer_format(request.GET)
    raw_code = params.code or params.infobutton_code or ""
    system = _system(params.system) or _system(params.infobutton_system)
    language, wanted, asked = _lookup_language(params, accept_language)
    code, matched_code, english = None, None, []
    if raw_code:
        if system is None:
            # The two formats cannot be confused: SNOMED CT ids are all digits.
            system = codes.SNOMEDCT if raw_code.isdigit() else codes.ICD10CM
        code = codes.normalize(system, raw_code)
    if code and codes.is_valid(system, code):
        matched_code, english = _matching(system, code)
    feed = answer != infobutton.SHORT_FORM
    if feed and not english and params.display_name:
        english = infobutton.named(params.display_name)
    results = []
    if english:
        with translation.override(language):
            results = _in_language(english, language, topics=not feed)
    for result in results:
        result.fallback = result.language != wanted
    response["Content-Language"] = ", ".join(
        dict.fromkeys([language, *(c.language for c in results)])
    )
    if feed:
        data = infobutton.feed(
            language=language,
            code=code,
            system=system,
            display_name=params.display_name,
            recipient=params.recipient,
            results=results,
        )
        return infobutton.respond(request, response, data, answer)
    return {
        "query": {
            "code": code,
            "system": system,
            "system_oid": codes.LOOKUP_OID_OF.get(system),
            "language": asked,
        },
        "language": language,
        "fallback": wanted != language or any(c.fallback for c in results),
        "matched_code": matched_code,
        "exact": matched_code is not None and matched_code == code,
        "count": len(results),
        "results": results,
    }


api.refusals["lookup"] = infobutton.refusal


def not_found(request, path=""):
    """Any other address under /api/ (not an operation: it is not in the
    document)."""
    return json_error(404, "not_found", f"There is no API endpoint at /api/{path}.")
