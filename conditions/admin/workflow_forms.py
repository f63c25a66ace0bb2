"""The workflow's forms: what an editor or reviewer sends to submit, publish,
request changes, record a review, archive or translate an article."""

import datetime
import re

from django import forms
from django.utils import timezone

from conditions import selectors, services
from conditions.models import Condition
from conditions.pages import translations
from conditions.review.compare import compare

HISTORY_PAGE_SIZE = 50
REVISION_ID = re.compile(r"[0-9]{1,18}")


class ReviewedRevisionForm(forms.Form):
    """A workflow form that names the revision the reviewer read, so that
    what they approve is exactly what goes live."""

    revision = forms.IntegerField(widget=forms.HiddenInput)


class PublishForm(ReviewedRevisionForm):
    update_note = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Shown to readers under “Revision information”, e.g. "
        "“Treatment section updated with new drug guidance.”",
    )
    reviewer_name = forms.CharField(
        max_length=200,
        help_text="Your name as readers see it. Kept on your account for your next sign-off.",
    )
    reviewer_credentials = forms.CharField(
        max_length=100, required=False, help_text="For example: MD, MPH"
    )
    go_live_at = forms.DateTimeField(
        required=False,
        label="Go live at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text="Leave blank to publish now. A future time schedules it: the text you "
        "approve now goes live then, and later edits wait for their own review.",
    )
    acknowledge = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Warnings I have read",
        help_text="Tick each warning to confirm you have read it and it may be published as it is.",
    )

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        if warnings:
            self.fields["acknowledge"].choices = [(p.key, p.message) for p in warnings]
        else:
            del self.fields["acknowledge"]

    def clean_acknowledge(self):
        ticked = self.cleaned_data["acknowledge"]
        if len(set(ticked)) < len(self.fields["acknowledge"].choices):
            raise forms.ValidationError(
                "Tick each warning to confirm you have read it before publishing."
            )
        return ticked

    def clean_go_live_at(self):
        value = self.cleaned_data["go_live_at"]
        if value is not None and value < timezone.now() - datetime.timedelta(minutes=1):
            raise forms.ValidationError("Choose a time in the future, or leave blank.")
        return value


class CommentForm(forms.Form):
    comment = forms.CharField(
        max_length=300, required=False, widget=forms.TextInput(attrs={"size": 80})
    )


class RequestChangesForm(ReviewedRevisionForm):
    comment = forms.CharField(
        max_length=480,
        label="What should change",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Sent to the author by email and kept in the article's history.",
    )


class ReviewForm(ReviewedRevisionForm):
    note = forms.CharField(
        max_length=500,
        required=False,
        label="Public note",
        help_text="Optional; shown under “Revision information”.",
        widget=forms.TextInput(attrs={"size": 80}),
    )


class ArchiveForm(forms.Form):
    replaced_by = forms.ModelChoiceField(
        queryset=Condition.objects.none(),
        required=False,
        help_text="Readers of the old address are sent here. Leave blank to answer “410 Gone”.",
    )
    comment = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, condition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = (
            Condition.objects.editable().exclude(pk=condition.pk).order_by("title")
        )


class TranslateForm(forms.Form):
    language = forms.ChoiceField(
        help_text="The translation starts as a copy of the published English text (or the "
        "latest, if it was never published), for a translator to rewrite. It has its own "
        "review: a medical reviewer signs it off when they publish it."
    )

    def __init__(self, *args, condition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, translations.language_name(code))
            for code in services.missing_translations(condition)
        ]


ACTIONS = {
    # action: (title, permission, form class, button label)
    "submit": ("Submit for review", "conditions.change_condition", CommentForm, "Submit"),
    "publish": ("Publish", services.PUBLISH_PERMISSION, PublishForm, "Publish"),
    "request_changes": (
        "Request changes",
        services.PUBLISH_PERMISSION,
        RequestChangesForm,
        "Send back to the author",
    ),
    "unpublish": ("Unpublish", services.PUBLISH_PERMISSION, CommentForm, "Unpublish"),
    "archive": ("Archive", services.PUBLISH_PERMISSION, ArchiveForm, "Archive"),
    "review": ("Record a review", services.REVIEW_PERMISSION, ReviewForm, "Record review"),
    "translate": ("Translate", "conditions.add_condition", TranslateForm, "Start the translation"),
    "source_unaffecting": (
        "The English changes do not affect this translation",
        services.REVIEW_PERMISSION,
        CommentForm,
        "Record that the translation is current",
    ),
}


class Unsent(str):
    """A step done whose email reached nobody: shown as a warning, so the
    person knows to tell someone themselves."""


class Done(str):
    """A success message that names the article to go to next."""

    def __new__(cls, text, *, condition):
        done = super().__new__(cls, text)
        done.condition = condition
        return done


def source_changes(translation):
    """What changed in the English article since ``translation`` was made:
    the comparison on the page where a reviewer decides about it."""
    source = translation.translation_of
    if source is None or source.live_revision is None:
        return {}
    made_from = translation.translated_from
    return {
        "comparison": compare(
            made_from.snapshot if made_from else None, source.live_revision.snapshot
        ),
        "compared_with_live": made_from is not None,
        "comparison_heading": "What changed in the English article since this translation "
        "was made (the revision it was made from → the published English version)",
        "source_compare_url": selectors.source_changes_url(translation),
    }
