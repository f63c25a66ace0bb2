"""A partner's requests per day as a small bar chart: SVG written on the
server, no script; the numbers are also in a table for screen readers."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from conditions.models import PartnerUsage

DAYS = 30
WIDTH, HEIGHT, BAR = 300, 60, 10


def daily_requests(partner, *, days=DAYS, today=None):
    """[(day, requests)] for the last ``days`` days, oldest first, zeros included."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    counts = dict(
        PartnerUsage.objects.filter(partner=partner, day__gte=first).values_list("day", "requests")
    )
    return [
        (first + datetime.timedelta(days=n), counts.get(first + datetime.timedelta(days=n), 0))
        for n in range(days)
    ]


def render(partner, *, today=None):
    """The chart and its table, as safe HTML."""
    series = daily_requests(partner, today=today)
    peak = max((n for _day, n in series), default=0) or 1
    total = sum(n for _day, n in series)
    title = _("Requests per day, last %(days)d days: %(total)d in all") % {
        "days": len(series),
        "total": total,
    }
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                i * BAR,
                HEIGHT - round(HEIGHT * n / peak),
                BAR - 2,
                round(HEIGHT * n / peak),
                date_format(day, "SHORT_DATE_FORMAT"),
                n,
            )
            for i, (day, n) in enumerate(series)
        ),
    )
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td>{}</td></tr>",
        ((date_format(day, "SHORT_DATE_FORMAT"), n) for day, n in series if n),
    )
    return format_html(
        '<figure class="usage-chart"><svg role="img" aria-label="{title}" width="{w}" '
        'height="{h}" viewBox="0 0 {w} {h}" fill="currentColor">{bars}</svg>'
        "<figcaption>{title}</figcaption>"
        "<details><summary>{table_label}</summary><table><thead><tr><th scope='col'>{day}</th>"
        "<th scope='col'>{requests}</th></tr></thead><tbody>{rows}</tbody></table></details>"
        "</figure>",
        title=title,
        w=len(series) * BAR,
        h=HEIGHT,
        bars=bars,
        table_label=_("The numbers"),
        day=_("Day"),
        requests=_("Requests"),
        rows=rows,
    )
