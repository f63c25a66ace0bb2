from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from newsletter import signups

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
    # Honeypot: hidden from people by CSS and from assistive technology by
    # aria-hidden on its wrapper; bots that fill every field fill it.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # The page the form was on, to return the reader there.
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "newsletter-%s")
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()

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
