"""What is coming for a staff member (`GET …/tasks/upcoming`) and what they did today
(`GET …/tasks?mine=true&status=done&completed_after=…`), as the run moves on through
real RQ workers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.paging import MAX_LIMIT
from engine.store.accounts import Membership
from tests.executor.conftest import Crew, graph_of, task_node

APPROVAL = {
    "id": "sign_off",
    "kind": "approval",
    "phase": "pre_event",
    "title": "审批脚本",
    "role": "manager",
    "duration_minutes": 15,
    "settings": {},
}
# The operator prepares, the host rehearses, the manager signs off, the host goes live.
SHOW = graph_of(
    [
        task_node("prep", "operator", offset_minutes=-120),
        task_node("rehearse", "host", offset_minutes=-60, title="主播彩排"),
        APPROVAL,
        task_node("props", "assistant"),
        task_node("live", "host", phase="execution", offset_minutes=0, title="开播"),
    ],
    [
        ("start", "prep"),
        ("prep", "rehearse"),
        ("rehearse", "sign_off"),
        ("sign_off", "props"),
        ("props", "live"),
        ("live", "end"),
    ],
)
GO_LIVE = datetime(2031, 3, 1, 12, tzinfo=UTC)


def _roster(crew) -> dict[str, list[int]]:
    people = {role: [p.user_id] for role, p in crew.staff.items()}
    return {**people, "manager": [crew.manager.user_id]}


def _upcoming(person, crew, **query) -> list[dict]:
    response = person.client().get(crew.url("/tasks/upcoming"), query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_the_host_sees_the_steps_of_their_role_that_have_not_opened(crew, workers):
    run = crew.start_run(SHOW, go_live=GO_LIVE, roster=_roster(crew), tz="Asia/Shanghai")
    workers.burst()
    host = crew.staff["host"]
    coming = _upcoming(host, crew)
    assert [(s["node_id"], s["role"], s["kind"]) for s in coming] == [
        ("rehearse", "host", "task"),
        ("live", "host", "task"),
    ]  # not the operator's prep (open), the assistant's props or the manager's approval
    rehearse = coming[0]
    assert rehearse["title"] == "主播彩排"
    assert (rehearse["run_id"], rehearse["run_name"]) == (run["id"], run["name"])
    assert (rehearse["run_status"], rehearse["run_tz"], rehearse["phase"]) == (
        "running",
        "Asia/Shanghai",
        "pre_event",
    )
    assert datetime.fromisoformat(rehearse["go_live_at"]) == GO_LIVE
    assert datetime.fromisoformat(rehearse["planned_start"]) == GO_LIVE - timedelta(hours=1)
    assert datetime.fromisoformat(rehearse["planned_due"]) == GO_LIVE - timedelta(minutes=50)
    assert rehearse["offset_minutes"] == -60
    assert coming[1]["offset_minutes"] == 0
    assert _upcoming(crew.staff["operator"], crew) == []  # prep is open: a task, not coming
    approvals = _upcoming(crew.manager, crew)
    assert [(s["node_id"], s["kind"]) for s in approvals] == [("sign_off", "approval")]

    [prep] = crew.tasks_of("operator")
    assert crew.complete("operator", prep).status_code == 200
    workers.burst()
    assert [s["node_id"] for s in _upcoming(host, crew)] == ["live"]  # rehearse opened
    [rehearse_task] = crew.tasks_of("host")
    assert rehearse_task["node_id"] == "rehearse"

    assert crew.complete("host", rehearse_task).status_code == 200
    workers.burst()
    assert [s["node_id"] for s in _upcoming(host, crew)] == ["live"]  # done is not coming
    assert [s["node_id"] for s in _upcoming(crew.manager, crew)] == []  # sign-off is open


def test_scheduled_runs_show_soonest_first_and_other_workspaces_never(
    crew, workers, factory, database
):
    later = crew.start_run(SHOW, go_live=GO_LIVE + timedelta(days=1), roster=_roster(crew))
    sooner = crew.start_run(SHOW, go_live=GO_LIVE, roster=_roster(crew), start=False)
    workers.burst()
    host = crew.staff["host"]
    coming = _upcoming(host, crew)
    assert [(s["run_id"], s["node_id"]) for s in coming] == [
        (sooner["id"], "rehearse"),
        (sooner["id"], "live"),
        (later["id"], "rehearse"),
        (later["id"], "live"),
    ]
    assert coming[0]["run_status"] == "scheduled"
    # A scheduled run has no task yet: even its first step is coming.
    assert [s["node_id"] for s in _upcoming(crew.staff["operator"], crew)] == ["prep"]
    assert [s["run_id"] for s in _upcoming(host, crew, run_id=later["id"])] == [later["id"]] * 2
    assert len(_upcoming(host, crew, limit=3)) == 3
    assert _upcoming(host, crew, limit=3, offset=3) == coming[3:]

    cancelled = crew.api.post(crew.url(f"/runs/{sooner['id']}/cancel"), json={})
    assert cancelled.status_code == 200, cancelled.json
    assert {s["run_id"] for s in _upcoming(host, crew)} == {later["id"]}

    # The host also works in another workspace: each workspace shows its own runs only.
    other = Crew(factory)
    with database.session() as session:
        session.add(Membership(workspace_id=other.ws, user_id=host.user_id, role="staff"))
    roster = {**_roster(other), "host": [host.user_id]}
    elsewhere = other.start_run(SHOW, roster=roster, start=False)
    there = host.client().get(other.url("/tasks/upcoming")).json
    assert {s["run_id"] for s in there} == {elsewhere["id"]}
    assert {s["run_id"] for s in _upcoming(host, crew)} == {later["id"]}
    stranger = other.staff["host"].client().get(crew.url("/tasks/upcoming"))
    assert (stranger.status_code, stranger.json["code"]) == (404, "resource.not_found")
    too_many = host.client().get(crew.url("/tasks/upcoming"), query_string={"limit": MAX_LIMIT + 1})
    assert too_many.status_code == 422
    assert [e["field"] for e in too_many.json["errors"]] == ["limit"]
    assert too_many.mimetype == "application/problem+json"


def test_done_today_lists_what_i_finished_since_a_time(crew, workers):
    run = crew.start_run(SHOW, go_live=GO_LIVE, roster=_roster(crew))
    workers.burst()
    before = datetime.now(UTC) - timedelta(seconds=1)
    [prep] = crew.tasks_of("operator")
    assert crew.complete("operator", prep).status_code == 200
    workers.burst()

    done = crew.tasks_of("operator", status="done", completed_after=before.isoformat())
    assert [(t["node_id"], t["status"]) for t in done] == [("prep", "done")]
    assert done[0]["completed_at"] is not None
    after = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    assert crew.tasks_of("operator", status="done", completed_after=after) == []
    assert crew.tasks_of("host", status="done", completed_after=before.isoformat()) == []

    # The run ends: what was done today still shows.
    crew.api.post(crew.url(f"/runs/{run['id']}/cancel"), json={})
    done = crew.tasks_of("operator", status="done", completed_after=before.isoformat())
    assert [t["node_id"] for t in done] == ["prep"]
    naive = (
        crew.staff["operator"]
        .client()
        .get(crew.url("/tasks"), query_string={"completed_after": "2031-01-01T00:00:00"})
    )
    assert naive.status_code == 422
    assert [e["field"] for e in naive.json["errors"]] == ["completed_after"]
