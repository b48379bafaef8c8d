"""Runbooks: create (empty, template, graph), list with search and tags, rename, tag,
duplicate, archive, export and import; who may do what."""

from __future__ import annotations

import json

import pytest

from engine.model.access import WorkspaceRole
from engine.model.graph_format import MAX_NODES
from engine.templates import TEMPLATES


@pytest.fixture
def team(factory):
    ws = factory.workspace()
    return {
        "ws": ws,
        "planner": factory.person(ws, WorkspaceRole.PLANNER).client(),
        "staff": factory.person(ws, WorkspaceRole.STAFF).client(),
        "outsider": factory.person(factory.workspace(), WorkspaceRole.ADMIN).client(),
    }


def _url(ws: int, rest: str = "") -> str:
    return f"/api/workspaces/{ws}/runbooks{rest}"


def _create(client, ws, **body):
    response = client.post(_url(ws), json={"name": "双11 直播", **body})
    assert response.status_code == 201, response.json
    return response.json


def test_a_planner_creates_an_empty_runbook_with_start_and_end(team):
    runbook = _create(team["planner"], team["ws"], tags=["直播", "live", "直播"])
    assert runbook["name"] == "双11 直播"
    assert runbook["tags"] == ["live", "直播"]  # repeats dropped, sorted
    assert runbook["draft_revision"] == 1
    assert runbook["latest_version"] is None
    draft = team["planner"].get(_url(team["ws"], f"/{runbook['id']}/draft")).json
    assert [n["kind"] for n in draft["graph"]["nodes"]] == ["start", "end"]


@pytest.mark.parametrize("template", [t.key for t in TEMPLATES])
def test_every_template_becomes_a_runbook_without_errors(team, template):
    runbook = _create(team["planner"], team["ws"], template=template)
    assert runbook["node_count"] >= 20
    assert runbook["error_count"] == 0


def test_an_unknown_template_names_the_field(team):
    response = team["planner"].post(_url(team["ws"]), json={"name": "x", "template": "nope"})
    assert response.status_code == 404
    assert response.json["code"] == "template.not_found"
    assert response.json["errors"][0]["field"] == "template"


def test_a_graph_with_a_bad_node_is_refused_with_its_path_and_id(team):
    graph = {"format": 1, "nodes": [{"id": "n1", "kind": "task", "phase": "later", "title": ""}]}
    response = team["planner"].post(_url(team["ws"]), json={"name": "x", "graph": graph})
    assert response.status_code == 422
    assert response.json["code"] == "graph.invalid_document"
    fields = {e["field"]: e.get("node_id") for e in response.json["errors"]}
    assert fields == {"nodes.0.phase": "n1", "nodes.0.title": "n1"}
    assert team["planner"].get(_url(team["ws"])).json == []  # nothing half-written


def test_list_searches_name_and_description_and_filters_by_tag(team):
    planner, ws = team["planner"], team["ws"]
    _create(planner, ws, name="双11 直播", tags=["直播"])
    _create(planner, ws, name="会员日", description="小程序 100% 满减", tags=["商城"])
    _create(planner, ws, name="Fission test", tags=["裂变"])

    def names(query: str) -> list[str]:
        return sorted(r["name"] for r in planner.get(_url(ws, query)).json)

    assert names("?q=直播") == ["双11 直播"]
    assert names("?q=100%") == ["会员日"]  # % is matched literally
    assert names("?q=FISSION") == ["Fission test"]
    assert names("?tag=商城") == ["会员日"]
    assert names("?tag=none") == []


def test_rename_tag_and_archive_leave_the_draft_revision_alone(team):
    planner, ws = team["planner"], team["ws"]
    runbook = _create(planner, ws)
    url = _url(ws, f"/{runbook['id']}")
    changed = planner.patch(url, json={"name": "双12 直播", "tags": ["直播", "大促"]}).json
    assert (changed["name"], changed["tags"]) == ("双12 直播", ["大促", "直播"])
    assert changed["draft_revision"] == runbook["draft_revision"]

    assert planner.patch(url, json={"archived": True}).json["archived"] is True
    assert planner.get(_url(ws)).json == []
    assert [r["id"] for r in planner.get(_url(ws, "?archived=true")).json] == [runbook["id"]]
    assert len(planner.get(_url(ws, "?archived=all")).json) == 1
    assert planner.patch(url, json={"archived": False}).json["archived"] is False


def test_duplicate_copies_the_draft_and_tags(team):
    planner, ws = team["planner"], team["ws"]
    original = _create(planner, ws, template="fission", tags=["裂变"])
    copy = planner.post(_url(ws, f"/{original['id']}/duplicate"), json={}).json
    assert copy["id"] != original["id"]
    assert copy["name"].startswith("双11 直播")
    assert copy["tags"] == ["裂变"]
    a = planner.get(_url(ws, f"/{original['id']}/draft")).json["graph"]
    b = planner.get(_url(ws, f"/{copy['id']}/draft")).json["graph"]
    assert a == b


def test_staff_read_but_cannot_write_and_outsiders_see_nothing(team):
    planner, staff, outsider, ws = team["planner"], team["staff"], team["outsider"], team["ws"]
    runbook = _create(planner, ws)
    url = _url(ws, f"/{runbook['id']}")
    assert staff.get(url).status_code == 200
    refused = staff.patch(url, json={"name": "mine"})
    assert (refused.status_code, refused.json["code"]) == (403, "auth.forbidden")
    assert staff.post(_url(ws), json={"name": "x"}).status_code == 403
    assert outsider.get(url).status_code == 404
    assert outsider.get(_url(ws)).status_code == 404


def test_export_then_import_round_trips(team):
    planner, ws = team["planner"], team["ws"]
    original = _create(planner, ws, template="live_stream", tags=["直播"], description="周播")
    response = planner.get(_url(ws, f"/{original['id']}/export"))
    assert "attachment" in response.headers["Content-Disposition"]
    exported = json.loads(response.data)
    assert (exported["cueflow"], exported["export_format"]) == ("runbook", 1)

    imported = planner.post(_url(ws, "/import"), json=exported)
    assert imported.status_code == 201
    assert (imported.json["name"], imported.json["tags"]) == ("双11 直播", ["直播"])
    graph = planner.get(_url(ws, f"/{imported.json['id']}/draft")).json["graph"]
    assert graph == exported["graph"]


def test_import_refuses_a_malformed_export_with_the_exact_problem(team):
    planner, ws = team["planner"], team["ws"]
    not_ours = planner.post(_url(ws, "/import"), json={"hello": "world"})
    assert not_ours.status_code == 422
    assert not_ours.json["code"] == "runbook.export_invalid"
    assert {e["field"] for e in not_ours.json["errors"]} == {
        "cueflow",
        "export_format",
        "name",
        "graph",
    }
    doc = {"cueflow": "runbook", "export_format": 1, "name": "x"}
    bad_node = {"id": "t1", "kind": "task", "phase": "execution", "title": "x", "role": ""}
    broken = planner.post(
        _url(ws, "/import"), json={**doc, "graph": {"format": 1, "nodes": [bad_node]}}
    )
    assert broken.status_code == 422
    assert broken.json["errors"] == [
        {
            "field": "graph.nodes.0.role",
            "message": broken.json["errors"][0]["message"],
            "node_id": "t1",
        }
    ]
    future = planner.post(_url(ws, "/import"), json={**doc, "graph": {"format": 99}})
    assert future.json["code"] == "graph.format_unsupported"
    assert planner.get(_url(ws)).json == []


def test_import_refuses_an_oversized_graph_before_reading_it(team):
    planner, ws = team["planner"], team["ws"]
    nodes = [{"id": f"n{i}"} for i in range(MAX_NODES + 1)]
    doc = {
        "cueflow": "runbook",
        "export_format": 1,
        "name": "x",
        "graph": {"format": 1, "nodes": nodes},
    }
    response = planner.post(_url(ws, "/import"), json=doc)
    assert response.status_code == 413
    assert response.json["code"] == "graph.too_large"
    assert response.json["errors"][0]["field"] == "graph.nodes"


def test_import_refuses_malformed_json(team):
    response = team["planner"].post(
        _url(team["ws"], "/import"), data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json["code"] == "request.bad"


def test_templates_are_listed_and_previewed(team):
    listed = team["staff"].get("/api/templates").json
    assert [t["key"] for t in listed] == [t.key for t in TEMPLATES]
    live = team["staff"].get("/api/templates/live_stream").json
    assert live["node_count"] == len(live["graph"]["nodes"]) >= 25
    assert team["staff"].get("/api/templates/nope").status_code == 404


def test_the_readme_export_example_imports(team):
    from engine.config import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("### The export document")[1].split("```json")[1].split("```")[0]
    response = team["planner"].post(_url(team["ws"], "/import"), json=json.loads(example))
    assert response.status_code == 201, response.json
    assert response.json["node_count"] == 2


START_END = [
    {"id": "start", "kind": "start", "phase": "pre_event", "title": "开始"},
    {"id": "end", "kind": "end", "phase": "review", "title": "结束"},
]


def test_a_graph_no_editor_could_draw_is_refused_whole_on_create_and_import(team):
    broken = {
        "format": 1,
        "nodes": [*START_END, {**START_END[1], "title": "又一个结束"}],
        "edges": [
            {"id": "e1", "source": "start", "target": "end"},
            {"id": "e2", "source": "start", "target": "nowhere"},
        ],
    }
    created = team["planner"].post(_url(team["ws"]), json={"name": "x", "graph": broken})
    assert (created.status_code, created.json["code"]) == (422, "graph.invalid_document")
    errors = {(e["field"], e.get("node_id"), e.get("edge_id")) for e in created.json["errors"]}
    assert errors == {("nodes.2.id", "end", None), ("edges.1.target", "nowhere", "e2")}
    export = {"cueflow": "runbook", "export_format": 1, "name": "导入", "graph": broken}
    imported = team["planner"].post(_url(team["ws"], "/import"), json=export)
    assert (imported.status_code, imported.json["code"]) == (422, "graph.invalid_document")
    assert {e["field"] for e in imported.json["errors"]} == {
        "graph.nodes.2.id",
        "graph.edges.1.target",
    }
    assert team["planner"].get(_url(team["ws"])).json == []  # nothing written


def test_a_graph_with_a_cycle_is_stored_and_its_problems_come_back(team):
    task = {"kind": "task", "phase": "pre_event", "title": "任务", "role": "planner"}
    looped = {
        "format": 1,
        "nodes": [*START_END, {**task, "id": "a"}, {**task, "id": "b"}],
        "edges": [
            {"id": "e1", "source": "start", "target": "a"},
            {"id": "e2", "source": "a", "target": "b"},
            {"id": "e3", "source": "b", "target": "a"},
            {"id": "e4", "source": "b", "target": "end"},
        ],
    }
    created = _create(team["planner"], team["ws"], graph=looped)
    cycle = [p for p in created["problems"] if p["code"] == "graph.cycle"]
    assert [sorted(p["node_ids"]) for p in cycle] == [["a", "b"]]
    assert created["error_count"] == len(
        [p for p in created["problems"] if p["severity"] == "error"]
    )


def test_a_graph_sent_without_positions_is_laid_out_for_every_reader(team):
    task = {"kind": "task", "phase": "pre_event", "title": "任务", "role": "planner"}
    nodes = [*START_END, *({**task, "id": f"t{i}"} for i in range(4))]
    edges = [
        {"id": f"e{i}", "source": s, "target": t}
        for i, (s, t) in enumerate(
            [("start", "t0"), ("t0", "t1"), ("t0", "t2"), ("t1", "t3"), ("t2", "t3"), ("t3", "end")]
        )
    ]
    created = _create(
        team["planner"], team["ws"], graph={"format": 1, "nodes": nodes, "edges": edges}
    )
    draft = team["staff"].get(_url(team["ws"], f"/{created['id']}/draft")).json  # a reader
    spots = [(n["x"], n["y"]) for n in draft["graph"]["nodes"]]
    assert len(set(spots)) == len(spots)  # no two nodes on one spot
    x = {n["id"]: n["x"] for n in draft["graph"]["nodes"]}
    assert x["start"] < x["t0"] < x["t1"] == x["t2"] < x["t3"]  # flowing left to right
