"""The seed's newsletter, for ``load_demo``.

From the bottom of the scraped page: the March 2015 edition with its
summary (text verbatim) and the three "previous editions", whose headlines
and months are all the seed gives, so they have no body here.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import Edition, Newsletter, ResearchSummary

NAME = "Current Research From Top Journals"
DESCRIPTION = (
    "Our free newsletter: current research from top journals, summarized in plain "
    "language by the healthlib editors, about once a month."
)
MARCH_2015_SUMMARY = (
    "Many medical groups felt that early exposure to certain foods like peanuts increased a "
    "child's risk of developing food allergies. However, newer research including this trial "
    "suggest that early exposure may actually decrease the risk of developing food allergies."
)
# Oldest first, so that editions of the same month list newest first.
PREVIOUS = [
    (
        "Research Review Finds Little Support for Nearly Half of Medical Talk Show Recommendations",
        datetime.date(2015, 1, 1),
    ),
    ("Tonsillectomy May Reduce Number of Sore Throat Days in Children", datetime.date(2015, 2, 1)),
    ("Breastfeeding May Decrease the Risk of Childhood Obesity", datetime.date(2015, 2, 1)),
]
MARCH = {
    "title": "March 2015",
    "slug": "march-2015",
    "issue_date": datetime.date(2015, 3, 1),
    # The seed gives this summary no headline; this one only restates its text.
    "headline": "Early Exposure to Peanuts May Decrease the Risk of Food Allergies",
    "body": MARCH_2015_SUMMARY,
}


def _edition(newsletter, *, title, slug, issue_date, headline, body=""):
    edition, created = Edition.objects.get_or_create(
        slug=slug,
        defaults={
            "newsletter": newsletter,
            "title": title,
            "issue_date": issue_date,
            "status": Edition.Status.SENT,
            "sent_at": timezone.make_aware(datetime.datetime.combine(issue_date, datetime.time())),
        },
    )
    if created:
        ResearchSummary.objects.create(edition=edition, headline=headline, body=body, order=0)
    return edition, created


@transaction.atomic
def load():
    """Create the demo newsletter; returns lines for load_demo to print. Idempotent."""
    newsletter = Newsletter.objects.filter(name=NAME).first()
    if newsletter is None:
        newsletter = Newsletter.objects.create(name=NAME, description=DESCRIPTION)
    created = 0
    for headline, issue_date in PREVIOUS:
        _, new = _edition(
            newsletter,
            title=headline,
            slug=slugify(headline)[:200],
            issue_date=issue_date,
            headline=headline,
        )
        created += new
    _, new = _edition(newsletter, **MARCH)
    created += new
    total = Edition.objects.filter(newsletter=newsletter).count()
    return [f"Newsletter “{NAME}”: {created} editions created, {total} in all: /newsletter/"]
