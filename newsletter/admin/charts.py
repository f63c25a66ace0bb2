"""Small server-rendered charts of the newsletter's statistics for the
admin (newsletter.stats): SVG drawn here, no script, no inline style
(the admin's Content-Security-Policy allows neither); every bar carries
its number as text, so nothing depends on seeing the bars."""

from django.utils.html import format_html, format_html_join

from newsletter import stats

BAR_WIDTH = 240
ROW = 22
LABEL = 190


def bars(rows, *, label):
    """A horizontal bar chart of ``rows`` [(name, value)] as SVG."""
    top = max([value for _name, value in rows] + [1])
    height = ROW * len(rows) + 4
    width = LABEL + BAR_WIDTH + 60
    parts = format_html_join(
        "",
        '<g><text x="0" y="{}" font-size="13">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="14" fill="#0b5394"></rect>'
        '<text x="{}" y="{}" font-size="13">{}</text></g>',
        (
            (
                i * ROW + 15,
                name if len(name) <= 30 else name[:29] + "…",
                LABEL,
                i * ROW + 4,
                round(BAR_WIDTH * value / top),
                LABEL + round(BAR_WIDTH * value / top) + 6,
                i * ROW + 15,
                value,
            )
            for i, (name, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="newsletter-chart" role="img" aria-label="{}" width="{}" height="{}" '
        'viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        label, width, height, width, height, label, parts,
    )  # fmt: skip


def edition_chart(edition):
    """The edition's numbers, then its links by clicks."""
    numbers = stats.for_edition(edition)
    summary = bars(
        [
            ("Sent", numbers["sent"]),
            ("Failed", numbers["failed"]),
            ("Clicks", numbers["clicks"]),
            ("Unsubscribes", numbers["unsubscribes"]),
            ("Bounces", numbers["bounces"]),
            ("Complaints", numbers["complaints"]),
        ],
        label=f"{edition}: sent, failed, clicks, unsubscribes, bounces, complaints",
    )
    if not numbers["links"]:
        return format_html("{}<p>No clicks counted yet.</p>", summary)
    links = bars(numbers["links"][:15], label=f"{edition}: clicks per link")
    urls = format_html_join("", "<li>{} — {}</li>", ((url, n) for url, n in numbers["links"][:15]))
    return format_html("{}<p>Clicks per link:</p>{}<ol>{}</ol>", summary, links, urls)


def over_time_chart(newsletter):
    """The last sent editions' clicks, unsubscribes, bounces and complaints."""
    rows = stats.over_time(newsletter)
    if not rows:
        return "No edition sent yet."
    charts = [
        bars(
            [(str(row["edition"]), row[what]) for row in rows],
            label=f"{what.capitalize()} per edition, oldest first",
        )
        for what in ("clicks", "unsubscribes", "bounces", "complaints")
    ]
    return format_html_join(
        "",
        "<p>{}:</p>{}",
        zip(["Clicks", "Unsubscribes", "Bounces", "Complaints"], charts, strict=True),
    )
