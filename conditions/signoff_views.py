"""The outside specialist's page, ``/review/<token>/``: no account.

The link is the only credential, and it opens this one page of this one
article: the article as readers will see it, everything that changed since
it was last published (and since the specialist last looked, when it
changed), and a form to approve or request changes. It logs nobody in and
sets no session. Every use is recorded in the audit log
(``SignoffAccess``); each client address has a budget of requests and of
refused links per hour, as sign-ins have (``SIGNOFF_*`` settings).
"""

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from conditions import selectors
from conditions.models import Signoff, SignoffAccess, SignoffInvitation
from conditions.publishing import rendering
from conditions.review import signoff_links as links
from conditions.review.compare import compare
from conditions.services import StaleRevision, WorkflowError
from conditions.services import signoffs as signoff_services
from healthlib.lib import ratelimit

Outcome = SignoffAccess.Outcome
# Refusals that count against the address, as wrong passwords do.
FAILURES = {Outcome.FORGED, Outcome.EXPIRED, Outcome.REVOKED}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        choices=Signoff.Decision.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Required when you request changes: say what should change."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == Signoff.Decision.CHANGES_REQUESTED
            and not (data.get("comment") or "").strip()
        ):
            self.add_error("comment", gettext("Say what should change."))
        return data


def _audit(request, outcome, invitation=None):
    SignoffAccess.objects.create(
        invitation=invitation,
        outcome=outcome,
        ip_address=ratelimit.client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        method=request.method[:10],
    )
    if outcome in FAILURES:
        ratelimit.hit(
            "signoff-failure",
            ratelimit.client_ip(request) or "unknown",
            limit=settings.SIGNOFF_FAILURES_PER_HOUR,
            period=3600,
        )


def _private(response):
    # The address is a credential: never cached, indexed or sent to
    # another site. ("no-referrer" would also make the browser post the
    # form with "Origin: null", which CSRF protection rightly refuses.)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _refused(request, message, status):
    return _private(
        render(request, "conditions/signoff_refused.html", {"message": message}, status=status)
    )


def _invitation(token):
    found = links.read(token)
    if found is None:
        return None
    pk, key = found
    invitation = (
        SignoffInvitation.objects.select_related("condition", "revision").filter(pk=pk).first()
    )
    if invitation is None or not invitation.key_hash or not links.matches(invitation, key):
        return None
    return invitation


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signoff(request, token):
    ip = ratelimit.client_ip(request) or "unknown"
    throttled = ratelimit.exceeded(
        "signoff-failure", ip, limit=settings.SIGNOFF_FAILURES_PER_HOUR, period=3600
    ) or not ratelimit.hit(
        "signoff-link", ip, limit=settings.SIGNOFF_REQUESTS_PER_HOUR, period=3600
    )
    if throttled:
        _audit(request, Outcome.THROTTLED)
        return _refused(
            request, gettext("Too many attempts from your address. Try again in an hour."), 429
        )
    invitation = _invitation(token)
    if invitation is None:
        _audit(request, Outcome.FORGED)
        return _refused(
            request,
            gettext("This link is not valid. Check that you copied the whole address."),
            404,
        )
    refused = signoff_services.refusal(invitation)
    if refused is not None:
        _audit(request, refused.outcome, invitation)
        return _refused(request, str(refused), 410)

    form = DecisionForm(initial={"revision": invitation.condition.latest_revision_id})
    error = None
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signoff_services.record_decision(
                    invitation=invitation,
                    revision=data["revision"],
                    decision=data["decision"],
                    comment=data["comment"],
                    ip_address=ratelimit.client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
            except StaleRevision as exc:
                _audit(request, Outcome.STALE, invitation)
                error = str(exc)
                form = DecisionForm(
                    initial={**data, "revision": exc.current_id},
                )
            except signoff_services.LinkRefused as exc:
                _audit(request, exc.outcome, invitation)
                if isinstance(exc, signoff_services.AlreadyDecided):
                    error = str(exc)
                else:
                    return _refused(request, str(exc), 410)
            except WorkflowError as exc:
                error = str(exc)
            else:
                _audit(request, Outcome.DECIDED, invitation)
                return _private(redirect(request.path + "#decision"))
        invitation.condition.refresh_from_db()
    else:
        _audit(request, Outcome.OPENED, invitation)
    return _private(
        render(
            request,
            "conditions/signoff.html",
            {**_page(invitation), "form": form, "error": error},
            status=409 if error else 200,
        )
    )


def _page(invitation):
    condition = invitation.condition
    latest = condition.latest_revision
    live = condition.live_revision
    decisions = list(invitation.decisions.select_related("revision").order_by("decided_at", "id"))
    on_latest = next((d for d in decisions if d.revision_id == latest.pk), None)
    seen = decisions[-1].revision if decisions else invitation.revision
    changed = seen is not None and seen.pk != latest.pk and seen.snapshot != latest.snapshot
    return {
        "invitation": invitation,
        "condition": condition,
        "latest": latest,
        "decisions": decisions,
        "on_latest": on_latest,
        "changed_since": seen if changed else None,
        "comparison_since": compare(seen.snapshot, latest.snapshot) if changed else None,
        "comparison": compare(live.snapshot if live else None, latest.snapshot),
        "compared_with_live": live is not None,
        "article": rendering.render(selectors.article_page(condition), preview=True),
    }
