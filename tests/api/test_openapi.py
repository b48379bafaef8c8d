"""The live OpenAPI document is valid, and schemathesis finds no 5xx or off-spec response.

Every endpoint any issue adds is covered automatically: the test walks the spec.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import delete, select

from engine.model.access import WorkspaceRole
from engine.store.accounts import Workspace
from engine.store.runbooks import Runbook


@pytest.fixture
def api_schema(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    # Every route refuses a NUL character with a 422 field error (api/nul_guard.py). The
    # document says so on every string (api/openapi.NO_NUL), but OpenAPI 3.0 cannot say it
    # of the keys and values of free-form objects (a task's fields, a run's variables).
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


# The stateful walk: workspaces and runbooks created, then read, renamed, listed, duplicated
# and exported through the links their creation answers carry (api/openapi.created_links,
# and the links schemathesis infers). No channel: a created one would be sent test messages.
_STATEFUL_PATHS = (
    r"^/api/workspaces(/\{workspace_id\}(/members|/runbooks(/\{runbook_id\}"
    r"(/duplicate|/export|/draft|/versions)?)?)?)?$"
)


def test_created_objects_can_be_used_through_their_links(api_schema, admin_headers, database):
    schema = api_schema.include(path_regex=_STATEFUL_PATHS)
    answered = set()
    with database.session() as session:
        first = session.scalars(select(Workspace.id)).all()

    class Walk(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": admin_headers}

        def teardown(self):
            # Every walk starts from the same database: what one walk created would change
            # what the next can draw, which Hypothesis reports as a flaky strategy.
            with database.session() as session:
                session.execute(delete(Runbook))
                session.execute(delete(Workspace).where(Workspace.id.not_in(first)))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            answered.add((case.method, case.path, response.status_code))
            semantic = case.method != "GET" and any(p in case.path for p in _SEMANTIC_BODIES)
            case.validate_response(
                response,
                excluded_checks=[positive_data_acceptance] if semantic else [],
                headers=admin_headers,
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    run_state_machine_as_test(
        Walk,
        # The same walks every run (each starts from the same database), so what they
        # reach below does not depend on luck.
        settings=settings(
            max_examples=30,
            stateful_step_count=8,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
    # The walk created things, and schemathesis's stateful checks (a created object can be
    # read back, a deleted one is gone) ran on what followed.
    assert ("POST", "/api/workspaces", 201) in answered
    assert ("POST", "/api/workspaces/{workspace_id}/runbooks", 201) in answered
