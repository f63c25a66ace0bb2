"""Readers' pages. Only live copies are ever shown here."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from taggit.models import Tag

from healthlib.pagecache import cached_page

from . import invalidation, rendering, selectors
from .models import Condition, Drug, SlugRedirect


@cached_page(lambda request: [invalidation.HOME])
def home(request):
    available, _, _ = selectors.az_index()
    return render(
        request,
        "conditions/home.html",
        {
            "letters": selectors.LETTERS,
            "available": available,
            "recent": selectors.recent_articles(),
        },
    )


def _letter(value):
    """``?letter=`` as the A–Z reads it; anything else shows the whole index."""
    value = value.lower()
    return value if value in selectors.LETTERS else None


@cached_page(lambda request: [invalidation.AZ], query={"letter": _letter})
def condition_index(request):
    available, letter, entries = selectors.az_index(_letter(request.GET.get("letter", "")))
    return render(
        request,
        "conditions/condition_index.html",
        {
            "letters": selectors.LETTERS,
            "available": available,
            "letter": letter,
            "entries": entries,
        },
    )


@cached_page(lambda request, slug: [invalidation.article_tag(slug)])
def condition_detail(request, slug):
    try:
        # get(), not first(): no ORDER BY to compile and run on the hot path.
        condition = Condition.objects.live().get(slug=slug)
    except Condition.DoesNotExist:
        return _gone_or_404(request, slug)
    article = rendering.stored(condition)
    if article is None:
        # Stored by an older release (or by none): render it here, as the
        # preview does, until `rebuild_rendered_pages` stores it again.
        article = rendering.render(selectors.article_page(condition))
    return render(
        request,
        "conditions/condition_detail.html",
        {"condition": condition, "article": article, "preview": False},
    )


def _gone_or_404(request, slug):
    moved = (
        SlugRedirect.objects.filter(old_slug=slug).select_related("condition__live_copy").first()
    )
    live = getattr(moved.condition, "live_copy", None) if moved else None
    if live is not None:
        return redirect(live, permanent=True)
    archived = (
        Condition.objects.editable()
        .filter(slug=slug, status=Condition.Status.ARCHIVED)
        .select_related("replaced_by__live_copy")
        .first()
    )
    if archived is None:
        raise Http404("No published article at this address.")
    replacement = archived.replaced_by
    live_replacement = getattr(replacement, "live_copy", None) if replacement else None
    if live_replacement is not None:
        return redirect(live_replacement, permanent=True)
    return TemplateResponse(request, "conditions/gone.html", {"title": archived.title}, status=410)


@staff_member_required
def condition_preview(request, pk):
    """The working copy rendered as readers would see it, for the people who
    may read working copies: staff with the permission to view articles."""
    if not request.user.has_perm("conditions.view_condition"):
        raise PermissionDenied
    condition = get_object_or_404(Condition.objects.editable(), pk=pk)
    article = rendering.render(selectors.article_page(condition), preview=True)
    response = render(
        request,
        "conditions/condition_detail.html",
        {"condition": condition, "article": article, "preview": True},
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@cached_page(lambda request: [invalidation.DRUGS])
def drug_index(request):
    return render(request, "conditions/drug_index.html", {"drugs": selectors.live_drugs()})


@cached_page(lambda request, slug: [invalidation.drug_tag(slug)])
def drug_detail(request, slug):
    drug = get_object_or_404(Drug, slug=slug)
    articles = list(selectors.live_articles_listing(drug))
    if not articles:
        raise Http404("No published article lists this drug.")
    return render(request, "conditions/drug_detail.html", {"drug": drug, "articles": articles})


@cached_page(lambda request, slug: [invalidation.topic_tag(slug)])
def topic_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = list(selectors.live_articles_tagged(tag))
    if not articles:
        raise Http404("No published article has this topic.")
    return render(request, "conditions/topic_detail.html", {"tag": tag, "articles": articles})
