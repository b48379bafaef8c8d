"""The live OpenAPI document is valid, and schemathesis finds no 5xx or off-spec response.

Every endpoint any issue adds is covered automatically: the test walks the spec.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from engine.model.access import WorkspaceRole


@pytest.fixture
def api_schema(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    # Every route refuses a NUL character with a 422 field error (api/nul_guard.py): a rule
    # for every string that JSON Schema would have to repeat on each. Generate none.
    schema.config.generation.update(allow_x00=False)
    return schema


@pytest.fixture
def admin_headers(factory):
    ws = factory.workspace("schemathesis")
    for role in WorkspaceRole:
        if role != WorkspaceRole.ADMIN:
            factory.person(ws, role)
    return factory.person(ws, WorkspaceRole.ADMIN).headers


schema = schemathesis.pytest.from_fixture("api_schema")


def test_spec_is_openapi_3_with_problem_errors(client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    assert "/api/auth/login" in paths and "/readyz" in paths
    error = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(error) == ["application/problem+json"]
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code", "errors"} <= set(problem["properties"])


# Bodies checked against what they concern: a graph (or a node, an edge, an export), a
# run's roster and variables, a task's checklist, fields and metrics, a channel's
# settings. JSON schema cannot say these rules (each node kind's settings, ids that must
# exist in the draft, roles the runbook uses, variables it declares, a task's own fields,
# each channel kind's settings), so a schema-valid body may rightly get a 422 problem
# naming the field; every other check still applies to them.
_SEMANTIC_BODIES = ("/runbooks", "/draft", "/runs", "/tasks", "/channels")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_spec(case, admin_headers):
    semantic = case.method != "GET" and any(part in case.path for part in _SEMANTIC_BODIES)
    case.call_and_validate(
        headers=admin_headers,
        excluded_checks=[positive_data_acceptance] if semantic else [],
    )
