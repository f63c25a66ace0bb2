"""Dates on readers' pages: one human format, the machine form only in
``<time datetime>``."""

import datetime

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()

# "November 24, 2026", "24 de noviembre de 2026": each language's
# DATE_FORMAT (English's is set in healthlib/formats/en/formats.py).
HUMAN_FORMAT = "DATE_FORMAT"


@register.filter
def human_date(value):
    """A date, or an ISO date string (as update notes store them), as a
    ``<time>`` element: ISO in its attribute, words in its text."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if not isinstance(value, datetime.date):
        # Not a date at all (an imported note's malformed date): nothing,
        # rather than a page that cannot be rendered.
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), date_format(value, HUMAN_FORMAT)
    )
