"""Readers' forms on the public pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

FEEDBACK_COMMENT_CHARS = 500
# Marked here, translated where they are shown (``gettext(FEEDBACK_THANKS)``):
# a message stored for the next request must be a plain string.
FEEDBACK_HONEYPOT_MESSAGE = gettext_noop(
    "Your answer looked automatic, so we did not keep it. If you are a person, "
    "leave the field marked “Leave this field empty” empty and try again."
)
FEEDBACK_RATE_LIMITED_MESSAGE = gettext_noop(
    "We have had many answers from your connection in the last hour. Please try again later."
)
FEEDBACK_THANKS = gettext_noop(
    "Thank you for telling us. Your answer helps our editors improve this page."
)


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this page helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    comment = forms.CharField(
        label=_("What could we do better? (optional)"),
        required=False,
        max_length=FEEDBACK_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": FEEDBACK_COMMENT_CHARS}),
        help_text=_(
            "Do not include your name, email address, phone number or health details: "
            "we cannot reply here. For advice about your health, talk to a doctor."
        ),
        error_messages={
            "max_length": _("Keep it under %(limit_value)d characters, please."),
        },
    )
    # Honeypot, as on the newsletter's sign-up form: hidden from people by
    # CSS and from assistive technology by aria-hidden on its wrapper.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "feedback-%s")
        super().__init__(*args, **kwargs)

    @property
    def is_bot(self):
        return bool(str(self.data.get("website", "")).strip())
