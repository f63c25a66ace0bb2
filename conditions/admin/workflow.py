"""The editorial workflow in the admin: submit, publish, archive, record a
review; history, compare and restore; the review-due list.

Each view checks permissions, then calls one function in
``conditions.services``; none of the rules live here.
"""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from conditions import selectors, services
from conditions.admin.signoffs import panel as signoff_panel
from conditions.admin.workflow_forms import (
    ACTIONS,
    HISTORY_PAGE_SIZE,
    REVISION_ID,
    ArchiveForm,
    Done,
    PublishForm,
    ReviewedRevisionForm,
    TranslateForm,
    Unsent,
    source_changes,
)
from conditions.models import Revision, Section
from conditions.review import content_checks as checks
from conditions.review.compare import compare
from healthlib.lib.markdown import render_markdown


class WorkflowAdminMixin:
    """Adds the workflow views to ConditionAdmin."""

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("review-due/", wrap(self.review_due_view), name=f"{prefix}_review_due"),
            path(
                "<path:object_id>/workflow/<str:action>/",
                wrap(self.workflow_view),
                name=f"{prefix}_workflow",
            ),
            path("<path:object_id>/compare/", wrap(self.compare_view), name=f"{prefix}_compare"),
            path(
                "<path:object_id>/restore/<int:revision_id>/",
                wrap(self.restore_view),
                name=f"{prefix}_restore",
            ),
            # A stable address per revision: printed on every handout, so a
            # clinician can later open the very version a patient holds.
            path(
                "<path:object_id>/revisions/<int:revision_id>/",
                wrap(self.revision_view),
                name=f"{prefix}_revision",
            ),
            *super().get_urls(),
        ]

    def _condition(self, request, object_id):
        condition = self.get_object(request, unquote(object_id))
        if condition is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, condition):
            raise PermissionDenied
        return condition

    def _context(self, request, condition, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": condition,
            "title": title,
            "subtitle": condition.title,
            **extra,
        }

    def workflow_view(self, request, object_id, action):
        if action not in ACTIONS:
            raise Http404("No such action.")
        condition = self._condition(request, object_id)
        title, permission, form_class, button = ACTIONS[action]
        if not request.user.has_perm(permission):
            raise PermissionDenied
        kwargs, initial, extra = {}, {}, {}
        if form_class in (ArchiveForm, TranslateForm):
            kwargs["condition"] = condition
        if action == "source_unaffecting":
            extra.update(source_changes(condition))
        if issubclass(form_class, ReviewedRevisionForm):
            reviewed = condition.live_revision if action == "review" else condition.latest_revision
            initial["revision"] = getattr(reviewed, "pk", None)
            extra["reviewed"] = reviewed
        if action in ("publish", "request_changes") and condition.latest_revision_id:
            # What the reviewer approves, on the page where they approve it.
            latest = condition.latest_revision
            live = condition.live_revision
            extra["comparison"] = compare(live.snapshot if live else None, latest.snapshot)
            extra["compared_with_live"] = live is not None
        if form_class is PublishForm:
            found = checks.problems(condition.latest_revision.snapshot, language=condition.language)
            extra["blocking"] = checks.blocking(found)
            # The specialists' sign-offs publishing waits for (services.signoffs.gate).
            extra.update(signoff_panel(request.user, condition))
            kwargs["warnings"] = checks.warnings(found)
            # The sign-off is the reviewer's own: the byline on their
            # account, else their name, not the previous reviewer's (whose
            # credentials apply only to them).
            byline = getattr(request.user, "byline", None)
            if byline is not None:
                initial.update(reviewer_name=byline.name, reviewer_credentials=byline.credentials)
            else:
                name = request.user.get_full_name() or request.user.get_username()
                same = name == condition.reviewer_name
                initial.update(
                    reviewer_name=name,
                    reviewer_credentials=condition.reviewer_credentials if same else "",
                )
        data = request.POST if request.method == "POST" else None
        form = form_class(data, initial=initial, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                message = self._run(action, request.user, condition, form.cleaned_data)
            except services.StaleRevision as exc:
                url = reverse("admin:conditions_condition_compare", args=[condition.pk])
                form.add_error(
                    None,
                    format_html(
                        '{} <a href="{}?a={}&amp;b={}">Compare what you read with the current '
                        "version</a>, then reload this page.",
                        str(exc),
                        url,
                        exc.reviewed_id or "",
                        exc.current_id or "",
                    ),
                )
            except services.WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                notify = messages.warning if isinstance(message, Unsent) else messages.success
                notify(request, message)
                target = getattr(message, "condition", condition)
                return HttpResponseRedirect(
                    reverse("admin:conditions_condition_change", args=[target.pk])
                )
        return TemplateResponse(
            request,
            "admin/conditions/condition/workflow_form.html",
            self._context(
                request,
                condition,
                title,
                form=form,
                button=button,
                action=action,
                compare_url=reverse("admin:conditions_condition_compare", args=[condition.pk]),
                **extra,
            ),
        )

    def _run(self, action, user, condition, data):
        if action == "submit":
            revision = services.submit_for_review(
                condition=condition, user=user, comment=data["comment"]
            )
            if revision.emailed:
                return "Submitted for review. The medical reviewers have been emailed a link to it."
            # A reviewer is not emailed about their own submission.
            other = " other" if user.has_perm(services.PUBLISH_PERMISSION) else ""
            return Unsent(
                f"Submitted for review, but nobody was emailed: no{other} medical reviewer has an "
                "email address on their account. Tell a reviewer it is waiting, and ask an "
                "administrator to add the reviewers' email addresses."
            )
        if action == "request_changes":
            revision = services.request_changes(
                condition=condition, user=user, comment=data["comment"], revision=data["revision"]
            )
            if revision.emailed:
                return "Sent back to the author, who has been emailed your comment."
            return Unsent(
                "Sent back to the author, but nobody was emailed: the author has no email "
                "address on their account (or is you). Your comment shows at the top of the "
                "article's page; tell them it is there."
            )
        if action == "publish":
            revision = services.publish(
                condition=condition,
                user=user,
                update_note=data["update_note"],
                reviewer_name=data["reviewer_name"],
                reviewer_credentials=data["reviewer_credentials"],
                go_live_at=data["go_live_at"],
                revision=data["revision"],
                acknowledged=data.get("acknowledge", ()),
            )
            if revision.approved_go_live_at:
                when = timezone.localtime(revision.approved_go_live_at)
                return f"Approved. It goes live on {when:%B %-d, %Y at %H:%M}."
            return "Published. Readers now see this version."
        if action == "unpublish":
            services.unpublish(
                condition=condition, user=user, comment=data["comment"] or "Unpublished"
            )
            return "Unpublished. Readers no longer see this article."
        if action == "archive":
            services.archive(
                condition=condition,
                user=user,
                replaced_by=data["replaced_by"],
                comment=data["comment"],
            )
            return "Archived."
        if action == "translate":
            made = services.create_translation(
                source=condition, language=data["language"], user=user
            )
            return Done(
                f"Translation started. Rewrite each part in {made.language_name}, then submit "
                "it for its medical review.",
                condition=made,
            )
        if action == "source_unaffecting":
            services.record_source_change_unaffecting(
                translation=condition, user=user, comment=data["comment"]
            )
            return "Recorded. Readers no longer see the notice that the English page changed."
        services.record_review(
            condition=condition, user=user, note=data["note"], revision=data["revision"]
        )
        return "Review recorded."

    def history_view(self, request, object_id, extra_context=None):
        condition = self._condition(request, object_id)
        revisions = (
            Revision.objects.filter(condition=condition)
            .select_related("author")
            .defer("snapshot")
            .order_by("-created_at", "-id")
        )
        page = Paginator(revisions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        return TemplateResponse(
            request,
            "admin/conditions/condition/revision_history.html",
            self._context(
                request,
                condition,
                "History",
                page=page,
                can_restore=self.has_change_permission(request, condition),
            ),
        )

    def compare_view(self, request, object_id):
        """Two revisions side by side. Without ``a`` and ``b``: what a
        reviewer must read, the published version against the latest one,
        or, for an article never published, the latest against nothing."""
        condition = self._condition(request, object_id)
        a, b = request.GET.get("a", ""), request.GET.get("b", "")
        explicit = bool(a or b)
        if explicit:
            ids = [a, b]
            # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
            if not all(REVISION_ID.fullmatch(i) for i in ids if i) or not b:
                raise Http404("No such revision of this article.")
        else:
            old = condition.live_revision_id
            if old is not None and old == condition.latest_revision_id:
                # Published and unchanged: what the last publication changed.
                old = condition.revisions.exclude(pk=old).values_list("pk", flat=True).first()
            ids = [old, condition.latest_revision_id]
        ids = [int(i) if i else None for i in ids]
        found = {
            r.pk: r
            for r in condition.revisions.filter(pk__in=[i for i in ids if i]).select_related(
                "author"
            )
        }
        if ids[1] not in found or (ids[0] is not None and ids[0] not in found):
            raise Http404("No such revision of this article.")
        if ids[0] is None:
            old, new = None, found[ids[1]]
        else:
            old, new = sorted((found[ids[0]], found[ids[1]]), key=lambda r: (r.created_at, r.pk))
        return TemplateResponse(
            request,
            "admin/conditions/condition/compare.html",
            self._context(
                request,
                condition,
                "Compare revisions",
                old=old,
                new=new,
                comparison=compare(old.snapshot if old else None, new.snapshot),
            ),
        )

    def restore_view(self, request, object_id, revision_id):
        condition = self._condition(request, object_id)
        if not self.has_change_permission(request, condition):
            raise PermissionDenied
        revision = get_object_or_404(
            Revision.objects.select_related("author"), pk=revision_id, condition=condition
        )
        if request.method == "POST":
            try:
                services.restore_revision(condition=condition, revision=revision, user=request.user)
            except services.WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    format_html(
                        "Restored the revision of {} as a new draft. Readers still see the "
                        "published version until it is published again.",
                        timezone.localtime(revision.created_at).strftime("%B %-d, %Y, %H:%M"),
                    ),
                )
            return HttpResponseRedirect(
                reverse("admin:conditions_condition_change", args=[condition.pk])
            )
        comparison = (
            compare(condition.latest_revision.snapshot, revision.snapshot)
            if (condition.latest_revision_id)
            else None
        )
        return TemplateResponse(
            request,
            "admin/conditions/condition/restore_confirm.html",
            self._context(
                request, condition, "Restore a revision", revision=revision, comparison=comparison
            ),
        )

    def revision_view(self, request, object_id, revision_id):
        condition = self._condition(request, object_id)
        revision = get_object_or_404(
            Revision.objects.select_related("author", "approved_by"),
            pk=revision_id,
            condition=condition,
        )
        snapshot = revision.snapshot
        labels = dict(Section.Kind.choices)
        sections = sorted(
            snapshot.get("sections", ()),
            key=lambda s: (s.get("kind") != Section.Kind.URGENT_HELP, s.get("order", 0)),
        )
        return TemplateResponse(
            request,
            "admin/conditions/condition/revision_detail.html",
            self._context(
                request,
                condition,
                "Revision",
                revision=revision,
                snapshot=snapshot,
                is_live=condition.live_revision_id == revision.pk,
                sections=[
                    {
                        "heading": s.get("heading") or labels.get(s.get("kind"), ""),
                        "kind": s.get("kind"),
                        "html": render_markdown(s.get("body", "")),
                    }
                    for s in sections
                ],
            ),
        )

    def review_due_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        overdue, soon = selectors.review_due(within_days=30)
        if request.GET.get("format") == "csv":
            return review_due_csv(overdue, soon, today=timezone.localdate())
        return TemplateResponse(
            request,
            "admin/conditions/condition/review_due.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Articles due for review",
                "overdue": overdue,
                "soon": soon,
                "today": timezone.localdate(),
            },
        )


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def review_due_csv(overdue, soon, *, today):
    """The review-due list as CSV, overdue first, for a spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="review-due-{today.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "article",
            "language",
            "state",
            "next review due",
            "days overdue",
            "last reviewed",
            "reviewer",
            "address",
        ]
    )
    for state, articles in (("overdue", overdue), ("due within 30 days", soon)):
        for a in articles:
            writer.writerow(
                [
                    _cell(a.title),
                    a.language,
                    state,
                    a.next_review_due.isoformat(),
                    max((today - a.next_review_due).days, 0),
                    a.last_reviewed.isoformat() if a.last_reviewed else "",
                    _cell(a.reviewer_display),
                    f"{settings.SITE_URL}{a.get_absolute_url()}",
                ]
            )
    return response
