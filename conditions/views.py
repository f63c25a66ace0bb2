"""Readers' pages. Only live copies are ever shown here."""

import logging
import unicodedata

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from taggit.models import Tag

from conditions import selectors, services
from conditions.forms import (
    FEEDBACK_HONEYPOT_MESSAGE,
    FEEDBACK_RATE_LIMITED_MESSAGE,
    FEEDBACK_THANKS,
    FeedbackForm,
)
from conditions.models import Condition, Drug
from conditions.pages import alternates, translations
from conditions.pages.missing import find as find_missing
from conditions.pages.translations import current_language
from conditions.publishing import handouts, invalidation, rendering
from healthlib.lib import pdf, ratelimit
from healthlib.lib.http import conditional
from healthlib.lib.origin import same_origin_post
from healthlib.lib.pagecache import cached_page

logger = logging.getLogger(__name__)

# Answers to "Was this page helpful?" from one address in an hour.
FEEDBACK_PER_HOUR = getattr(settings, "FEEDBACK_PER_HOUR", 20)
HANDOUT_RATE_LIMITED = gettext_lazy(
    "Too many handouts were made for your address in the last hour. Try again later, "
    "or print the article's page from your browser."
)
HANDOUT_BUSY = gettext_lazy("This handout is being made. Try again in a few seconds.")
HANDOUT_UNAVAILABLE = gettext_lazy(
    "Printable handouts cannot be made on this server at the moment. Print the article's "
    "page from your browser instead."
)


@cached_page(lambda request: [invalidation.HOME])
def home(request):
    available, _, _ = selectors.az_index()
    return render(
        request,
        "conditions/home.html",
        {
            "letters": selectors.letters(),
            "available": available,
            "recent": selectors.recent_articles(),
            "alternates": alternates.same_path(request),
        },
    )


def _letter(value, language=None):
    """``?letter=`` as the A–Z of ``language`` reads it (of any language
    when None: the page cache's key); anything else shows the whole index."""
    value = unicodedata.normalize("NFC", value).lower()
    if language is None:
        known = {x for code, _ in settings.LANGUAGES for x in selectors.letters(code)}
    else:
        known = selectors.letters(language)
    return value if value in known else None


@cached_page(lambda request: [invalidation.AZ], query={"letter": _letter})
def condition_index(request):
    language = selectors.base_language()
    available, letter, entries = selectors.az_index(
        _letter(request.GET.get("letter", ""), language)
    )

    def same_letter(code):
        # Each language's A–Z at the same letter, where it has it (no Ñ in English).
        return {"letter": letter if letter in selectors.letters(code) else None}

    return render(
        request,
        "conditions/condition_index.html",
        {
            "letters": selectors.letters(language),
            "available": available,
            "letter": letter,
            "entries": entries,
            "alternates": alternates.same_path(request, same_letter),
        },
    )


@cached_page(lambda request, slug: [invalidation.article_tag(slug)])
def condition_detail(request, slug):
    language = current_language()
    try:
        # get(), not first(): no ORDER BY to compile and run on the hot path.
        condition = Condition.objects.live(language).get(slug=slug)
    except Condition.DoesNotExist:
        return _gone_or_404(request, slug, language)
    article = rendering.stored(condition)
    if article is None:
        # Stored by an older release (or by none): render it here, as the
        # preview does, until `rebuild_rendered_pages` stores it again.
        article = rendering.render(selectors.article_page(condition))
    return render(
        request,
        "conditions/condition_detail.html",
        {
            "condition": condition,
            "article": article,
            "preview": False,
            "feedback_form": FeedbackForm(),
            "alternates": alternates.of(condition.language_versions),
            "source_url": (
                condition.language_versions.get(translations.SOURCE_LANGUAGE)
                if condition.source_updated_at
                else None
            ),
        },
    )


@require_safe
def condition_handout(request, slug):
    """The article's printable handout as PDF, built at most once per
    version and day (``conditions.publishing.handouts``). Not in the page
    cache nor the edge cache: it says the date it was printed on."""
    language = current_language()
    page = handouts.page_version(slug, language)  # before any database read
    try:
        # The stored HTML is read only to build one.
        live = (
            Condition.objects.live(language).defer("rendered_head", "rendered_body").get(slug=slug)
        )
    except Condition.DoesNotExist:
        return _gone_or_404(request, slug, language, where=Condition.get_handout_url)
    current = handouts.stamp(live, page)
    found = handouts.stored(live, current)
    if found is None:
        # A build costs about a second of CPU: one address gets so many an hour.
        ip = ratelimit.client_ip(request) or "unknown"
        limit = settings.HANDOUT_BUILDS_PER_HOUR
        if not ratelimit.hit("handout-build", ip, limit=limit, period=3600):
            return _handout_refused(
                request, live, 429, HANDOUT_RATE_LIMITED, retry_after=ratelimit.seconds_left(3600)
            )
        try:
            found = handouts.build(live, current)
        except pdf.PdfUnavailable as exc:
            logger.error("Handout of %s not built: %s", live.get_absolute_url(), exc)
            return _handout_refused(request, live, 503, HANDOUT_UNAVAILABLE)
        except handouts.Busy:
            return _handout_refused(request, live, 503, HANDOUT_BUSY, retry_after=5)
    response = HttpResponse(found.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{live.slug}.pdf")
    # The article's page is what search engines should find.
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return conditional(request, response, etag=found.etag)


def _handout_refused(request, live, status, message, *, retry_after=None):
    response = render(
        request,
        "conditions/handout_refused.html",
        {"condition": live, "message": message},
        status=status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _gone_or_404(request, slug, language, where=None):
    """The answer for an address without a live article in ``language``
    (``conditions.pages.missing``): a redirect to where it went
    (``where(live)``, its page by default), or the page saying it is gone or
    not translated, or a 404."""
    where = where or (lambda live: live.get_absolute_url())
    missing = find_missing(slug, language)
    if missing.moved_to is not None:
        return redirect(where(missing.moved_to), permanent=True)
    if missing.gone is not None:
        return TemplateResponse(
            request, "conditions/gone.html", {"title": missing.gone.title}, status=410
        )
    if missing.english is not None:
        # A translation's address: the article is not translated; say so,
        # linking to English.
        english = missing.english
        return TemplateResponse(
            request,
            "conditions/not_translated.html",
            {
                "english": english,
                "alternates": alternates.of(
                    {translations.SOURCE_LANGUAGE: english.get_absolute_url()}
                ),
            },
            status=404,
        )
    raise Http404("No published article at this address.")


@staff_member_required
def condition_preview(request, pk):
    """The working copy rendered as readers would see it, for the people who
    may read working copies: staff with the permission to view articles."""
    if not request.user.has_perm("conditions.view_condition"):
        raise PermissionDenied
    condition = get_object_or_404(Condition.objects.editable(language=None), pk=pk)
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
    return render(
        request,
        "conditions/drug_index.html",
        {"drugs": selectors.live_drugs(), "alternates": alternates.same_path(request)},
    )


@cached_page(lambda request, slug: [invalidation.drug_tag(slug)])
def drug_detail(request, slug):
    drug = get_object_or_404(Drug, slug=slug)
    articles = list(selectors.live_articles_listing(drug))
    if not articles:
        raise Http404("No published article lists this drug.")
    language = current_language()
    return render(
        request,
        "conditions/drug_detail.html",
        {
            "drug": drug,
            "articles": articles,
            "classes": selectors.drug_classes(drug),
            "alternates": alternates.same_path(request),
            # Editors write a drug's text in the source language.
            "text_language": (
                translations.SOURCE_LANGUAGE if language != translations.SOURCE_LANGUAGE else ""
            ),
            "has_text": any(getattr(drug, name) for name in Drug.TEXT_FIELDS),
            "medlineplus_link": drug.medlineplus_link(language),
            "medlineplus_language": drug.medlineplus_link_language(language),
            "label_link": drug.label_link,
            "label_language": drug.label_link_language,
        },
    )


@cached_page(lambda request: [invalidation.TOPICS])
def topic_index(request):
    return render(
        request,
        "conditions/topic_index.html",
        {"topics": selectors.live_topics(), "alternates": alternates.same_path(request)},
    )


@cached_page(lambda request, slug: [invalidation.topic_tag(slug)])
def topic_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    selectors.with_topic_names([tag], current_language())
    articles = list(selectors.live_articles_tagged(tag))
    if not articles:
        raise Http404("No published article has this topic.")
    return render(
        request,
        "conditions/topic_detail.html",
        {"tag": tag, "articles": articles, "alternates": alternates.same_path(request)},
    )


# No CSRF token: the form is on the cached article (healthlib/lib/origin.py).
@same_origin_post
@require_http_methods(["GET", "HEAD", "POST"])
def condition_feedback(request, slug):
    """ "Was this page helpful?": the form posts here; a good answer goes back
    to the article with a thank-you in place of the form. Never cached: the
    article page stays the same for everyone, the answer is per reader."""
    live = get_object_or_404(
        Condition.objects.live(current_language()).only(
            "pk", "slug", "title", "source_id", "language"
        ),
        slug=slug,
    )
    if request.method != "POST":
        return _feedback_page(request, live, FeedbackForm())
    form = FeedbackForm(request.POST)
    ip = ratelimit.client_ip(request)
    limit = getattr(settings, "FEEDBACK_PER_HOUR", FEEDBACK_PER_HOUR)
    if not ratelimit.hit("article-feedback", ip or "unknown", limit=limit, period=3600):
        return _feedback_page(
            request, live, form, status=429, error=gettext(FEEDBACK_RATE_LIMITED_MESSAGE)
        )
    if form.is_bot:
        return _feedback_page(
            request, live, FeedbackForm(), status=400, error=gettext(FEEDBACK_HONEYPOT_MESSAGE)
        )
    if not form.is_valid():
        return _feedback_page(request, live, form, status=400)
    live = Condition.objects.live(live.language).get(pk=live.pk)
    services.record_feedback(
        live=live, helpful=form.cleaned_data["helpful"], comment=form.cleaned_data["comment"]
    )
    messages.success(request, gettext(FEEDBACK_THANKS), extra_tags="feedback")
    return redirect(f"{live.get_absolute_url()}#feedback")


def _feedback_page(request, live, form, *, status=200, error=""):
    response = render(
        request,
        "conditions/feedback.html",
        {"condition": live, "form": form, "error": error},
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
