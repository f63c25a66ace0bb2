"""Readers' feedback (conditions.services.feedback): only on a live copy."""

import pytest

from conditions import services

pytestmark = pytest.mark.django_db


def test_services_refuse_a_working_copy(feedback_article):
    with pytest.raises(services.WorkflowError):
        services.record_feedback(live=feedback_article, helpful=True)
