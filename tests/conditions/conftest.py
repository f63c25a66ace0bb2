"""Fixtures several of the conditions app's test modules share."""

import pytest

from conditions import services
from conditions.publishing import snapshots
from tests import factories
from tests.factories import SMALL, URGENT


@pytest.fixture
def urgent_article(settings):
    """Myoclonus, published, with a "When to get urgent help" section
    written last (shown first), the emergency number 112, and the site at
    https://health.example.org."""
    settings.EMERGENCY_NUMBER = "112"
    settings.SITE_URL = "https://health.example.org"
    data = factories.article_data("Myoclonus", sections=3, tags=("Nervous system",))
    data["sections"].append({"kind": "urgent_help", "heading": "", "body": URGENT, "order": 99})
    condition = services.create_article(data=data)
    services.publish(condition=condition)
    condition.refresh_from_db()
    return condition


@pytest.fixture
def seo_article(settings):
    """Myoclonus as search engines see it: other names, codes, a figure, a
    drug group without a heading, a plain citation, and a reviewer's
    byline, published on https://health.example.org."""
    settings.SITE_URL = "https://health.example.org"
    condition = factories.article(
        "Myoclonus",
        alternate_names="Muscle jerks\nJerking",
        summary="Sudden jerks of a muscle.",
        groups=2,
        references=2,
        figures=1,
        codes=[("icd10cm", "G25.3"), ("snomedct", "17450006")],
        tags=("Nervous system",),
    )
    data = factories.article_data(
        "Myoclonus",
        alternate_names="Muscle jerks\nJerking",
        summary="Sudden jerks of a muscle.",
        groups=2,
        references=2,
        codes=[("icd10cm", "G25.3"), ("snomedct", "17450006")],
    )
    data["drug_groups"].append({"heading": "", "order": 5, "drugs": [factories.drug("5-HTP")]})
    data["references"].append({"order": 9, "citation_text": "Plain citation, 2001."})
    data["figures"] = snapshots.take(condition)["figures"]
    condition = services.update_article(condition=condition, data=data)
    services.publish(
        condition=condition, reviewer_name="Rita Reviewer", reviewer_credentials="MD, MPH"
    )
    return condition


@pytest.fixture
def feedback_article():
    """Myoclonus, published, one section and nothing else."""
    condition = factories.article("Myoclonus", **SMALL)
    condition.refresh_from_db()
    return condition
