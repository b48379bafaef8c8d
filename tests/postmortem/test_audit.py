"""The audit trail: every state change is an append-only event with who, when, what,
before and after; managers list it with filters and keyset paging or export it as CSV;
no route edits or deletes an event."""

from __future__ import annotations

import csv
import io
import json

import pytest

from engine.exports.csv import EVENT_COLUMNS, TASK_COLUMNS
from tests.postmortem.driven import RUN_NAME, DrivenRun, T, drive_live_stream


def _events(person, url: str, **query) -> dict:
    response = person.client().get(url, query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_runbook_changes_are_audited_small(crew):
    api = crew.api
    created = api.post(crew.url("/runbooks"), json={"name": "直播", "template": "live_stream"})
    runbook = created.json["id"]
    draft = api.get(crew.url(f"/runbooks/{runbook}/draft")).json
    graph = draft["graph"]
    graph["nodes"][1]["title"] = "改过的标题"
    api.put(crew.url(f"/runbooks/{runbook}/draft"), json=graph, headers={"If-Match": '"1"'})
    node = {"kind": "task", "phase": "review", "title": "复盘会", "role": "host"}
    added = api.post(
        crew.url(f"/runbooks/{runbook}/draft/nodes"), json=node, headers={"If-Match": '"2"'}
    )
    node_id = added.json["node"]["id"]
    edge_id = graph["edges"][0]["id"]
    api.delete(crew.url(f"/runbooks/{runbook}/draft/edges/{edge_id}"), headers={"If-Match": '"3"'})
    api.delete(crew.url(f"/runbooks/{runbook}/draft/nodes/{node_id}"), headers={"If-Match": '"4"'})
    api.post(crew.url(f"/runbooks/{runbook}/draft/layout"), headers={"If-Match": '"5"'})
    api.put(crew.url(f"/runbooks/{runbook}/draft"), json=graph, headers={"If-Match": '"6"'})
    published = api.post(crew.url(f"/runbooks/{runbook}/publish"), json={"note": "双11 版"})
    assert published.status_code == 201, published.json
    copy = api.post(crew.url(f"/runbooks/{runbook}/duplicate"), json={}).json["id"]
    export = api.get(crew.url(f"/runbooks/{runbook}/export")).json
    imported = api.post(crew.url("/runbooks/import"), json=export).json["id"]

    page = _events(crew.manager, crew.url("/events"), kind="runbook.*")
    rows = [
        (e["kind"], e["runbook_id"], e["actor_id"], e["before"], e["after"])
        for e in reversed(page["events"])
    ]
    planner, nodes = crew.planner.user_id, len(graph["nodes"])
    assert rows[0] == (
        "runbook.create",
        runbook,
        planner,
        None,
        {"revision": 1, "nodes": nodes, "source": "template", "template": "live_stream"},
    )
    assert rows[1][0] == "runbook.draft_save"
    assert (rows[1][3], rows[1][4]) == (
        {"revision": 1, "nodes": nodes, "errors": 0},
        {"revision": 2, "nodes": nodes, "errors": 0},
    )
    edits = [
        (e[4]["edit"], e[3]["revision"], e[4].get("node_id"), e[4].get("edge_id"))
        for e in rows[2:5]
    ]
    assert edits == [
        ("add_node", 2, node_id, None),
        ("delete_edge", 3, None, edge_id),
        ("delete_node", 4, node_id, None),
    ]
    assert rows[5][4]["edit"] == "auto_layout"
    assert rows[6][0] == "runbook.draft_save"
    publish = page["events"][-8]
    assert (publish["kind"], publish["before"], publish["after"], publish["note"]) == (
        "runbook.publish",
        {"revision": 7, "version": None},
        {"revision": 7, "version": 1},
        "双11 版",
    )
    assert rows[8][1:3] == (copy, planner)
    assert rows[8][4]["source"] == "duplicate" and rows[8][4]["from_runbook_id"] == runbook
    assert (rows[9][0], rows[9][1], rows[9][4]["source"]) == ("runbook.create", imported, "import")
    assert len(rows) == 10
    # small: facts about the change, never the graph
    assert all(len(json.dumps(e["after"])) < 300 for e in page["events"])


@pytest.fixture
def finished(database, crew) -> DrivenRun:
    return drive_live_stream(database, crew)


def test_events_are_filtered_and_paged_newest_first(finished):
    crew = finished.crew
    url = crew.url("/events")
    everything = _events(crew.manager, url, run_id=finished.run_id, limit=500)["events"]
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids, reverse=True) and len(ids) == 49
    assert everything[-1]["kind"] == "run.create"
    assert everything[0]["kind"] == "run.complete"

    seen, cursor, pages = [], None, 0
    while True:
        query = {"run_id": finished.run_id, "limit": 10}
        if cursor is not None:
            query["after_id"] = cursor
        page = _events(crew.manager, url, **query)
        seen += [e["id"] for e in page["events"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
        assert cursor == page["events"][-1]["id"]
    assert (seen, pages) == (ids, 5)

    completions = _events(crew.manager, url, run_id=finished.run_id, kind="task.complete")
    assert len(completions["events"]) == 9
    several = _events(crew.manager, url, kind=["task.reopen", "task.reassign"])
    assert sorted(e["kind"] for e in several["events"]) == ["task.reassign", "task.reopen"]
    tasks = _events(crew.manager, url, run_id=finished.run_id, kind="task.*", limit=500)
    assert {e["kind"].split(".")[0] for e in tasks["events"]} == {"task"}
    operator = finished.user("operator")
    mine = _events(crew.manager, url, actor_id=operator, limit=500)["events"]
    assert {e["actor_id"] for e in mine} == {operator}
    assert len({e["actor"] for e in mine}) == 1 and mine[0]["actor"].startswith("staff ")
    window = _events(
        crew.manager,
        url,
        run_id=finished.run_id,
        since=T(-150).isoformat(),
        until=T(-100).isoformat(),
    )["events"]
    assert [(e["kind"], e["node_id"]) for e in reversed(window)] == [
        ("task.complete", "plan"),
        ("node.ready", "poster"),
        ("node.ready", "warmup"),
        ("node.done", "plan"),
        ("task.open", "poster"),
        ("task.open", "warmup"),
        ("task.reassign", "poster"),
        ("task.claim", "warmup"),
        ("task.report_problem", "warmup"),
    ]  # T-100 itself is excluded: the resolve is not in the window
    empty = _events(crew.manager, url, since=T(10).isoformat(), until=T(-10).isoformat())
    assert empty == {"events": [], "next": None}


def test_only_managers_and_admins_read_the_audit_trail(finished, factory):
    crew = finished.crew
    for person in (crew.planner, crew.staff["host"]):
        refused = person.client().get(crew.url("/events"))
        assert (refused.status_code, refused.json["code"]) == (403, "auth.forbidden")
        assert person.client().get(crew.url("/events.csv")).status_code == 403
    admin = factory.person(crew.ws, "admin")
    assert admin.client().get(crew.url("/events")).status_code == 200
    stranger = factory.person(factory.workspace(), "manager")
    assert stranger.client().get(crew.url("/events")).status_code == 404
    assert stranger.client().get(crew.url("/events.csv")).status_code == 404


def test_no_route_changes_or_deletes_an_event(finished):
    client = finished.crew.manager.client()
    url = finished.crew.url("/events")
    for method in ("put", "patch", "delete", "post"):
        assert getattr(client, method)(url).status_code == 405
    event_id = _events(finished.crew.manager, url)["events"][0]["id"]
    for method in ("get", "put", "patch", "delete"):
        assert getattr(client, method)(f"{url}/{event_id}").status_code in (404, 405)
    spec = client.get("/api/openapi.json").json
    for path, operations in spec["paths"].items():
        if "/events" in path:
            assert set(operations) <= {"get", "parameters"}, path


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads Chinese right with the BOM
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_events_and_tasks_export_as_csv(finished):
    crew = finished.crew
    exported = crew.manager.client().get(
        crew.url("/events.csv"), query_string={"run_id": finished.run_id}
    )
    rows = _csv(exported)
    assert list(rows[0]) == list(EVENT_COLUMNS)
    assert len(rows) == 49
    assert [r["kind"] for r in (rows[0], rows[-1])] == [
        "run.create",
        "run.complete",
    ]  # oldest first
    assert [int(r["id"]) for r in rows] == sorted(int(r["id"]) for r in rows)
    reassign = next(r for r in rows if r["kind"] == "task.reassign")
    assert json.loads(reassign["after"])["assignee_id"] == finished.user("controller")
    assert reassign["at"] == T(-145).isoformat()

    tasks = _csv(crew.staff["host"].client().get(crew.url(f"/runs/{finished.run_id}/tasks.csv")))
    assert list(tasks[0]) == list(TASK_COLUMNS)
    by_node = {t["node_id"]: t for t in tasks}
    assert set(by_node) == {"plan", "poster", "warmup", "rehearse", "go", "show", "flash", "recap"}
    poster = by_node["poster"]
    # past the task's own due (ready at T-150 + 120 minutes), not the plan's: 15, not 25
    assert (poster["status"], poster["completed_by_id"], poster["minutes_past_due"]) == (
        "done",
        str(finished.user("controller")),
        "15.0",
    )
    assert poster["completed_at"] == "2026-06-18T19:45:00+08:00"  # in the run's time zone
    assert by_node["warmup"]["minutes_past_due"] == "-20.0"
    assert by_node["flash"]["note"] == "Comments flooded\nSale closed\nCount cancelled orders out"


def test_events_carry_what_a_sentence_needs(finished):
    crew = finished.crew
    url = crew.url("/events")
    events = _events(crew.manager, url, run_id=finished.run_id, limit=500)["events"]
    assert {(e["run_name"], e["runbook_name"]) for e in events} == {(RUN_NAME, "直播")}
    reassign = next(e for e in events if e["kind"] == "task.reassign")
    controller, assistant = finished.user("controller"), finished.user("assistant")
    names = {e["actor_id"]: e["actor"] for e in events if e["actor_id"]}
    assert reassign["before"]["assignee_id"] == assistant  # the role's one holder had it
    assert (reassign["actor"], reassign["node_title"], reassign["people"]) == (
        names[finished.user("manager")],
        "Poster",
        {str(assistant): names[assistant], str(controller): names[controller]},
    )
    titles = {(e["node_id"], e["node_title"]) for e in events if e["node_id"]}
    assert ("flash", "Flash sale 秒杀") in titles and ("go", "Go / no-go") in titles
    assert all(e["node_title"] is None for e in events if not e["node_id"])
    assert all(e["people"] == {} for e in events if e["kind"] == "node.ready")


def test_events_are_searched_by_note_name_run_and_node_title(finished):
    crew = finished.crew
    url = crew.url("/events")

    def kinds(q: str) -> list[tuple[str, str | None]]:
        found = _events(crew.manager, url, q=q, limit=500)["events"]
        return sorted({(e["kind"], e["node_id"]) for e in found})

    assert kinds("CANCELLED orders") == [("task.reopen", "flash")]  # a note, any case
    by_title = kinds("秒杀")
    assert {node for _, node in by_title} == {"flash"}
    assert ("task.complete", "flash") in by_title and ("node.ready", "flash") in by_title
    whole_run = _events(crew.manager, url, q="直播 · 复盘", limit=500)["events"]
    assert len(whole_run) == 49 and {e["run_id"] for e in whole_run} == {finished.run_id}
    controller = finished.user("controller")
    name = next(e["actor"] for e in whole_run if e["actor_id"] == controller)
    assert {e["actor_id"] for e in _events(crew.manager, url, q=name)["events"]} == {controller}
    assert kinds("100%") == [] and kinds("no_such") == []  # LIKE wildcards match themselves
    refused = crew.manager.client().get(url, query_string={"q": "x" * 201})
    assert (refused.status_code, refused.json["errors"][0]["field"]) == (422, "q")
