"""The search page: /search/ shows the form, /search/?q= the results,
/search/?q=&kind=drug the results of one kind. Under /es/ the same in
Spanish: Spanish documents only, with Spanish suggestions. A search that
finds nothing offers what matches in the site's other languages."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from conditions import selectors
from conditions.pages import alternates
from conditions.pages.translations import current_language, language_in_sentence
from conditions.search import SearchResults, did_you_mean, in_other_languages
from conditions.search.query import parse
from conditions.search.sources import labels
from conditions.search.suggestions import available_letters

PER_PAGE = 10
# Fewer results than this and a better spelling is offered.
SUGGEST_BELOW = 3


def search(request):
    raw = request.GET.get("q")
    # The same search in every language (the results are each language's).
    same_search = alternates.same_path(
        request, {name: request.GET.get(name) for name in ("q", "kind", "page")}
    )
    if raw is None:
        return render(
            request, "conditions/search.html", {"searched": False, "alternates": same_search}
        )
    language = current_language()
    parsed = parse(raw, language)
    kinds = labels()
    kind = request.GET.get("kind")
    kind = kind if kind in kinds else None
    results = SearchResults(parsed, kind, language=language)
    paginator = Paginator(results, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    counts = results.counts_by_kind()
    context = {
        "searched": True,
        "alternates": same_search,
        "query": parsed.text,
        "has_terms": bool(parsed),
        "page": page,
        "paginator": paginator,
        "suggestion": None,
        "kind": kind,
        "kind_label": kinds.get(kind, ""),
        "total": sum(counts.values()),
        # Every kind with a match, in a fixed order, for the filter links.
        "kinds": [(k, label, counts[k]) for k, label in kinds.items() if counts.get(k)],
    }
    if paginator.count < SUGGEST_BELOW and parsed:
        context["suggestion"] = did_you_mean(parsed.text, language)
    if paginator.count == 0:
        context.update(letters=selectors.letters(language), available=available_letters(language))
        if parsed and kind is None:
            context["language_name"] = language_in_sentence(language)
            context["elsewhere"] = [
                _elsewhere(code, hits, parsed.text)
                for code, hits in in_other_languages(parsed.text, language)
            ]
    return render(request, "conditions/search.html", context)


def _elsewhere(code, hits, text):
    """What a search found in the language ``code``, for the template."""
    with translation.override(code):
        search_url = reverse("search:search")
    return {
        "code": code,
        "name": language_in_sentence(code),
        # As its readers write it ("español"), for those who read only it.
        "name_local": translation.get_language_info(code)["name_local"],
        "hits": hits,
        "search_url": f"{search_url}?{urlencode({'q': text})}",
    }
