"""The newsletter's models: a summary's Markdown is sanitized."""

import pytest

from newsletter.models import ResearchSummary

pytestmark = pytest.mark.django_db


def test_summary_markdown_is_sanitized(make_edition):
    edition = make_edition(summaries=0)
    summary = ResearchSummary.objects.create(
        edition=edition, headline="x", body="<script>alert(1)</script> [a](javascript:alert(1))"
    )
    assert "<script>" not in summary.body_html
    assert 'href="javascript' not in summary.body_html
