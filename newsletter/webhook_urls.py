"""The email providers' webhook URLs (django-anymail's, under /anymail/),
each view wrapped so that the door is shut unless it should be open:

- without ``ANYMAIL_WEBHOOK_SECRET`` every request is refused (403):
  anymail alone would accept anyone's "hard bounce" or "spam report" and
  suppress a subscriber for good (newsletter.webhooks);
- a request without credentials is answered 401 with the HTTP basic
  challenge (Amazon SNS sends them only after one), one with a wrong
  secret 403, whatever the method (anymail lets HEAD and OPTIONS through
  unchecked);
- a provider whose settings are missing (Mailgun's signing key, boto3 for
  Amazon SES…) answers 404, not the 500 anymail's configuration error gives;
- a body the provider's parser cannot read answers 400 (anymail lets the
  parser's ValueError or KeyError become a 500, which providers take as
  "try again later").

An error in our own receivers after a well-formed event still answers 500,
so the provider retries. ``check --deploy`` warns when the secret is unset
(newsletter.checks).
"""

import binascii
from functools import wraps

import anymail.urls
from anymail.exceptions import AnymailError, AnymailWebhookValidationFailure
from anymail.utils import get_anymail_setting, get_request_basic_auth
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt

app_name = anymail.urls.app_name

# What a provider's parser or signature check raises on a body it cannot
# read: the request's fault (400), not ours.
MALFORMED = (AnymailError, ValueError, LookupError, TypeError, AttributeError, binascii.Error)


def webhook_secrets():
    """The accepted "user:password" strings; empty when none is set."""
    secrets = get_anymail_setting("webhook_secret", default=None)
    if isinstance(secrets, str):
        secrets = [secrets]
    return [s for s in secrets or () if s]


def _has_secret(request, secrets):
    given = get_request_basic_auth(request) or ""
    # Each comparison takes constant time, so a secret's content does not
    # leak (how many secrets there are is no secret).
    return any(constant_time_compare(given, secret) for secret in secrets)


def _tolerant(view_class):
    """``view_class`` with its body-reading steps turning a malformed body
    into anymail's validation failure (a SuspiciousOperation: 400)."""

    class Tolerant(view_class):
        def run_validators(self, request):
            try:
                super().run_validators(request)
            except (AnymailWebhookValidationFailure, ImproperlyConfigured):
                raise
            except MALFORMED as exc:
                raise AnymailWebhookValidationFailure(f"Malformed {self.esp_name} webhook") from exc

        def parse_events(self, request):
            try:
                return list(super().parse_events(request))
            except ImproperlyConfigured:
                raise
            except MALFORMED as exc:
                raise AnymailWebhookValidationFailure(f"Malformed {self.esp_name} webhook") from exc

    Tolerant.__name__ = Tolerant.__qualname__ = f"Guarded{view_class.__name__}"
    return Tolerant


def guarded(view):
    """anymail's ``view`` (from ``as_view()``) behind the checks above."""
    view_class, initkwargs = view.view_class, view.view_initkwargs
    inner = _tolerant(view_class).as_view(**initkwargs)

    @csrf_exempt  # providers cannot send a CSRF token; the secret stands in
    @wraps(view)
    def guarded_view(request, *args, **kwargs):
        secrets = webhook_secrets()
        if secrets and not request.META.get("HTTP_AUTHORIZATION"):
            # The HTTP basic challenge: Amazon SNS sends the credentials
            # only after a 401 asking for them (so do some others).
            response = HttpResponse("Webhook secret required.", status=401)
            response["WWW-Authenticate"] = 'Basic realm="Anymail WEBHOOK_SECRET"'
            return response
        if not secrets or not _has_secret(request, secrets):
            return HttpResponseForbidden("Webhook secret missing or wrong.")
        try:
            view_class(**initkwargs)  # reads the provider's settings
        except ImproperlyConfigured:  # incl. anymail's "not installed"
            raise Http404("This email provider is not configured.")
        try:
            return inner(request, *args, **kwargs)
        except ImproperlyConfigured:  # a setting only the request step reads
            raise Http404("This email provider is not configured.")

    return guarded_view


urlpatterns = [
    URLPattern(pattern.pattern, guarded(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail.urls.urlpatterns
]
