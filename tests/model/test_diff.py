"""Version diff: added, removed and changed nodes and edges; moves apart from changes."""

from __future__ import annotations

from dataclasses import replace

from engine.model.diff import FieldChange, diff
from engine.model.graph_format import load_graph
from engine.templates import load_template
from tests.model.builder import three_phases, with_node


def test_identical_graphs_have_an_empty_diff():
    graph = load_graph(load_template("fission"))
    assert diff(graph, graph).is_empty


def test_changes_name_fields_with_old_and_new_values():
    old = three_phases().variable("gmv_target").graph()
    new = with_node(old, "prep", title="直播方案", offset_minutes=-60)
    new = with_node(new, "show", x=500.0, y=40.0)
    new = replace(new, nodes=(*new.nodes[:-1],))  # drop "end"
    new = replace(new, edges=tuple(e for e in new.edges if e.target != "end"))
    result = diff(old, new)
    assert result.nodes_removed == ("end",)
    assert result.edges_removed == ("recap->end",)
    [changed] = result.nodes_changed
    assert changed.id == "prep"
    assert set(changed.changes) == {
        FieldChange("title", "prep", "直播方案"),
        FieldChange("offset_minutes", None, -60),
    }
    [moved] = result.nodes_moved
    assert (moved.id, moved.old, moved.new) == ("show", (0.0, 0.0), (500.0, 40.0))


def test_settings_changes_are_reported_per_setting():
    old = load_graph(load_template("live_stream"))
    coupon = old.node_by_id["coupon_push"]
    new = with_node(old, "coupon_push", settings=replace(coupon.settings, every_minutes=15))
    [changed] = diff(old, new).nodes_changed
    assert changed.changes == (FieldChange("settings.every_minutes", 20, 15),)


def test_added_nodes_edges_and_variables():
    old = three_phases().graph()
    new = three_phases().node("extra", "task").edge("prep", "extra").variable("v").graph()
    result = diff(old, new)
    assert result.nodes_added == ("extra",)
    assert result.edges_added == ("prep->extra",)
    assert result.variables_added == ("v",)
    assert result.as_dict()["nodes"]["added"] == ["extra"]


def test_changed_edge_condition_and_variable_default():
    old = three_phases().variable("v", default=1).graph()
    new = three_phases().variable("v", default=2).graph()
    new = replace(
        new, edges=tuple(replace(e, label="go") if e.id == "start->prep" else e for e in new.edges)
    )
    result = diff(old, new)
    assert result.edges_changed[0].changes == (FieldChange("label", "", "go"),)
    assert result.variables_changed[0].changes == (FieldChange("default", 1, 2),)
    assert result.as_dict()["variables"]["changed"] == [
        {"id": "v", "changes": [{"field": "default", "old": 1, "new": 2}]}
    ]
