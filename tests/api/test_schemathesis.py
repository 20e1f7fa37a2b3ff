"""The whole API against its own OpenAPI schema (issue 15: "schemathesis
against the OpenAPI schema finds no 500"). Every GET operation of the live
schema, served by the WSGI app in process, is called with values
schemathesis draws from the schema (and some it does not allow), in a
world with public, hidden and trashed proposals; every answer must be no
5xx, a status code the schema documents, JSON, and shaped as the schema
says. Operations the other parts of the API add are covered once merged.

Kept to 25 examples an operation so it runs in well under two minutes."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.world import make_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def world(db, settings):
    # The fuzzing calls hundreds of times from one address.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "100000/m", "partner": "100000/m"},
    }
    # The WSGI app closes the database connection after each request when
    # connections are not kept (DATABASE_CONN_MAX_AGE=0, as in CI), and the
    # test's transaction lives on that connection: on PostgreSQL every call
    # after the first found it closed. Django's test client disconnects the
    # same receiver while it calls the app.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield make_world()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


# The live schema, as /api/schema/ serves it (no database needed to build it).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@schema.include(method="GET").parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_every_get_operation_conforms_and_never_fails(case, world):
    case.call_and_validate(checks=CHECKS)
