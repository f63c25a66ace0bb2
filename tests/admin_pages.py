"""Every admin page a person may open, from the admin's registry: each
registered model's list and add form, and for the first objects of its
list, its change form, history, delete confirmation and every URL its
``ModelAdmin`` adds (workflow steps, compare, restore, previews…). A new
model or admin URL is included without changing the tests that use this;
a URL whose parameters this cannot fill fails them.

``add_one_of_each`` gives the demo library one of each thing the lists
can show that the demo has none of."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from django.utils import timezone

from conditions import services
from conditions.admin.workflow_forms import ACTIONS
from conditions.models import Condition, Drug, Signoff, SignoffAccess, SignoffInvitation
from conditions.review import shared_records
from newsletter.models import Delivery, DigestSchedule, Edition, Newsletter, Subscriber
from tests import factories

STANDARD_VIEWS = ("changelist", "add", "change", "history", "delete")


def add_one_of_each(editor):
    """A reader's feedback, a change waiting for approval, a subscriber
    and the email an edition sent them, a specialist's sign-off, the
    digest's schedule, on the demo library."""
    live = Condition.objects.live().get(slug="myoclonus")
    services.record_feedback(live=live, helpful=False, comment="More about treatment, please.")
    drug = Drug.objects.filter(group_items__group__condition=live).first()
    shared_records.propose(record=drug, changes={"name": f"{drug.name} (renamed)"}, user=editor)
    subscriber = Subscriber.objects.create(
        newsletter=Newsletter.objects.get(),
        email="reader@example.org",
        status=Subscriber.Status.CONFIRMED,
        consent_text="Yes, send me the newsletter.",
        consent_at=timezone.now(),
    )
    edition = Edition.objects.filter(status=Edition.Status.SENT).first()
    Delivery.objects.create(edition=edition, subscriber=subscriber, status=Delivery.Status.SENT)
    add_a_signoff(live.source)
    DigestSchedule.objects.create(newsletter=Newsletter.objects.get())
    factories.partner()


def add_a_signoff(working):
    """An outside specialist's decision on the article ``working`` (its
    working copy), and a use of their link."""
    invitation = SignoffInvitation.objects.create(
        condition=working,
        name="Dr A. Neurologist",
        credentials="MD",
        email="neuro@example.org",
        revision=working.latest_revision,
        expires_at=timezone.now() + datetime.timedelta(days=14),
        key_hash="",
    )
    Signoff.objects.create(
        invitation=invitation,
        revision=working.latest_revision,
        decision=Signoff.Decision.CHANGES_REQUESTED,
        comment="Say that the dose starts low.",
        name=invitation.name,
        credentials=invitation.credentials,
        ip_address="192.0.2.1",
    )
    SignoffAccess.objects.create(
        invitation=invitation, outcome=SignoffAccess.Outcome.OPENED, ip_address="192.0.2.1"
    )


def _fill(pattern, obj):
    """Every way to fill ``pattern``'s parameters for ``obj``: a list of
    kwargs; a parameter this does not know fails the test."""
    options = [{}]
    for name in pattern.pattern.converters:
        if name in ("object_id", "pk"):
            values = [obj.pk]
        elif name == "action":
            values = list(ACTIONS)
        elif name == "revision_id":
            values = [obj.latest_revision_id]
        elif name == "language":
            values = ["es"]
        elif name == "invitation_id":
            values = list(obj.signoff_invitations.values_list("pk", flat=True)[:1]) or [0]
        elif name == "step":
            values = ["withdraw", "resend"]
        else:
            pytest.fail(
                f"{pattern.name} takes <{name}>: say in tests/admin_pages.py how to open it"
            )
        options = [{**o, name: v} for o in options for v in values]
    return options


def admin_pages(user, *, objects_per_model=2):
    """The admin pages ``user`` may open: a list of URLs, each once."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for app in admin.site.get_app_list(request):
        pages.append(reverse("admin:app_list", args=[app["app_label"]]))
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"admin:{info}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"admin:{info}_add"))
        objects = list(model_admin.get_queryset(request)[:objects_per_model])
        assert objects, f"no {model._meta.verbose_name} to open: make one in add_one_of_each"
        custom = [
            p
            for p in model_admin.get_urls()
            if isinstance(p, URLPattern)
            and p.name
            and p.name.removeprefix(f"{info}_") not in STANDARD_VIEWS
        ]
        for obj in objects:
            for view in ("change", "history"):
                pages.append(reverse(f"admin:{info}_{view}", args=[obj.pk]))
            if model_admin.has_delete_permission(request, obj):
                pages.append(reverse(f"admin:{info}_delete", args=[obj.pk]))
            for pattern in custom:
                if not pattern.pattern.converters and obj is not objects[0]:
                    continue  # a list-level page: once
                pages += [reverse(f"admin:{pattern.name}", kwargs=k) for k in _fill(pattern, obj)]
    return list(dict.fromkeys(pages))
