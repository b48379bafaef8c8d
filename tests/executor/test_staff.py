"""The staff task flow and run control through the API, as people use them: my tasks,
claim and unclaim, who may act (403) and who may not even see (404), problems, managers'
reopen, reassign and skip, the live crew's cue changes, and pausing a run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.model.access import WorkspaceRole
from tests.executor.conftest import graph_of, task_node

TWO_HOSTS = graph_of(
    [task_node("script", "host"), task_node("props", "assistant")],
    [("start", "script"), ("script", "props"), ("props", "end")],
)


def _start(crew, workers, graph=TWO_HOSTS, **extra) -> dict:
    run = crew.start_run(graph, **extra)
    workers.burst()
    return run


def test_my_tasks_claim_and_who_may_act(crew, workers, factory):
    second_host = factory.person(crew.ws, WorkspaceRole.STAFF)
    roster = {
        "host": [crew.staff["host"].user_id, second_host.user_id],
        "assistant": [crew.staff["assistant"].user_id],
    }
    _start(crew, workers, roster=roster)
    [script] = crew.tasks_of("host")
    assert script["assignee_id"] is None  # two hosts: offered to both
    second = second_host.client()
    assert [t["id"] for t in second.get(crew.url("/tasks?mine=true")).json] == [script["id"]]

    detail = second.get(crew.url(f"/tasks/{script['id']}")).json
    assert detail["actions"] == ["claim", "report_problem"]
    assert detail["node"]["settings"]["checklist"][0]["id"] == "done"

    not_mine = (
        crew.staff["assistant"].client().post(crew.url(f"/tasks/{script['id']}/claim"), json={})
    )
    assert (not_mine.status_code, not_mine.json["code"]) == (403, "task.not_allowed")
    unclaimed = crew.complete("host", script)
    assert unclaimed.status_code == 403  # complete needs the task to be yours

    claimed = second.post(crew.url(f"/tasks/{script['id']}/claim"), json={}).json
    assert (claimed["status"], claimed["assignee_id"]) == ("claimed", second_host.user_id)
    assert crew.tasks_of("host") == []  # no longer offered to the other host
    states = {n["node_id"]: n["state"] for n in crew.run(claimed["run_id"])["nodes"]}
    assert states["script"] == "active"

    back = second.post(crew.url(f"/tasks/{script['id']}/unclaim"), json={}).json
    assert (back["status"], back["assignee_id"]) == ("open", None)

    outsider = factory.person(factory.workspace(), WorkspaceRole.ADMIN).client()
    assert outsider.get(crew.url(f"/tasks/{script['id']}")).status_code == 404
    assert outsider.get(f"/api/workspaces/{crew.ws}/tasks").status_code == 404


def test_filters_by_status_run_and_due_window(crew, workers):
    go_live = datetime(2031, 1, 1, 12, tzinfo=UTC)
    early = task_node("early", "host", offset_minutes=-120)
    late = task_node("late", "host", offset_minutes=-60)
    graph = graph_of(
        [early, late], [("start", "early"), ("start", "late"), ("early", "end"), ("late", "end")]
    )
    first = _start(crew, workers, graph=graph, go_live=go_live)
    _start(crew, workers, graph=graph, go_live=go_live + timedelta(days=1))
    mine = crew.tasks_of("host")
    assert [t["node_id"] for t in mine] == ["early", "late", "early", "late"]  # by due time
    assert len(crew.tasks_of("host", run_id=first["id"])) == 2
    window = crew.tasks_of("host", due_before=(go_live + timedelta(hours=1)).isoformat())
    assert [(t["run_id"], t["node_id"]) for t in window] == [
        (first["id"], "early"),
        (first["id"], "late"),
    ]
    assert crew.tasks_of("host", status="done") == []


def test_problems_block_and_managers_reopen_reassign_and_skip(crew, workers):
    run = _start(crew, workers)
    [script] = crew.tasks_of("host")
    host = crew.staff["host"].client()
    reported = host.post(
        crew.url(f"/tasks/{script['id']}/report_problem"), json={"note": "提词器坏了"}
    ).json
    assert reported["blocked"] is True
    refused = crew.complete("host", script)
    assert refused.status_code == 409  # blocked until resolved
    host.post(crew.url(f"/tasks/{script['id']}/resolve_problem"), json={"note": "换了备用机"})

    manager = crew.manager.client()
    handed = manager.post(
        crew.url(f"/tasks/{script['id']}/reassign"),
        json={"assignee_id": crew.staff["assistant"].user_id},
    ).json
    assert handed["assignee_id"] == crew.staff["assistant"].user_id
    assert (
        crew.staff["assistant"]
        .client()
        .post(crew.url(f"/tasks/{script['id']}/complete"), json={"checklist": {"done": True}})
        .status_code
        == 200
    )
    reopened = manager.post(
        crew.url(f"/tasks/{script['id']}/reopen"), json={"note": "重新确认"}
    ).json
    assert reopened["status"] == "open"
    workers.burst()
    mine = {t["node_id"]: t for t in crew.tasks_of("assistant")}
    assert set(mine) == {"script", "props"}  # the reopened task stays with its new assignee
    props = mine["props"]
    assert host.post(crew.url(f"/tasks/{props['id']}/skip"), json={}).status_code == 403
    skipped = manager.post(crew.url(f"/tasks/{props['id']}/skip"), json={"note": "不需要"})
    assert skipped.json["status"] == "skipped"
    workers.burst()
    assert crew.run(run["id"])["status"] == "completed"
    kinds = [e["kind"] for e in crew.api.get(crew.url(f"/runs/{run['id']}/events")).json]
    for kind in (
        "task.report_problem",
        "task.resolve_problem",
        "task.reassign",
        "task.reopen",
        "task.skip",
    ):
        assert kind in kinds


CUES = graph_of(
    [
        {
            "id": "coupons",
            "kind": "recurring",
            "phase": "execution",
            "title": "推券",
            "role": "operator",
            "offset_minutes": 0,
            "duration_minutes": 1,
            "settings": {"every_minutes": 20, "count": 3, "cue": "推送满减券"},
        }
    ],
    [("start", "coupons"), ("coupons", "end")],
)


def test_the_live_crew_shifts_and_skips_cues_with_a_reason(crew, workers):
    go_live = datetime.now(UTC) + timedelta(hours=2)
    run = _start(crew, workers, graph=CUES, go_live=go_live)
    cues = crew.api.get(crew.url(f"/runs/{run['id']}/cues")).json
    assert [c["fire_at"][:16] for c in cues] == [
        (go_live + timedelta(minutes=m)).isoformat()[:16] for m in (0, 20, 40)
    ]
    operator = crew.staff["operator"].client()
    shifted = operator.post(
        crew.url(f"/runs/{run['id']}/cues/{cues[1]['id']}/shift"),
        json={"minutes": 5, "reason": "主播还在讲解"},
    )
    assert shifted.status_code == 200, shifted.json
    assert shifted.json["fire_at"][:16] == (go_live + timedelta(minutes=25)).isoformat()[:16]
    host = crew.staff["host"].client()
    refused = host.post(
        crew.url(f"/runs/{run['id']}/cues/{cues[2]['id']}/skip"), json={"reason": "x"}
    )
    assert refused.status_code == 403
    assert (refused.json["code"], refused.json["detail"]) == (
        "cue.not_allowed",
        "Only the live crew or a manager may skip a cue.",
    )
    controller = crew.staff["controller"].client()
    skip = crew.url(f"/runs/{run['id']}/cues/{cues[2]['id']}/skip")
    skipped = controller.post(skip, json={"reason": "库存不足"})
    assert skipped.json["status"] == "skipped"
    again = controller.post(skip, json={"reason": "再跳一次"})
    assert (again.status_code, again.json["code"]) == (409, "cue.invalid_transition")
    assert again.json["detail"] == "This cue is skipped: “skip” is not possible now."
    listed = crew.api.get(crew.url(f"/runs/{run['id']}/cues")).json
    assert [c["status"] for c in listed] == ["planned", "planned", "skipped"]
    events = crew.api.get(crew.url(f"/runs/{run['id']}/events")).json
    notes = {e["kind"]: e["note"] for e in events if e["kind"].startswith("cue.")}
    assert notes == {"cue.shift": "主播还在讲解", "cue.skip": "库存不足"}


def test_pause_resume_cancel_and_refusals(crew, workers):
    run = _start(crew, workers)
    base = crew.url(f"/runs/{run['id']}")
    assert crew.api.post(f"{base}/pause").json["status"] == "paused"
    [script] = crew.tasks_of("host")
    assert crew.complete("host", script).status_code == 200  # work goes on, the run waits
    workers.burst()
    assert crew.tasks_of("assistant") == []
    assert crew.api.post(f"{base}/resume").json["status"] == "running"
    workers.burst()
    assert len(crew.tasks_of("assistant")) == 1
    staff = crew.staff["host"].client()
    assert staff.post(f"{base}/cancel").status_code == 403
    assert crew.api.post(f"{base}/cancel").json["status"] == "cancelled"
    again = crew.api.post(f"{base}/resume")
    assert (again.status_code, again.json["code"]) == (409, "run.invalid_transition")
    assert crew.tasks_of("assistant") == []
    ended = crew.api.get(crew.url(f"/tasks?run_id={run['id']}&status=cancelled")).json
    assert [(t["node_id"], t["run_status"]) for t in ended] == [("props", "cancelled")]
    listed = crew.api.get(crew.url("/runs?status=cancelled")).json
    assert [r["id"] for r in listed] == [run["id"]]


def test_a_run_needs_a_published_version_and_a_full_roster(crew):
    created = crew.api.post(crew.url("/runbooks"), json={"name": "草稿"}).json
    no_version = crew.api.post(
        crew.url("/runs"),
        json={"runbook_id": created["id"], "go_live": "2031-01-01T20:00:00+08:00"},
    )
    assert no_version.status_code == 422
    assert no_version.json["errors"][0]["field"] == "version"
    runbook_id = crew.publish(TWO_HOSTS)
    missing = crew.api.post(
        crew.url("/runs"),
        json={
            "runbook_id": runbook_id,
            "go_live": "2031-01-01T20:00:00+08:00",
            "roster": {"host": [crew.staff["host"].user_id]},
            "variables": {"nope": 1},
        },
    )
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json["errors"]} == {"roster.assistant", "variables.nope"}
    assert crew.api.get(crew.url("/runs")).json == []


def test_runs_remind_and_escalate_as_their_runbook_says(crew, workers, database):
    from sqlalchemy import select

    from engine.store.runs import Timer

    runbook_id = crew.publish(TWO_HOSTS)
    changed = crew.api.patch(
        crew.url(f"/runbooks/{runbook_id}"),
        json={"reminder_lead_minutes": None, "escalation_delay_minutes": 45},
    )
    assert changed.json["reminder_lead_minutes"] is None
    roster = {role: [p.user_id] for role, p in crew.staff.items()}
    go_live = datetime.now(UTC) + timedelta(days=1)
    run = crew.api.post(
        crew.url("/runs"),
        json={
            "runbook_id": runbook_id,
            "go_live": go_live.isoformat(),
            "roster": roster,
            "start": True,
        },
    ).json
    assert (run["reminder_lead_minutes"], run["escalation_delay_minutes"]) == (None, 45)
    workers.burst()
    [script] = crew.tasks_of("host")
    with database.session() as session:
        kinds = session.scalars(select(Timer.kind).where(Timer.run_id == run["id"])).all()
    assert [str(k) for k in kinds] == ["escalation"]
    due = datetime.fromisoformat(script["due_at"])
    with database.session() as session:
        fire_at = session.scalar(select(Timer.fire_at).where(Timer.run_id == run["id"]))
    assert fire_at - due == timedelta(minutes=45)


def test_reopened_and_completed_again_before_the_executor_came_by(crew, workers):
    run = crew.start_run(TWO_HOSTS)
    workers.burst()
    [script] = crew.tasks_of("host")
    assert crew.complete("host", script).status_code == 200
    reopened = crew.manager.client().post(crew.url(f"/tasks/{script['id']}/reopen"), json={})
    assert reopened.json["status"] == "open"
    again = crew.complete("host", script)
    assert again.status_code == 200, again.json  # no second outbox row, no error
    workers.burst()
    assert [t["node_id"] for t in crew.tasks_of("assistant")] == ["props"]
    states = {n["node_id"]: n["state"] for n in crew.run(run["id"])["nodes"]}
    assert (states["script"], states["props"]) == ("done", "ready")
