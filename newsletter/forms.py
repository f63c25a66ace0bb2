from django import forms
from django.core.exceptions import ValidationError

from . import signups

# What a subscriber agrees to. It is shown next to every sign-up button and
# stored with each sign-up (the consent record), so change it here only.
CONSENT_TEXT = (
    "Email me the free healthlib newsletter of research summaries, about once a month. "
    "I can unsubscribe at any time with the link in every email."
)
HONEYPOT_MESSAGE = (
    "Your sign-up looked automatic, so we did not send it. If you are a person, "
    "leave the field marked “Leave this field empty” empty and try again."
)
RATE_LIMITED_MESSAGE = (
    "There have been too many sign-ups from your connection in the last hour. "
    "Please try again later."
)
# Shown on the page the reader signed up from. No address in it: flash
# messages travel in a (signed, not encrypted) cookie.
SIGNED_UP_MESSAGE = (
    "Thank you. Check your email: we have sent you a link to confirm your sign-up to "
    "the newsletter. Nothing is sent until you click it."
)


class SignUpForm(forms.Form):
    email = forms.CharField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address."},
    )
    # Honeypot: hidden from people by CSS and from assistive technology by
    # aria-hidden on its wrapper; bots that fill every field fill it.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # The page the form was on, to return the reader there.
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "newsletter-%s")
        super().__init__(*args, **kwargs)

    @property
    def is_bot(self):
        return bool(self.data.get("website", "").strip())

    def clean_email(self):
        try:
            return signups.normalize_email(self.cleaned_data["email"])
        except ValidationError:
            raise ValidationError("Enter a valid email address, such as name@example.com.")
