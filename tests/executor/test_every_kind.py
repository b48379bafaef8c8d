"""Every kind of node, met as its people meet it over HTTP, with real RQ workers: the host
completes a task, the manager approves or rejects the plan (with a note), the decision
follows the approval's variable, a notification and a wait pass by themselves, one cue is
sent at its time and the operator skips the other, and the run ends."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from tests.executor.conftest import graph_of, task_node

EVERY_KIND = graph_of(
    [
        task_node("plan", "host"),
        {
            "id": "approve",
            "kind": "approval",
            "phase": "pre_event",
            "title": "直播方案审批",
            "role": "manager",
            "duration_minutes": 30,
            "settings": {"instructions": "审核方案", "sets_variable": "plan_ok"},
        },
        {"id": "decide", "kind": "decision", "phase": "pre_event", "title": "方案通过?"},
        task_node("rework", "host", title="修改方案"),
        {
            "id": "tell",
            "kind": "notify",
            "phase": "pre_event",
            "title": "开播通知",
            "settings": {"to_role": "host", "message": "方案已通过，准备开播"},
        },
        {
            "id": "wait",
            "kind": "wait",
            "phase": "pre_event",
            "title": "等待开播",
            "settings": {"mode": "until_offset", "until_offset_minutes": 0},
        },
        {
            "id": "coupon",
            "kind": "recurring",
            "phase": "execution",
            "title": "推送优惠券",
            "role": "operator",
            "offset_minutes": 0,
            "duration_minutes": 1,
            "settings": {"every_minutes": 1, "count": 2, "cue": "推券"},
        },
        task_node("figures", "host", phase="review"),
    ],
    [
        ("start", "plan"),
        ("plan", "approve"),
        ("approve", "decide"),
        ("decide", "tell"),
        ("decide", "rework"),
        ("tell", "wait"),
        ("wait", "coupon"),
        ("coupon", "figures"),
        ("figures", "end"),
        ("rework", "end"),
    ],
    variables=[{"key": "plan_ok", "type": "bool"}],
)
EVERY_KIND["edges"][3]["condition"] = {"var": "plan_ok", "op": "==", "value": True}
EVERY_KIND["edges"][4]["is_default"] = True


def _start(crew, go_live: datetime) -> dict:
    roster = {role: [person.user_id] for role, person in crew.staff.items()}
    return crew.start_run(
        EVERY_KIND, go_live=go_live, roster=roster | {"manager": [crew.manager.user_id]}
    )


def _states(crew, run_id: int) -> dict[str, str]:
    return {n["node_id"]: n["state"] for n in crew.run(run_id)["nodes"]}


def _approval(crew, run_id: int) -> dict:
    manager = crew.manager.client()
    tasks = manager.get(crew.url("/tasks"), query_string={"mine": "true"}).json
    [approval] = [t for t in tasks if t["run_id"] == run_id]
    assert approval["node_id"] == "approve"
    detail = manager.get(crew.url(f"/tasks/{approval['id']}")).json
    assert "complete" in detail["actions"]
    return approval


def _wait_for(predicate, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the run did not get there in time"
        time.sleep(0.1)


def test_every_node_kind_is_passed_by_the_right_person(crew, workers):
    workers.start()
    go_live = datetime.now(UTC) + timedelta(seconds=3)
    run = _start(crew, go_live)
    workers.drain()
    [plan] = crew.tasks_of("host")
    assert crew.complete("host", plan).status_code == 200
    workers.drain()

    approval = _approval(crew, run["id"])
    approved = crew.manager.client().post(
        crew.url(f"/tasks/{approval['id']}/complete"), json={"approved": True, "note": "可以"}
    )
    assert approved.status_code == 200, approved.json
    assert approved.json["result"]["approved"] is True
    assert approved.json["result"]["note"] == "可以"
    workers.drain()
    states = _states(crew, run["id"])
    assert (states["decide"], states["rework"]) == ("done", "skipped")
    assert crew.run(run["id"])["variables"]["plan_ok"] is True
    _wait_for(lambda: _states(crew, run["id"])["tell"] == "done")  # sent by the executor

    # The wait lets go at go-live; the first cue is sent at its time, the second skipped.
    _wait_for(lambda: _states(crew, run["id"])["coupon"] in ("ready", "active"))
    cues = crew.api.get(crew.url(f"/runs/{run['id']}/cues")).json
    _wait_for(lambda: crew.api.get(crew.url(f"/runs/{run['id']}/cues")).json[0]["status"] == "sent")
    operator = crew.staff["operator"].client()
    skipped = operator.post(
        crew.url(f"/runs/{run['id']}/cues/{cues[1]['id']}/skip"), json={"reason": "库存不足"}
    )
    assert (skipped.status_code, skipped.json["status"]) == (200, "skipped")
    workers.drain()
    _wait_for(lambda: [t["node_id"] for t in crew.tasks_of("host")] == ["figures"])

    [figures] = crew.tasks_of("host")
    assert crew.complete("host", figures).status_code == 200
    workers.drain()
    ended = crew.run(run["id"])
    assert ended["status"] == "completed"
    assert _states(crew, run["id"]) == {
        "start": "done",
        "plan": "done",
        "approve": "done",
        "decide": "done",
        "rework": "skipped",
        "tell": "done",
        "wait": "done",
        "coupon": "done",
        "figures": "done",
        "end": "done",
    }


def test_a_rejection_steers_the_decision_to_the_rework(crew, workers):
    workers.start()
    run = _start(crew, datetime.now(UTC) + timedelta(hours=2))
    workers.drain()
    [plan] = crew.tasks_of("host")
    crew.complete("host", plan)
    workers.drain()
    approval = _approval(crew, run["id"])
    manager = crew.manager.client()
    url = crew.url(f"/tasks/{approval['id']}/complete")
    for wrong in ({}, {"approved": "yes"}, {"approved": True, "checklist": {}}):
        refused = manager.post(url, json=wrong)
        assert (refused.status_code, refused.json["code"]) == (422, "task.incomplete"), wrong
    assert [e["field"] for e in manager.post(url, json={}).json["errors"]] == ["approved"]

    rejected = manager.post(url, json={"approved": False, "note": "选品要重做"})
    assert rejected.status_code == 200, rejected.json
    assert (rejected.json["status"], rejected.json["result"]["approved"]) == ("done", False)
    workers.drain()
    states = _states(crew, run["id"])
    assert (states["rework"], states["tell"], states["wait"]) == ("ready", "skipped", "skipped")
    assert [t["node_id"] for t in crew.tasks_of("host")] == ["rework"]
    assert crew.run(run["id"])["variables"]["plan_ok"] is False
