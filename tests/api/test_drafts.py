"""The editor's draft API: ETag / If-Match, fine-grained edits with validation, layout,
plan, publish, versions and diff, told as a planner would use them."""

from __future__ import annotations

import pytest

from engine.model.access import WorkspaceRole


@pytest.fixture
def planner(factory):
    ws = factory.workspace()
    person = factory.person(ws, WorkspaceRole.PLANNER)
    return person.client(), ws


@pytest.fixture
def editor(planner):
    client, ws = planner
    runbook = client.post(f"/api/workspaces/{ws}/runbooks", json={"name": "直播"}).json
    return Editor(client, f"/api/workspaces/{ws}/runbooks/{runbook['id']}")


class Editor:
    """One editor tab: remembers the revision it last saw, as the canvas does."""

    def __init__(self, client, base: str) -> None:
        self.client = client
        self.base = base
        self.revision = self.client.get(f"{base}/draft").json["revision"]

    def send(self, method: str, path: str, **kwargs):
        headers = {"If-Match": f'"{self.revision}"', **kwargs.pop("headers", {})}
        response = getattr(self.client, method)(f"{self.base}{path}", headers=headers, **kwargs)
        if response.status_code < 300 and "revision" in (response.json or {}):
            self.revision = response.json["revision"]
            assert response.headers["ETag"] == f'"{self.revision}"'
        return response

    def draft(self) -> dict:
        return self.client.get(f"{self.base}/draft").json

    def codes(self, response) -> set[str]:
        return {p["code"] for p in response.json["problems"]}


TASK = {"kind": "task", "phase": "pre_event", "title": "直播方案", "role": "planner"}


def _chain(editor: Editor) -> None:
    """start -> plan (pre_event) -> show (execution) -> review (review) -> end."""
    nodes = [
        {**TASK, "id": "plan", "duration_minutes": 60},
        {
            **TASK,
            "id": "show",
            "phase": "execution",
            "title": "开播",
            "role": "host",
            "offset_minutes": 0,
            "duration_minutes": 180,
        },
        {
            **TASK,
            "id": "review",
            "phase": "review",
            "title": "复盘",
            "role": "host",
            "duration_minutes": 60,
        },
    ]
    for node in nodes:
        assert editor.send("post", "/draft/nodes", json=node).status_code == 201
    for source, target in [
        ("start", "plan"),
        ("plan", "show"),
        ("show", "review"),
        ("review", "end"),
    ]:
        response = editor.send("post", "/draft/edges", json={"source": source, "target": target})
        assert response.status_code == 201, response.json


def test_the_draft_carries_its_revision_as_etag(editor):
    response = editor.client.get(f"{editor.base}/draft")
    assert response.headers["ETag"] == f'"{response.json["revision"]}"'
    assert {"node.end_unreachable"} <= {p["code"] for p in response.json["problems"]}


def test_writes_without_if_match_are_refused_with_428(editor):
    response = editor.client.post(f"{editor.base}/draft/nodes", json={**TASK, "id": "t"})
    assert response.status_code == 428
    assert response.json["code"] == "request.precondition_required"
    assert "t" not in {n["id"] for n in editor.draft()["graph"]["nodes"]}


def test_a_second_tab_saving_on_an_old_revision_gets_412_with_the_current_draft(editor):
    other_tab = Editor(editor.client, editor.base)
    graph = editor.draft()["graph"]
    first = editor.send(
        "put", "/draft", json={**graph, "nodes": [*graph["nodes"], {**TASK, "id": "mine"}]}
    )
    assert first.status_code == 200

    stale = other_tab.send("put", "/draft", json=graph)
    assert stale.status_code == 412
    assert stale.json["code"] == "request.precondition_failed"
    assert stale.json["current_revision"] == editor.revision
    assert "mine" in {n["id"] for n in stale.json["current"]["graph"]["nodes"]}
    assert "mine" in {n["id"] for n in editor.draft()["graph"]["nodes"]}  # nothing lost

    stale_edit = other_tab.send("delete", "/draft/nodes/mine")
    assert stale_edit.status_code == 412
    assert editor.draft()["revision"] == editor.revision


def test_an_unreadable_if_match_is_refused(editor):
    response = editor.client.put(
        f"{editor.base}/draft", json=editor.draft()["graph"], headers={"If-Match": "banana"}
    )
    assert response.status_code == 412
    assert response.json["errors"][0]["field"] == "If-Match"


def test_a_whole_draft_with_an_edge_to_nowhere_is_refused_and_nothing_changes(editor):
    before = editor.draft()
    graph = before["graph"]
    broken = {**graph, "edges": [*graph["edges"], {"id": "lost", "source": "start", "target": "x"}]}
    response = editor.send("put", "/draft", json=broken)
    assert (response.status_code, response.json["code"]) == (422, "graph.invalid_document")
    assert response.json["errors"] == [
        {
            "field": f"edges.{len(graph['edges'])}.target",
            "message": "The edge “lost” ends at “x”, but no node has that id.",
            "node_id": "x",
            "edge_id": "lost",
        }
    ]
    assert editor.draft() == before


def test_each_edit_answers_with_the_new_revision_and_validation(editor):
    before = editor.revision
    added = editor.send("post", "/draft/nodes", json={**TASK, "role": None})
    assert added.status_code == 201
    node_id = added.json["node"]["id"]
    assert node_id == "task_1"  # generated, readable
    assert added.json["revision"] == before + 1
    assert "node.missing_role" in editor.codes(added)

    fixed = editor.send("patch", f"/draft/nodes/{node_id}", json={"role": "planner"})
    assert fixed.json["node"]["role"] == "planner"
    assert "node.missing_role" not in editor.codes(fixed)
    assert fixed.json["counts"]["errors"] == sum(
        p["severity"] == "error" for p in fixed.json["problems"]
    )


def test_connect_disconnect_and_delete_keep_edges_consistent(editor):
    _chain(editor)
    clean = editor.client.get(f"{editor.base}/draft/problems").json
    assert clean["counts"]["errors"] == 0, clean["problems"]

    edges = {(e["source"], e["target"]): e["id"] for e in editor.draft()["graph"]["edges"]}
    cut = editor.send("delete", f"/draft/edges/{edges[('show', 'review')]}")
    assert "node.unreachable" in editor.codes(cut)

    removed = editor.send("delete", "/draft/nodes/plan")
    assert sorted(removed.json["removed_edges"]) == sorted(
        [edges[("start", "plan")], edges[("plan", "show")]]
    )
    graph = editor.draft()["graph"]
    assert all("plan" not in (e["source"], e["target"]) for e in graph["edges"])


def test_edit_errors_name_the_field_inside_the_node(editor):
    bad = editor.send(
        "post",
        "/draft/nodes",
        json={**TASK, "id": "t", "duration_minutes": -5, "title": ""},
    )
    assert bad.status_code == 422
    assert {(e["field"], e.get("node_id")) for e in bad.json["errors"]} == {
        ("duration_minutes", "t"),
        ("title", "t"),
    }
    bad_settings = editor.send(
        "post", "/draft/nodes", json={**TASK, "id": "t", "settings": {"checklist": [{"id": "a"}]}}
    )
    assert bad_settings.json["errors"][0]["field"] == "settings.checklist.0.text"
    duplicate = editor.send("post", "/draft/nodes", json={**TASK, "id": "start"})
    assert (duplicate.status_code, duplicate.json["code"]) == (409, "graph.duplicate_id")
    missing = editor.send("patch", "/draft/nodes/nope", json={"title": "x"})
    assert missing.status_code == 404
    renamed = editor.send("patch", "/draft/nodes/start", json={"id": "begin"})
    assert renamed.status_code == 422
    dangling = editor.send("post", "/draft/edges", json={"source": "start", "target": "ghost"})
    assert dangling.status_code == 422
    assert dangling.json["errors"][0]["field"] == "target"
    not_object = editor.send("post", "/draft/nodes", json=[1, 2])
    assert not_object.status_code == 422
    assert editor.draft()["revision"] == editor.revision  # nothing was written


def test_changing_kind_resets_settings_to_the_new_kinds_defaults(editor):
    editor.send(
        "post",
        "/draft/nodes",
        json={**TASK, "id": "t", "settings": {"checklist": [{"id": "a", "text": "检查链接"}]}},
    )
    changed = editor.send("patch", "/draft/nodes/t", json={"kind": "approval"})
    assert changed.status_code == 200
    assert "checklist" not in changed.json["node"]["settings"]


def test_decision_edges_take_conditions_and_a_default(editor):
    graph = editor.draft()["graph"]
    graph["variables"] = [{"key": "reservations", "type": "number"}]
    editor.send("put", "/draft", json=graph)
    editor.send(
        "post",
        "/draft/nodes",
        json={"id": "d", "kind": "decision", "phase": "pre_event", "title": "预约达标?"},
    )
    editor.send("post", "/draft/nodes", json={**TASK, "id": "more"})
    edge = editor.send(
        "post",
        "/draft/edges",
        json={
            "source": "d",
            "target": "more",
            "condition": {"var": "reservations", "op": "<", "value": 1000},
        },
    )
    assert edge.status_code == 201, edge.json
    assert "decision.default_edge" in editor.codes(edge)
    default = editor.send(
        "patch",
        f"/draft/edges/{edge.json['edge']['id']}",
        json={"condition": None, "is_default": True},
    )
    assert default.json["edge"]["is_default"] is True
    assert "decision.default_edge" not in editor.codes(default)
    unknown = editor.send(
        "patch",
        f"/draft/edges/{edge.json['edge']['id']}",
        json={"condition": {"var": "gmv", "op": ">", "value": 1}},
    )
    assert "condition.unknown_variable" in editor.codes(unknown)


def test_bulk_move_and_auto_layout(editor):
    _chain(editor)
    moved = editor.send(
        "post",
        "/draft/positions",
        json={"positions": [{"id": "plan", "x": 10, "y": 20}, {"id": "show", "x": 30, "y": 40}]},
    )
    nodes = {n["id"]: n for n in editor.draft()["graph"]["nodes"]}
    assert moved.status_code == 200
    assert (nodes["plan"]["x"], nodes["plan"]["y"], nodes["show"]["x"]) == (10, 20, 30)
    unknown = editor.send(
        "post", "/draft/positions", json={"positions": [{"id": "ghost", "x": 0, "y": 0}]}
    )
    assert unknown.status_code == 404
    assert unknown.json["errors"][0]["node_id"] == "ghost"

    laid = editor.send("post", "/draft/layout")
    lanes, positions = laid.json["lanes"], laid.json["positions"]
    assert set(lanes) == {"pre_event", "execution", "review"}
    assert lanes["pre_event"][1] <= lanes["execution"][0] <= lanes["review"][0]
    assert lanes["execution"][0] <= positions["show"][0] < lanes["execution"][1]
    assert positions["plan"][0] < positions["show"][0] < positions["review"][0]
    saved = {n["id"]: [n["x"], n["y"]] for n in editor.draft()["graph"]["nodes"]}
    assert saved == positions


def test_plan_gives_times_slack_critical_path_and_role_load(editor):
    _chain(editor)
    response = editor.client.get(
        f"{editor.base}/draft/plan?go_live=2026-11-11T20:00:00%2B08:00&tz=Asia/Shanghai"
    )
    assert response.status_code == 200, response.json
    plan = response.json
    nodes = {n["node_id"]: n for n in plan["nodes"]}
    assert nodes["show"]["planned_start"].startswith("2026-11-11T20:00:00+08:00")
    assert nodes["plan"]["due_offset_minutes"] == 0  # done by go-live
    assert plan["critical_path_to_end"][-1] == "end"
    assert nodes["show"]["critical"] is True
    assert {load["role"] for load in plan["role_loads"]} >= {"host", "planner"}
    bad_zone = editor.client.get(
        f"{editor.base}/draft/plan?go_live=2026-11-11T20:00:00%2B08:00&tz=Mars/Base"
    )
    assert bad_zone.status_code == 422
    naive = editor.client.get(f"{editor.base}/draft/plan?go_live=2026-11-11T20:00:00")
    assert naive.status_code == 422


def test_publish_is_refused_with_the_problem_list_while_there_are_errors(editor):
    refused = editor.client.post(f"{editor.base}/publish", json={})
    assert refused.status_code == 422
    assert refused.json["code"] == "runbook.has_errors"
    assert "node.end_unreachable" in {p["code"] for p in refused.json["problems"]}
    assert editor.client.get(f"{editor.base}/versions").json == []


def test_publish_freezes_numbered_versions_and_diff_shows_changes(editor):
    _chain(editor)
    first = editor.client.post(f"{editor.base}/publish", json={"note": "第一版"})
    assert first.status_code == 201, first.json
    assert (first.json["number"], first.json["note"]) == (1, "第一版")
    assert first.json["published_by"]["name"]

    editor.send("patch", "/draft/nodes/show", json={"title": "开播 3h", "x": 999})
    editor.send("post", "/draft/nodes", json={**TASK, "id": "extra"})
    second = editor.client.post(
        f"{editor.base}/publish", json={}, headers={"If-Match": f'"{editor.revision}"'}
    )
    assert second.status_code == 422  # `extra` is unconnected: still an error
    editor.send("delete", "/draft/nodes/extra")
    second = editor.client.post(f"{editor.base}/publish", json={})
    assert second.json["number"] == 2

    v1 = editor.client.get(f"{editor.base}/versions/1").json
    assert {n["id"]: n["title"] for n in v1["graph"]["nodes"]}["show"] == "开播"
    listed = editor.client.get(f"{editor.base}/versions").json
    assert [v["number"] for v in listed] == [2, 1]

    changes = editor.client.get(f"{editor.base}/diff?from=1&to=2").json
    assert changes["nodes"]["changed"] == [
        {"id": "show", "changes": [{"field": "title", "old": "开播", "new": "开播 3h"}]}
    ]
    assert [m["id"] for m in changes["nodes"]["moved"]] == ["show"]
    assert changes["nodes"]["added"] == changes["nodes"]["removed"] == []

    editor.send("post", "/draft/nodes", json={**TASK, "id": "later"})
    to_draft = editor.client.get(f"{editor.base}/diff?from=2").json
    assert (to_draft["to"], to_draft["nodes"]["added"]) == ("draft", ["later"])
    assert editor.client.get(f"{editor.base}/diff?from=9").status_code == 404
    assert editor.client.get(f"{editor.base}/diff?from=x").status_code == 422

    summary = editor.client.get(editor.base).json
    assert summary["latest_version"] == 2

    planned = editor.client.get(f"{editor.base}/versions/1/plan?go_live=2026-11-11T12:00:00Z")
    assert planned.status_code == 200
    assert planned.json["tz"] == "Asia/Shanghai"
    show = next(n for n in planned.json["nodes"] if n["node_id"] == "show")
    assert show["planned_start"].startswith("2026-11-11T20:00:00+08:00")
    assert editor.client.get(f"{editor.base}/versions/7").status_code == 404


def test_publishing_an_old_revision_is_refused(editor):
    _chain(editor)
    response = editor.client.post(
        f"{editor.base}/publish", json={}, headers={"If-Match": f'"{editor.revision - 1}"'}
    )
    assert response.status_code == 412


def test_staff_cannot_edit_the_draft(factory, editor):
    ws = int(editor.base.split("/")[3])
    staff = Editor(factory.person(ws, WorkspaceRole.STAFF).client(), editor.base)
    assert staff.send("post", "/draft/nodes", json=TASK).status_code == 403
    assert staff.send("post", "/draft/layout").status_code == 403
    assert staff.client.post(f"{editor.base}/publish", json={}).status_code == 403
    assert staff.client.get(f"{editor.base}/draft").status_code == 200
