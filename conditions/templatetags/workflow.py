"""Template helpers for the editors' workflow pages."""

from django import template

from conditions.models import Condition

register = template.Library()

_LABELS = dict(Condition.Status.choices)


@register.filter
def status_label(code):
    """“In review” for "in_review"; “New” for a revision that created the article."""
    if not code:
        return "New"
    return _LABELS.get(code, code)


@register.simple_tag
def status_change(revision):
    """“In review → Published”, or the one status when it did not change."""
    before, after = revision.status_before, revision.status_after
    if before == after:
        return status_label(after)
    return f"{status_label(before)} → {status_label(after)}"
