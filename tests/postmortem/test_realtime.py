"""A run driven through the API with real RQ workers, in real time: the node states rebuilt
from its events alone equal the live table mid-run and at the end, and its post-mortem
judges the steps whose due had passed late and the others early.

Real time is honest but not exact: the go-live is chosen so that two steps are already
well past due when completed and two are well before it, so which step is late, the
counts and the rate are exact, and each lateness is its planned distance give or take
the seconds the test takes (tests/postmortem/test_figures.py checks exact minutes on a
run played at chosen times).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.model.postmortem import EventRecord, replay_node_states
from tests.executor.conftest import Crew, graph_of, task_node

# Pinned steps (minutes from go-live): brief due T-170, links T-50, props T-10,
# rehearsal T0. With go-live 30 minutes ahead, brief and links are past due.
GRAPH = graph_of(
    [
        task_node("brief", "host", offset_minutes=-180),
        task_node("links", "operator", offset_minutes=-60),
        task_node("props", "assistant", offset_minutes=-20),
        task_node("rehearsal", "controller", offset_minutes=-10),
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
PLANNED_LATENESS = {"brief": 140, "links": 20, "props": -20, "rehearsal": -30}


def _replay_matches_the_table(crew: Crew, run_id: int) -> dict[str, str]:
    rows = crew.api.get(crew.url(f"/runs/{run_id}/events")).json
    events = [
        EventRecord(
            id=e["id"],
            at=datetime.fromisoformat(e["at"]),
            kind=e["kind"],
            actor_id=e["actor_id"],
            node_id=e["node_id"],
            task_id=e["task_id"],
            before=e["before"],
            after=e["after"],
            note=e["note"],
        )
        for e in rows
    ]
    table = {n["node_id"]: n["state"] for n in crew.run(run_id)["nodes"]}
    assert replay_node_states(events, table) == table
    return table


def test_a_run_through_the_api_replays_from_its_events_and_is_judged(crew, workers):
    workers.start()
    go_live = datetime.now(UTC) + timedelta(minutes=30)
    run = crew.start_run(GRAPH, go_live=go_live)
    workers.drain()
    [brief] = crew.tasks_of("host")
    host = crew.staff["host"].client()
    assert host.post(crew.url(f"/tasks/{brief['id']}/claim"), json={}).status_code == 200
    table = _replay_matches_the_table(crew, run["id"])
    assert (table["start"], table["brief"], table["props"]) == ("done", "active", "pending")

    assert crew.complete("host", brief).status_code == 200
    workers.drain()
    [links] = crew.tasks_of("operator")
    assert crew.complete("operator", links).status_code == 200
    workers.drain()
    table = _replay_matches_the_table(crew, run["id"])  # mid-run: props ready, links done
    assert (table["props"], table["links"], table["rehearsal"]) == ("ready", "done", "pending")

    [props] = crew.tasks_of("assistant")
    assert crew.complete("assistant", props).status_code == 200
    workers.drain()
    [rehearsal] = crew.tasks_of("controller")
    assert crew.complete("controller", rehearsal).status_code == 200
    workers.drain()
    assert crew.run(run["id"])["status"] == "completed"
    table = _replay_matches_the_table(crew, run["id"])
    assert set(table.values()) == {"done"}

    report = crew.manager.client().get(crew.url(f"/runs/{run['id']}/postmortem")).json["report"]
    assert report["on_time"] == {"judged": 4, "on_time": 2, "late": 2, "percent": 50.0}
    nodes = {n["node_id"]: n for n in report["nodes"] if n["judged"]}
    assert {k: n["on_time"] for k, n in nodes.items()} == {
        "brief": False,
        "links": False,
        "props": True,
        "rehearsal": True,
    }
    for node_id, planned in PLANNED_LATENESS.items():
        assert abs(nodes[node_id]["lateness_minutes"] - planned) <= 2, node_id
    roles = {r["key"]: (r["judged"], r["late"]) for r in report["by_role"]}
    assert roles == {"assistant": (1, 0), "controller": (1, 0), "host": (1, 1), "operator": (1, 1)}
    assert [s["node_id"] for s in report["critical_path"]][-2:] == ["rehearsal", "end"]

    signed = crew.manager.client().post(crew.url(f"/runs/{run['id']}/postmortem/sign-off"), json={})
    assert (signed.status_code, signed.json["status"]) == (200, "signed_off")
    pdf = crew.manager.client().get(crew.url(f"/runs/{run['id']}/postmortem.pdf"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
