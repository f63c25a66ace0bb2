"""Readers' and subscribers' pages."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from conditions.pages import alternates
from healthlib.lib import ratelimit
from healthlib.lib.origin import same_origin_post
from newsletter import preferences, selectors, signups, stats, tokens
from newsletter.forms import (
    CONSENT_TEXT,
    HONEYPOT_MESSAGE,
    RATE_LIMITED_MESSAGE,
    SIGNED_UP_MESSAGE,
    PreferencesForm,
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
    return _home(request, newsletter, _sign_up_form())


def _sign_up_form(data=None):
    return SignUpForm(data, topic_choices=preferences.topic_choices(get_language()))


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
    form = _sign_up_form(request.POST)
    ip = ratelimit.client_ip(request)
    limit = getattr(settings, "NEWSLETTER_SIGNUPS_PER_HOUR", 5)
    if not ratelimit.hit("newsletter-signup", ip or "unknown", limit=limit, period=3600):
        return _home(request, newsletter, form, status=429, error=RATE_LIMITED_MESSAGE)
    if form.is_bot:
        return _home(request, newsletter, _sign_up_form(), status=400, error=HONEYPOT_MESSAGE)
    if not form.is_valid():
        return _home(request, newsletter, form, status=400)
    # The confirmation email is a task: no mail server is reached here.
    signups.sign_up(
        newsletter=newsletter,
        email=form.cleaned_data["email"],
        consent_text=CONSENT_TEXT,
        ip=ip,
        language=form.cleaned_data["language"],
        topics=form.cleaned_data["topics"],
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
    # The footer's link: the preference page, with Unsubscribe first.
    return preferences_page(request, token)


def _preferences_form(subscriber, data=None):
    initial = {
        "topics": list(subscriber.topics.values_list("pk", flat=True)),
        "language": subscriber.language,
        "frequency": subscriber.frequency,
        "paused_until": subscriber.paused_until,
    }
    return PreferencesForm(
        data, initial=initial, topic_choices=preferences.topic_choices(get_language())
    )


def _subscriber_or_invalid(request, token):
    try:
        return preferences.subscriber_for_token(token), None
    except tokens.InvalidToken:
        return None, _invalid_link(request)


@require_http_methods(["GET", "HEAD", "POST"])
def preferences_page(request, token):
    """What a subscriber gets (topics, language, how often, a pause), their
    data and erasing it, from the signed link in every email. Nobody else
    can open it: the link carries their random secret."""
    subscriber, invalid = _subscriber_or_invalid(request, token)
    if invalid:
        return invalid
    form, status = None, 200
    if subscriber is not None:
        form = _preferences_form(subscriber, request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if form.is_valid():
                preferences.update(token=token, **form.cleaned_data)
                with translation.override(form.cleaned_data["language"]):
                    messages.success(request, _("Your choices are saved."))
                return redirect(_preferences_url(token, form.cleaned_data["language"]))
            status = 400
    return _private(
        render(
            request,
            "newsletter/preferences.html",
            {
                "subscriber": subscriber,
                "form": form,
                "token": token,
                "unsubscribe_action": reverse("newsletter:unsubscribe", args=[token]),
            },
            status=status,
        )
    )


def _preferences_url(token, language):
    with translation.override(language):
        return reverse("newsletter:preferences", args=[token])


@require_http_methods(["GET", "HEAD"])
def preferences_data(request, token):
    """Everything stored about the subscriber, as a JSON download."""
    subscriber, invalid = _subscriber_or_invalid(request, token)
    if invalid:
        return invalid
    if subscriber is None:
        raise Http404(_("Nothing is stored about this address."))
    response = JsonResponse(
        preferences.export(subscriber), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="newsletter-my-data.json"'
    return _private(response)


@require_http_methods(["POST"])
def preferences_erase(request, token):
    """Erase the subscriber, once they tick that they mean it."""
    subscriber, invalid = _subscriber_or_invalid(request, token)
    if invalid:
        return invalid
    if subscriber is not None and request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that everything should be erased."))
        return redirect(reverse("newsletter:preferences", args=[token]) + "#erase")
    preferences.erase(token=token)
    return _private(render(request, "newsletter/erased.html", {}))


@require_http_methods(["GET", "HEAD"])
def click(request, token):
    """Count a click on a link in an edition's email and go there. The
    token names the edition and the address, never the reader; nothing
    about the request is stored (newsletter.stats)."""
    try:
        edition_id, url = stats.read_click(token)
    except stats.InvalidClick:
        return _invalid_link(request)
    if request.method == "GET":
        stats.record_click(edition_id, url)
    response = redirect(url)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
