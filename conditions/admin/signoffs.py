"""Outside specialists' sign-offs in the admin: invite a specialist to an
article in review, send their link again, withdraw it; the article's page
lists where each stands (``conditions/admin/...change_form.html``).

Thin, as the workflow's views are: each checks the permission and calls
one function of ``conditions.services.signoffs``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from conditions import services
from conditions.models import Signoff, SignoffAccess, SignoffInvitation
from conditions.services import signoffs


class InviteForm(forms.Form):
    name = forms.CharField(
        max_length=200, help_text="As readers will see it, e.g. “Dr A. Neurologist”."
    )
    credentials = forms.CharField(max_length=100, required=False, help_text="For example: MD")
    email = forms.EmailField(help_text="The link is emailed here, and works for nobody else.")


class SignoffAdminMixin:
    """Adds the sign-off views to ConditionAdmin (after WorkflowAdminMixin,
    whose ``_condition`` and ``_context`` it uses)."""

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/signoffs/invite/",
                wrap(self.signoff_invite_view),
                name=f"{prefix}_signoff_invite",
            ),
            path(
                "<path:object_id>/signoffs/<int:invitation_id>/<str:step>/",
                wrap(self.signoff_step_view),
                name=f"{prefix}_signoff_step",
            ),
            *super().get_urls(),
        ]

    def _change_url(self, condition):
        return reverse("admin:conditions_condition_change", args=[condition.pk])

    def signoff_invite_view(self, request, object_id):
        condition = self._condition(request, object_id)
        if not request.user.has_perm(services.PUBLISH_PERMISSION):
            raise PermissionDenied
        form = InviteForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                invitation, _, emailed = signoffs.invite_specialist(
                    condition=condition, user=request.user, **form.cleaned_data
                )
            except services.WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"{invitation.signer} has been emailed a link to review this version "
                    f"({', '.join(emailed)}). Publishing waits for their approval.",
                )
                return HttpResponseRedirect(self._change_url(condition) + "#signoffs")
        return TemplateResponse(
            request,
            "admin/conditions/condition/signoff_invite.html",
            self._context(
                request,
                condition,
                "Invite a specialist to sign off",
                form=form,
                link_days=signoffs.link_days(),
            ),
        )

    def signoff_step_view(self, request, object_id, invitation_id, step):
        condition = self._condition(request, object_id)
        if not request.user.has_perm(services.PUBLISH_PERMISSION):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        invitation = get_object_or_404(SignoffInvitation, pk=invitation_id, condition=condition)
        try:
            if step == "withdraw":
                signoffs.withdraw_invitation(invitation=invitation, user=request.user)
                messages.success(request, f"Withdrawn: {invitation.signer}'s link no longer works.")
            elif step == "resend":
                _, _, emailed = signoffs.send_link_again(invitation=invitation, user=request.user)
                messages.success(
                    request,
                    f"A new link was emailed to {', '.join(emailed)}; the old one no longer works.",
                )
            else:
                raise PermissionDenied
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(self._change_url(condition) + "#signoffs")


def panel(user, condition):
    """The change page's sign-off panel: where each open invitation stands,
    and whether ``user`` may invite (a reviewer, on an article in review)."""
    standings = signoffs.standings(condition) if condition.latest_revision_id else []
    reviewer = user.has_perm(services.PUBLISH_PERMISSION)
    return {
        "signoff_standings": standings,
        "can_invite": reviewer and condition.status == condition.Status.IN_REVIEW,
        "can_withdraw": reviewer,
    }


class _ReadOnly(admin.ModelAdmin):
    """What happened stays as it happened: nobody adds, edits or deletes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Signoff)
class SignoffAdmin(_ReadOnly):
    """Every specialist's decision, with the revision it was made on."""

    list_display = ["decided_at", "signer", "decision", "condition", "revision", "ip_address"]
    list_filter = ["decision"]
    list_select_related = ["invitation__condition", "revision"]
    search_fields = ["name", "invitation__email", "invitation__condition__title"]
    date_hierarchy = "decided_at"

    @admin.display(description="article")
    def condition(self, obj):
        return obj.invitation.condition


@admin.register(SignoffAccess)
class SignoffAccessAdmin(_ReadOnly):
    """The sign-off links' audit log, as django-axes keeps sign-ins'."""

    list_display = ["at", "outcome", "invitation", "ip_address", "method", "user_agent"]
    list_filter = ["outcome"]
    list_select_related = ["invitation__condition"]
    search_fields = ["ip_address", "invitation__email", "invitation__condition__title"]
    date_hierarchy = "at"
