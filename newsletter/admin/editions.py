"""Newsletter editors' admin: editions with their summaries, a preview of
the email, sending (through ``services``), subscribers and deliveries."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy

from conditions.admin.records import TopicLinksNotListedOnDelete
from healthlib.lib.admin_widgets import SafeAutocompleteMixin
from newsletter import editions, emails, sending, services, signups, tasks
from newsletter.admin import charts
from newsletter.models import Delivery, Edition, Newsletter, ResearchSummary, Sending


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "from_email", "subscriber_count"]
    fields = ["name", "description", "from_email", "statistics"]
    readonly_fields = ["statistics"]

    @admin.display(description="Statistics over time")
    def statistics(self, obj):
        return charts.over_time_chart(obj) if obj.pk else "—"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(confirmed=Count("subscribers", filter=Q(subscribers__status="confirmed")))
        )

    @admin.display(description="Confirmed subscribers", ordering="confirmed")
    def subscriber_count(self, obj):
        return obj.confirmed


class ResearchSummaryInline(SafeAutocompleteMixin, admin.StackedInline):
    model = ResearchSummary
    extra = 0
    ordering = ["order", "pk"]
    fields = [
        "order",
        "headline",
        "body",
        ("journal", "source_date"),
        ("doi", "url"),
        "related_articles",
        "tags",
    ]
    autocomplete_fields = ["related_articles"]


SEND_THE_ENGLISH_EDITION = (
    "Send the English edition: subscribers who chose this version's language get this version."
)


def _due_by_version(edition):
    """[(language name, how many due subscribers read it)], for the confirmation."""
    names = dict(settings.LANGUAGES)
    written = {edition.language, *edition.translations.values_list("language", flat=True)}
    counts = {}
    for language, n in (
        services.due_subscribers(edition).order_by().values_list("language").annotate(n=Count("pk"))
    ):
        version = language if language in written else edition.language
        counts[version] = counts.get(version, 0) + n
    return [(names[code], counts[code]) for code, _ in settings.LANGUAGES if counts.get(code)]


def _count(status):
    return Count("deliveries", filter=Q(deliveries__status=status))


class EditionForm(forms.ModelForm):
    """A form that leaves out the kind (an older page, a script) keeps it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].required = False

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.instance.kind or Edition.Kind.EDITION


@admin.register(Edition)
class EditionAdmin(SafeAutocompleteMixin, TopicLinksNotListedOnDelete, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "language",
        "issue_date",
        "status",
        "sent_count",
        "failed_count",
        "waiting_count",
        "preview_link",
    ]
    form = EditionForm
    list_filter = ["status", "kind", "language", "newsletter"]
    autocomplete_fields = ["articles"]
    search_fields = ["title", "slug", "summaries__headline"]
    date_hierarchy = "issue_date"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "status",
        "sent_at",
        "delivery_counts",
        "email_preview",
        "send_progress",
        "language",
        "versions",
        "statistics",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["newsletter", "title", "slug", "issue_date", "kind", "intro", "articles"]},
        ),
        ("Languages", {"fields": ["language", "versions"]}),
        (
            "Sending",
            {"fields": ["status", "sent_at", "send_progress", "delivery_counts", "email_preview"]},
        ),
        ("Statistics", {"fields": ["statistics"]}),
    ]
    inlines = [ResearchSummaryInline]
    actions = ["send_action", "send_test_action"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_sent=_count(Delivery.Status.SENT),
                n_failed=_count(Delivery.Status.FAILED),
                n_waiting=_count(Delivery.Status.PENDING) + _count(Delivery.Status.SENDING),
            )
        )

    @admin.display(description="Sent", ordering="n_sent")
    def sent_count(self, obj):
        return obj.n_sent

    @admin.display(description="Failed", ordering="n_failed")
    def failed_count(self, obj):
        return obj.n_failed

    @admin.display(description="Pending or interrupted", ordering="n_waiting")
    def waiting_count(self, obj):
        return obj.n_waiting

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            # A new edition is English; its other versions are added from it.
            return [(name, opts) for name, opts in fieldsets if name != "Languages"]
        return fieldsets

    @admin.display(description="Versions")
    def versions(self, obj):
        """The other languages' versions, or a button to add each missing one."""
        source = obj.source
        names = dict(settings.LANGUAGES)
        existing = {v.language: v for v in [source, *source.translations.all()]}
        parts = []
        for code, name in settings.LANGUAGES:
            if code == obj.language:
                continue
            version = existing.get(code)
            if version is not None:
                parts.append(
                    format_html(
                        '<a href="{}" lang="{}">{}</a> ({})',
                        reverse("admin:newsletter_edition_change", args=[version.pk]),
                        code,
                        version.title,
                        f"{names[code]}, {version.get_status_display().lower()}",
                    )
                )
            elif obj.pk and not obj.is_translation:
                parts.append(
                    format_html(
                        '<a class="button" href="{}">Add the {} version…</a>',
                        reverse("admin:newsletter_edition_translate", args=[obj.pk, code]),
                        name,
                    )
                )
        if not parts:
            return "—"
        return format_html_join(" · ", "{}", ((p,) for p in parts))

    @admin.display(description=gettext_lazy("Emails"))
    def delivery_counts(self, obj):
        if obj.pk is None:
            return "—"
        if obj.is_translation:
            return "Sent with its English edition, to the subscribers who chose this language."
        due = services.due_subscribers(obj).count()
        return (
            f"{obj.n_sent} sent, {obj.n_failed} failed, {obj.n_waiting} pending or interrupted; "
            f"{due} confirmed subscriber{pluralize(due)} to send to"
            " (new ones, and failures to retry)"
        )

    @admin.display(description="Counts (no reader is identified)")
    def statistics(self, obj):
        if obj.pk is None:
            return "—"
        if obj.is_translation:
            return "Counted on the English edition."
        return charts.edition_chart(obj)

    @admin.display(description="Progress")
    def send_progress(self, obj):
        """The live progress bar: filled in and kept up to date by
        newsletter/admin/send_progress.js from the progress view (a static
        script; the Content-Security-Policy allows no inline code)."""
        latest = obj.sendings.first() if obj.pk else None
        if latest is None:
            return "Not sent yet."
        # Whether the page is drawn while sending runs: when it ends, the
        # script offers to draw the page again (status, deliveries).
        running = "true" if latest.is_running else "false"
        return format_html(
            '<div class="send-progress" data-url="{}" data-running="{}" aria-live="polite">'
            '<progress max="100" value="0">0%</progress>'
            ' <span class="send-progress-text">Loading…</span></div>',
            reverse("admin:newsletter_edition_progress", args=[obj.pk]),
            running,
        )

    @property
    def media(self):
        return super().media + forms.Media(js=["newsletter/admin/send_progress.js"])

    @admin.display(description="Email")
    def preview_link(self, obj):
        return format_html(
            '<a href="{}">Preview</a>', reverse("admin:newsletter_edition_preview", args=[obj.pk])
        )

    @admin.display(description="Email preview")
    def email_preview(self, obj):
        if obj.pk is None:
            return "Save the edition to preview its email."
        if obj.is_translation:
            publish = ""
            if not obj.is_sent and obj.translation_of.is_sent:
                publish = format_html(
                    ' · <a href="{}">Publish in the archive…</a>',
                    reverse("admin:newsletter_edition_publish", args=[obj.pk]),
                )
            return format_html(
                '<a href="{}" target="_blank">HTML</a> · <a href="{}" target="_blank">plain'
                " text</a>{}",
                reverse("admin:newsletter_edition_preview", args=[obj.pk]),
                reverse("admin:newsletter_edition_preview", args=[obj.pk]) + "?format=text",
                publish,
            )
        return format_html(
            '<a href="{}" target="_blank">HTML</a> · <a href="{}" target="_blank">plain text</a>'
            ' · <a href="{}">Send to subscribers…</a>',
            reverse("admin:newsletter_edition_preview", args=[obj.pk]),
            reverse("admin:newsletter_edition_preview", args=[obj.pk]) + "?format=text",
            reverse("admin:newsletter_edition_send", args=[obj.pk]),
        )

    def view_on_site(self, obj):
        # An unsent edition has no public page yet: show its email preview.
        if obj.is_sent:
            return obj.get_absolute_url()
        return reverse("admin:newsletter_edition_preview", args=[obj.pk])

    def has_send_permission(self, request):
        return request.user.has_perm("newsletter.send_edition")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="newsletter_edition_preview"),
            path("<int:pk>/send/", view(self.send_view), name="newsletter_edition_send"),
            path(
                "<int:pk>/translate/<str:language>/",
                view(self.translate_view),
                name="newsletter_edition_translate",
            ),
            path("<int:pk>/publish/", view(self.publish_view), name="newsletter_edition_publish"),
            path(
                "<int:pk>/progress/",
                view(self.progress_view),
                name="newsletter_edition_progress",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        edition = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, edition):
            raise PermissionDenied
        rendered = emails.render_edition(edition)
        message = rendered.message(
            to="subscriber@example.org",
            unsubscribe_url=emails.absolute_url(reverse("newsletter:home")),
        )
        if request.GET.get("format") == "text":
            response = HttpResponse(message.body, content_type="text/plain; charset=utf-8")
        else:
            response = HttpResponse(message.alternatives[0][0])
        response["Cache-Control"] = "private, no-store"
        # Email HTML carries its styles inline (mail clients ignore style
        # sheets): allow those and nothing else, on this response only.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:;"
            " base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        return response

    def translate_view(self, request, pk, language):
        """Add the version of an English edition in ``language``, prefilled
        with the English text (editions.add_translation), after a confirmation."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(self.get_queryset(request), pk=pk, translation_of=None)
        names = dict(settings.LANGUAGES)
        if language not in names or language == edition.language:
            raise Http404("No such language.")
        existing = edition.translations.filter(language=language).first()
        if existing is not None:
            return redirect("admin:newsletter_edition_change", existing.pk)
        if request.method == "POST":
            version = editions.add_translation(edition=edition, language=language)
            self.log_addition(request, version, [{"added": {}}])
            self.message_user(
                request,
                f"The {names[language]} version of “{edition}” was added, prefilled with the"
                " English text: translate the title, intro, headlines and summaries (the"
                " sources stay as they are), then save.",
                messages.SUCCESS,
            )
            return redirect("admin:newsletter_edition_change", version.pk)
        return self._step_page(
            request,
            edition,
            "translate_confirm",
            f"Add the {names[language]} version of “{edition}”",
            language_name=names[language],
        )

    def _step_page(self, request, edition, template, title, **context):
        """The confirmation page of a step on ``edition`` (its template extends
        admin/newsletter/edition/step_base.html)."""
        return TemplateResponse(
            request,
            f"admin/newsletter/edition/{template}.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "edition": edition,
                "title": title,
                **context,
            },
        )

    def publish_view(self, request, pk):
        """Put a version written after its English edition was sent in the archive."""
        edition = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, edition):
            raise PermissionDenied
        if request.method != "POST":
            return self._step_page(request, edition, "publish_confirm", f"Publish “{edition}”")
        try:
            editions.publish_translation(edition=edition)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request, f"“{edition}” is in the archive. Nobody was emailed.", messages.SUCCESS
            )
        return redirect("admin:newsletter_edition_change", edition.pk)

    def send_view(self, request, pk):
        if not self.has_send_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(self.get_queryset(request), pk=pk)
        if edition.is_translation:
            self.message_user(request, SEND_THE_ENGLISH_EDITION, messages.WARNING)
            return redirect("admin:newsletter_edition_change", edition.pk)
        if request.method == "POST":
            sending.request_sending(edition=edition, user=request.user)
            self.message_user(
                request,
                f"Sending “{edition}” has started. It continues in the background: you can"
                " leave this page; the progress bar below shows how far it got.",
                messages.SUCCESS,
            )
            return redirect("admin:newsletter_edition_change", edition.pk)
        return self._step_page(
            request,
            edition,
            "send_confirm",
            f"Send “{edition}”",
            due=services.due_subscribers(edition).count(),
            versions=_due_by_version(edition),
        )

    def progress_view(self, request, pk):
        # Polled every second while sending: not the changelist's queryset,
        # whose delivery counts progress() makes anyway.
        edition = get_object_or_404(Edition, pk=pk)
        if not self.has_view_or_change_permission(request, edition):
            raise PermissionDenied
        latest = Sending.objects.filter(edition=edition).first()
        if latest is None:
            return JsonResponse({"started": False})
        data = sending.progress(sending=latest).as_json()
        response = JsonResponse({"started": True, **data})
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(description="Send to confirmed subscribers…", permissions=["send"])
    def send_action(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one edition to send.", messages.WARNING)
            return None
        edition = queryset.get()
        if edition.is_translation:
            self.message_user(request, SEND_THE_ENGLISH_EDITION, messages.WARNING)
            return None
        return redirect("admin:newsletter_edition_send", edition.pk)

    @admin.action(description="Send a test to me")
    def send_test_action(self, request, queryset):
        try:
            to = signups.normalize_email(request.user.email)
        except ValidationError:
            self.message_user(
                request,
                "Add a valid email address to your account to receive tests.",
                messages.ERROR,
            )
            return
        for edition in queryset:
            tasks.send_test.enqueue(edition.pk, to)
            self.message_user(
                request, f"A test of “{edition}” is on its way to {to}.", messages.SUCCESS
            )
