"""A run walks its graph through real RQ workers: tasks go to the roster's people, a
parallel join waits for every branch, a decision follows the variables staff fill in,
and reaching the end completes the run."""

from __future__ import annotations

from tests.executor.conftest import graph_of, task_node

PARALLEL = graph_of(
    [
        task_node("brief", "host"),
        task_node("props", "assistant"),
        task_node("links", "operator"),
        task_node("rehearsal", "controller"),
    ],
    [
        ("start", "brief"),
        ("brief", "props"),
        ("brief", "links"),
        ("props", "rehearsal"),
        ("links", "rehearsal"),
        ("rehearsal", "end"),
    ],
)


def _titles(tasks: list[dict]) -> list[str]:
    return [t["node_id"] for t in tasks]


def test_tasks_follow_the_graph_and_the_join_waits_for_every_branch(crew, workers):
    workers.start()
    run = crew.start_run(PARALLEL)
    workers.drain()
    [brief] = crew.tasks_of("host")
    assert brief["node_id"] == "brief"
    assert brief["assignee_id"] == crew.staff["host"].user_id  # the only host
    assert crew.tasks_of("assistant") == []

    assert crew.complete("host", brief).status_code == 200
    workers.drain()
    [props] = crew.tasks_of("assistant")
    [links] = crew.tasks_of("operator")
    assert crew.complete("assistant", props).status_code == 200
    workers.drain()
    assert crew.tasks_of("controller") == []  # still waiting for the links branch

    assert crew.complete("operator", links).status_code == 200
    workers.drain()
    [rehearsal] = crew.tasks_of("controller")
    assert crew.complete("controller", rehearsal).status_code == 200
    workers.drain()

    detail = crew.run(run["id"])
    assert detail["status"] == "completed"
    assert {n["node_id"]: n["state"] for n in detail["nodes"]} == dict.fromkeys(
        ["start", "end", "brief", "props", "links", "rehearsal"], "done"
    )
    assert detail["progress"] == {"finished": 6, "total": 6}
    kinds = [e["kind"] for e in crew.api.get(crew.url(f"/runs/{run['id']}/events")).json]
    assert kinds.count("task.complete") == 4
    assert kinds[-1] == "run.complete"


DECISION = graph_of(
    [
        task_node(
            "warmup",
            "operator",
            settings={
                "required_fields": [
                    {
                        "key": "reservations",
                        "label": "预约人数",
                        "type": "number",
                        "sets_variable": "reservations",
                    }
                ]
            },
        ),
        {"id": "enough", "kind": "decision", "phase": "pre_event", "title": "预约达标?"},
        task_node("boost", "assistant"),
        task_node("go", "host"),
    ],
    [
        ("start", "warmup"),
        ("warmup", "enough"),
        ("enough", "boost"),
        ("enough", "go"),
        ("boost", "go"),
        ("go", "end"),
    ],
    variables=[
        {"key": "reservations", "type": "number"},
        {"key": "target", "type": "number", "default": 500},
    ],
)
DECISION["edges"][2]["condition"] = {"var": "reservations", "op": "<", "value": {"var": "target"}}
DECISION["edges"][3]["is_default"] = True


def test_a_decision_takes_the_branch_the_variables_choose(crew, workers):
    workers.start()
    run = crew.start_run(DECISION)
    workers.drain()
    [warmup] = crew.tasks_of("operator")
    missing = crew.complete("operator", warmup, fields={"reservations": "many"})
    assert missing.status_code == 422
    assert missing.json["code"] == "task.incomplete"
    assert [e["field"] for e in missing.json["errors"]] == ["fields.reservations"]

    done = crew.complete("operator", warmup, fields={"reservations": 800})
    assert done.status_code == 200, done.json
    workers.drain()
    assert crew.tasks_of("assistant") == []  # 800 >= 500: no boost needed
    assert [t["node_id"] for t in crew.tasks_of("host")] == ["go"]
    states = {n["node_id"]: n["state"] for n in crew.run(run["id"])["nodes"]}
    assert (states["enough"], states["boost"], states["go"]) == ("done", "skipped", "ready")
    assert crew.run(run["id"])["variables"]["reservations"] == 800
