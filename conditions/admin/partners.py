"""Partners in the admin: their API keys (made here, shown once, revoked
here), their requests per day as a small chart, their webhooks and the
log of every delivery."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from conditions.models import ApiKey, Partner, WebhookDelivery, WebhookEndpoint
from conditions.models.partners import KIND_CHOICES
from conditions.partners import chart, keys, webhooks


class ApiKeyForm(forms.ModelForm):
    revoke = forms.BooleanField(label=_("Revoke"), required=False)

    class Meta:
        model = ApiKey
        fields = ["label"]


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    form = ApiKeyForm
    extra = 0
    can_delete = False
    fields = ["label", "prefix", "created_at", "last_used_on", "revoked_at", "revoke"]
    readonly_fields = ["prefix", "created_at", "last_used_on", "revoked_at"]
    verbose_name_plural = _("API keys (a new key is shown once, when saved)")


class WebhookForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("kinds of change"), choices=KIND_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "kinds", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        webhooks.check_address(url)
        return url


class WebhookInline(admin.StackedInline):
    model = WebhookEndpoint
    form = WebhookForm
    extra = 0
    fields = ["url", "kinds", "active", "secret", "consecutive_failures", "disabled_at"]
    readonly_fields = ["secret", "consecutive_failures", "disabled_at"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "created_at"]
    search_fields = ["name", "contact_email"]
    inlines = [ApiKeyInline, WebhookInline]
    readonly_fields = ["usage", "delivery_log"]
    fields = ["name", "contact_email", "requests_per_hour", "notes", "usage", "delivery_log"]

    @admin.display(description=_("Requests"))
    def usage(self, obj):
        if obj.pk is None:
            return "—"
        return chart.render(obj)

    @admin.display(description=_("Webhook deliveries"))
    def delivery_log(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:conditions_webhookdelivery_changelist")
        return format_html(
            '<a href="{}?endpoint__partner__id__exact={}">{}</a>',
            url,
            obj.pk,
            _("The delivery log"),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is ApiKey:
            # The admin's history reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for key_form in formset.forms:
                if not key_form.has_changed() or key_form.cleaned_data.get("DELETE"):
                    continue
                if key_form.instance.pk is None:
                    row, key = keys.create_key(
                        partner=form.instance, label=key_form.cleaned_data.get("label", "")
                    )
                    formset.new_objects.append(row)
                    messages.warning(
                        request,
                        format_html(
                            "{} <code>{}</code>",
                            _("The new API key (copy it now: it is never shown again):"),
                            key,
                        ),
                    )
                    continue
                key_form.instance.save(update_fields=["label"])
                if key_form.cleaned_data.get("revoke"):
                    keys.revoke(key_form.instance)
            return
        if formset.model is WebhookEndpoint:
            for hook_form in formset.forms:
                instance = hook_form.instance
                if not instance.secret:
                    instance.secret = webhooks.new_secret()
                if instance.pk and "active" in hook_form.changed_data and instance.active:
                    instance.consecutive_failures = 0
                    instance.disabled_at = None
        super().save_formset(request, form, formset, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Every delivery tried, per partner: read only."""

    list_display = [
        "created_at",
        "endpoint",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
    ]
    list_filter = ["status", "endpoint__partner"]
    list_select_related = ["endpoint"]
    readonly_fields = [
        "endpoint",
        "message_id",
        "event_type",
        "payload",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "finished_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
