from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from newsletter import signups
from newsletter.models import Subscriber

# What a subscriber agrees to. It is shown next to every sign-up button and
# stored with each sign-up (the consent record, in the language it was
# shown in), so change it here only.
CONSENT_TEXT = _(
    "Email me the free healthlib newsletter of research summaries, about once a month. "
    "I can unsubscribe at any time with the link in every email."
)
HONEYPOT_MESSAGE = _(
    "Your sign-up looked automatic, so we did not send it. If you are a person, "
    "leave the field marked “Leave this field empty” empty and try again."
)
RATE_LIMITED_MESSAGE = _(
    "There have been too many sign-ups from your connection in the last hour. "
    "Please try again later."
)
# Shown on the page the reader signed up from. No address in it: flash
# messages travel in a (signed, not encrypted) cookie.
SIGNED_UP_MESSAGE = _(
    "Thank you. Check your email: we have sent you a link to confirm your sign-up to "
    "the newsletter. Nothing is sent until you click it."
)


def language_choices():
    """settings.LANGUAGES, the page's language first (and preselected)."""
    current = get_language()
    return sorted(settings.LANGUAGES, key=lambda choice: choice[0] != current)


class TopicsField(forms.ModelMultipleChoiceField):
    """The library's topics (preferences.topic_choices), as checkboxes,
    each labelled in the page's language."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=Tag.objects.none(), required=False, **kwargs)

    def label_from_instance(self, obj):
        return getattr(obj, "display_name", obj.name)

    def offer(self, tags):
        self.queryset = Tag.objects.filter(pk__in=[t.pk for t in tags])
        names = {t.pk: t.display_name for t in tags}
        order = {t.pk: i for i, t in enumerate(tags)}
        self.choices = sorted(
            ((t.pk, names[t.pk]) for t in tags), key=lambda choice: order[choice[0]]
        )


class SignUpForm(forms.Form):
    email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("Enter your email address.")},
    )
    # Language names are written in their own language (settings.LANGUAGES):
    # a reader finds theirs whatever the page's language.
    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=language_choices,
        required=False,
    )
    # Optional: none chosen is every edition (the form shows the library's
    # topics when the view offers them).
    topics = TopicsField(
        label=_("Topics you are interested in (optional)"),
        help_text=_("Choose none to get every edition."),
    )
    # Honeypot: hidden from people by CSS and from assistive technology by
    # aria-hidden on its wrapper; bots that fill every field fill it.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # The page the form was on, to return the reader there.
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args, topic_choices=(), **kwargs):
        kwargs.setdefault("auto_id", "newsletter-%s")
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()
        self.fields["topics"].offer(list(topic_choices))

    @property
    def is_bot(self):
        return bool(self.data.get("website", "").strip())

    def clean_email(self):
        try:
            return signups.normalize_email(self.cleaned_data["email"])
        except ValidationError:
            raise ValidationError(_("Enter a valid email address, such as name@example.com."))

    def clean_language(self):
        # A form without the field (an old cached page) signs up in the
        # language of the page it was posted to.
        language = self.cleaned_data.get("language") or get_language()
        return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# How far ahead a pause may go: a year, then they choose again.
MAX_PAUSE_DAYS = 366


class PreferencesForm(forms.Form):
    topics = TopicsField(
        label=_("Topics you are interested in"),
        help_text=_("Choose none to get every edition."),
    )
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        widget=forms.RadioSelect,
    )
    paused_until = forms.DateField(
        label=_("Pause until"),
        required=False,
        help_text=_("Nothing is sent to you before this day. Leave empty to get emails now."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, such as 2027-01-31.")},
    )

    def __init__(self, *args, topic_choices=(), **kwargs):
        kwargs.setdefault("auto_id", "preferences-%s")
        super().__init__(*args, **kwargs)
        self.fields["topics"].offer(list(topic_choices))

    def clean_paused_until(self):
        day = self.cleaned_data.get("paused_until")
        if day is None:
            return None
        today = timezone.localdate()
        if day <= today:
            return None  # a day gone by: not paused
        if (day - today).days > MAX_PAUSE_DAYS:
            raise ValidationError(_("Pause for a year at most."))
        return day
