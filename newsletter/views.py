"""Readers' and subscribers' pages."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from conditions.pages import alternates
from healthlib.lib import ratelimit
from healthlib.lib.origin import same_origin_post
from newsletter import selectors, services, signups, tokens
from newsletter.forms import (
    CONSENT_TEXT,
    HONEYPOT_MESSAGE,
    RATE_LIMITED_MESSAGE,
    SIGNED_UP_MESSAGE,
    SignUpForm,
)
from newsletter.models import Edition, Newsletter

ARCHIVE_PAGE_SIZE = 24


def _newsletter():
    newsletter = Newsletter.objects.current()
    if newsletter is None:
        raise Http404(_("There is no newsletter yet."))
    return newsletter


def _private(response):
    # Personal links: never cached by a proxy, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# No CSRF token: the sign-up box is on cached pages (healthlib/lib/origin.py).
@same_origin_post
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_home(request):
    newsletter = _newsletter()
    if request.method == "POST":
        return _sign_up(request, newsletter)
    return _home(request, newsletter, SignUpForm())


def _home(request, newsletter, form, *, status=200, error=""):
    page = Paginator(selectors.archive(get_language()), ARCHIVE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "newsletter/home.html",
        {
            "newsletter": newsletter,
            "form": form,
            "error": error,
            "consent_text": CONSENT_TEXT,
            "page": page,
            # The sign-up and archive exist in every language.
            "alternates": alternates.same_path(request),
        },
        status=status,
    )


def _sign_up(request, newsletter):
    form = SignUpForm(request.POST)
    ip = ratelimit.client_ip(request)
    limit = getattr(settings, "NEWSLETTER_SIGNUPS_PER_HOUR", 5)
    if not ratelimit.hit("newsletter-signup", ip or "unknown", limit=limit, period=3600):
        return _home(request, newsletter, form, status=429, error=RATE_LIMITED_MESSAGE)
    if form.is_bot:
        return _home(request, newsletter, SignUpForm(), status=400, error=HONEYPOT_MESSAGE)
    if not form.is_valid():
        return _home(request, newsletter, form, status=400)
    # The confirmation email is a task: no mail server is reached here.
    signups.sign_up(
        newsletter=newsletter,
        email=form.cleaned_data["email"],
        consent_text=CONSENT_TEXT,
        ip=ip,
        language=form.cleaned_data["language"],
    )
    # The same answer whether the address is new, pending or confirmed.
    back = _return_to(request, form.cleaned_data.get("next"))
    if back:
        messages.success(request, SIGNED_UP_MESSAGE)
        return redirect(back)
    return _private(
        render(
            request,
            "newsletter/signup_done.html",
            {
                "newsletter": newsletter,
                "email": form.cleaned_data["email"],
                "valid_days": tokens.CONFIRM_MAX_AGE.days,
            },
        )
    )


def _return_to(request, path):
    """The page a sign-up box was on, if it is one of ours (a local path,
    not the newsletter's own page, which answers with its own page)."""
    if not path or not path.startswith("/") or path.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(
        path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    if path.split("?")[0] == reverse("newsletter:home"):
        return None
    return path


def edition_detail(request, slug):
    language = get_language()
    edition = selectors.edition_for_page(slug, language)
    # A draft is shown (as a preview) only to those who may edit editions:
    # being staff is not enough (an article editor, or staff in no group).
    if edition is None or (
        not edition.is_sent and not request.user.has_perm("newsletter.change_edition")
    ):
        return _not_in_language(request, slug, language)
    preview = not edition.is_sent
    response = render(
        request,
        "newsletter/edition_detail.html",
        {
            "edition": edition,
            "newsletter": edition.newsletter,
            "summaries": selectors.edition_summaries(edition),
            "preview": preview,
            "alternates": _alternates(edition) if not preview else [],
        },
    )
    return _private(response) if preview else response


def _alternates(edition):
    """The language switch: every version readers can open, when there is
    more than one."""
    versions = selectors.versions(edition)
    if len(versions) < 2:
        return []
    return [alternates.alternate(v.language, v.get_absolute_url()) for v in versions]


def _not_in_language(request, slug, language):
    """404 for an edition not written (or not yet published) in this
    language, with a link to the English edition if there is one."""
    english = None
    if language != settings.LANGUAGE_CODE:
        english = Edition.objects.sources().sent().filter(slug=slug).only("slug", "title").first()
    return render(
        request,
        "newsletter/edition_not_found.html",
        {"english": english},
        status=404,
    )


def confirm(request, token):
    try:
        subscriber = signups.confirm(token=token, ip=ratelimit.client_ip(request))
    except tokens.ExpiredToken:
        return _private(
            render(
                request,
                "newsletter/link_invalid.html",
                {
                    "title": _("This confirmation link has expired"),
                    "reason": _(
                        "Confirmation links work for %(days)s days. "
                        "Sign up again and we will send you a new one."
                    )
                    % {"days": tokens.CONFIRM_MAX_AGE.days},
                    "form": SignUpForm(),
                    "consent_text": CONSENT_TEXT,
                },
                status=410,
            )
        )
    except tokens.InvalidToken:
        return _invalid_link(request)
    return _private(
        render(
            request,
            "newsletter/confirmed.html",
            {"newsletter": subscriber.newsletter, "subscriber": subscriber},
        )
    )


def _invalid_link(request):
    return _private(
        render(
            request,
            "newsletter/link_invalid.html",
            {
                "title": _("This link does not work"),
                "reason": _(
                    "It may have been cut short or changed when it was copied. "
                    "Copy the whole link from the email, or sign up again."
                ),
                "form": SignUpForm(),
                "consent_text": CONSENT_TEXT,
            },
            status=404,
        )
    )


# One-click unsubscribe (RFC 8058): mail clients POST here without a CSRF
# token. The token in the address is the only authority needed, and the
# action is idempotent and harmless, so CSRF protection has nothing to add.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        try:
            subscriber = signups.unsubscribe(token=token)
        except tokens.InvalidToken:
            return _invalid_link(request)
        return _private(render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber}))
    try:
        subscriber_id, secret = tokens.read_unsubscribe(token)
    except tokens.InvalidToken:
        return _invalid_link(request)
    subscriber = (
        services.Subscriber.objects.select_related("newsletter").filter(pk=subscriber_id).first()
    )
    if subscriber is not None and not tokens.matches(subscriber, secret):
        return _invalid_link(request)
    return _private(render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber}))
