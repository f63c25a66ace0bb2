"""schemathesis against /api/openapi.json: every operation, with data the
document calls valid (must be accepted) and data it calls invalid (must be
refused with a documented JSON 400), and every answer checked against the
document (status, content type, headers, body). Bounded, so the suite
stays fast; runs on whichever database the suite runs on."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from conditions import services
from conditions.publishing import snapshots
from healthlib.wsgi import application
from tests import factories

EXAMPLES = 40


@pytest.fixture
def keep_connection():
    """Requests go through the WSGI handler, not Django's test client, so
    do what the client does: keep the test's database connection (and its
    transaction) open between requests. On PostgreSQL the handler would
    close it after the first answer."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def library(db, keep_connection):
    # A small published library, so that lists, filters and look-ups find
    # something and the bodies are checked, not only the errors.
    myoclonus = factories.article(
        "Myoclonus",
        tags=("Nervous system",),
        references=1,
        organizations=1,
        figures=1,
        codes=[("icd10cm", "G25.3"), ("snomedct", "17450006")],
    )
    factories.article("5-HTP deficiency", tags=("Nervous system",))
    # In Spanish too, so that answers with lang=es or Accept-Language: es
    # carry a translation, checked like the rest.
    translation = services.create_translation(source=myoclonus, language="es")
    data = snapshots.take(translation)
    data.update(title="Mioclonía", slug="mioclonia")
    services.publish(condition=services.update_article(condition=translation, data=data))


# The document itself is served without the database. The CDS Hooks
# services it also describes are left out: a valid call may name any FHIR
# server, which the service would then read (their hostile bodies are
# tests/conditions/api/test_cds_properties.py's); their discovery stays.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).exclude(
    path_regex="^/cds-services/."
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_documented_contract(library, case):
    # oEmbed answers a format it does not serve with 501, as its
    # specification says (documented there); a 5xx anywhere else fails.
    excluded = [not_a_server_error] if case.path == "/oembed/" else []
    case.call_and_validate(excluded_checks=excluded)
