"""Builds the demo library through the same services editors use."""

from . import importer
from .demo import FIGURE_ALT_TEXT, MYOCLONUS_DETAILS, MYOCLONUS_FILE, ORGANIZATION_URLS, REVIEW
from .models import Condition


def load_myoclonus():
    """(condition, created). Imports the seed through the importer, with
    the review details, and publishes it. Leaves an existing article alone."""
    parsed = importer.parse_article(MYOCLONUS_FILE.read_bytes(), name=MYOCLONUS_FILE.name)
    existing = Condition.objects.editable().filter(slug=parsed.slug).first()
    if existing is not None:
        return existing, False
    for figure in parsed.data["figures"]:
        figure["alt_text"] = FIGURE_ALT_TEXT.get(figure["caption"], figure["alt_text"])
    for organization in parsed.data["organizations"]:
        organization["url"] = ORGANIZATION_URLS.get(organization["name"], "")
    result = importer.save_parsed(
        parsed, name=MYOCLONUS_FILE.name, publish=True, extra=MYOCLONUS_DETAILS, review=REVIEW
    )
    return result.condition, True


def load_extras():
    """Other apps' demo content (the newsletter adds its editions here)."""
    from newsletter import demo as newsletter_demo

    return [*newsletter_demo.load()]
