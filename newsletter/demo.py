"""The seed's newsletter, for ``load_demo``.

From the bottom of the scraped page: the March 2015 edition with its
summary (text verbatim) and the three "previous editions", whose headlines
and months are all the seed gives, so they have no body here. The latest
edition, March 2015, also has its Spanish version: a faithful translation
of its title, headline and summary, nothing added.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from newsletter import editions
from newsletter.models import Edition, Newsletter, ResearchSummary

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


# The Spanish version of MARCH, word for word.
MARCH_ES = {
    "title": "Marzo de 2015",
    "headline": "La exposición temprana al maní puede disminuir el riesgo de alergias alimentarias",
    "body": (
        "Muchos grupos médicos consideraban que la exposición temprana a ciertos alimentos, "
        "como el maní, aumentaba el riesgo de que un niño desarrollara alergias alimentarias. "
        "Sin embargo, investigaciones más recientes, entre ellas este ensayo, indican que la "
        "exposición temprana en realidad puede disminuir el riesgo de desarrollar alergias "
        "alimentarias."
    ),
}


def _spanish_version(edition):
    """The Spanish version of ``edition`` (March 2015); (version, created)."""
    existing = edition.translations.filter(language="es").first()
    if existing is not None:
        return existing, False
    version = editions.add_translation(edition=edition, language="es")
    version.title = MARCH_ES["title"]
    version.save(update_fields=["title", "updated_at"])
    summary = version.summaries.get()
    summary.headline = MARCH_ES["headline"]
    summary.body = MARCH_ES["body"]
    summary.save()
    editions.publish_translation(edition=version)
    return version, True


def _edition(newsletter, *, title, slug, issue_date, headline, body=""):
    edition, created = Edition.objects.get_or_create(
        slug=slug,
        language="en",
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
    march, new = _edition(newsletter, **MARCH)
    created += new
    spanish, new = _spanish_version(march)
    total = Edition.objects.sources().filter(newsletter=newsletter).count()
    return [
        f"Newsletter “{NAME}”: {created} editions created, {total} in all: /newsletter/",
        f"Spanish version of “{march}”: {'created' if new else 'kept'}:"
        f" {spanish.get_absolute_url()}",
    ]
