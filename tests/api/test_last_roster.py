"""Planning the next run from the last: the roster of a runbook's latest run (of any of
its versions), of the people still members."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.executor.conftest import Crew, graph_of, task_node

GRAPH = graph_of(
    [task_node("rehearse", "host"), task_node("check", "operator")],
    [("start", "rehearse"), ("start", "check"), ("rehearse", "end"), ("check", "end")],
)


@pytest.fixture
def crew(factory) -> Crew:
    """A planner, a manager and four staff, without the executor's workers."""
    return Crew(factory)


def _plan(crew: Crew, runbook_id: int, roster: dict[str, list[int]], name: str) -> int:
    body = {
        "runbook_id": runbook_id,
        "name": name,
        "go_live": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        "roster": roster,
        "start": False,
    }
    answer = crew.api.post(crew.url("/runs"), json=body)
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def _last(crew: Crew, runbook_id: int, person=None):
    return (person or crew.planner).client().get(crew.url(f"/runbooks/{runbook_id}/last-roster"))


def test_the_last_runs_roster_of_people_still_members(crew, factory):
    runbook = crew.publish(GRAPH)
    assert _last(crew, runbook).json == {"run_id": None, "run_name": None, "roster": {}}

    host, operator, assistant = (crew.staff[r].user_id for r in ("host", "operator", "assistant"))
    _plan(crew, runbook, {"host": [host], "operator": [operator]}, "第一场")
    republished = crew.api.post(crew.url(f"/runbooks/{runbook}/publish"), json={})
    assert republished.status_code == 201, republished.json  # version 2: still this runbook
    second = _plan(crew, runbook, {"host": [assistant, host], "operator": [operator]}, "第二场")
    other = crew.publish(GRAPH)  # another runbook's run is not this one's
    _plan(crew, other, {"host": [operator], "operator": [operator]}, "别的")

    answer = _last(crew, runbook, crew.staff["host"])  # any member may read it
    assert answer.status_code == 200, answer.json
    assert answer.json == {
        "run_id": second,
        "run_name": "第二场",
        "roster": {"host": [assistant, host], "operator": [operator]},
    }

    admin = factory.person(crew.ws, "admin")
    gone = admin.client().delete(crew.url(f"/members/{crew.staff['assistant'].member_id}"))
    assert gone.status_code == 204
    assert _last(crew, runbook).json["roster"] == {"host": [host], "operator": [operator]}


def test_another_workspaces_runbook_is_not_found(crew, factory):
    runbook = crew.publish(GRAPH)
    stranger = factory.person(factory.workspace(), "planner")
    answer = stranger.client().get(
        f"/api/workspaces/{stranger.workspace_id}/runbooks/{runbook}/last-roster"
    )
    assert (answer.status_code, answer.json["code"]) == (404, "resource.not_found")
