"""Auto-layout: three lanes left to right, every node placed, edges flowing forward."""

from __future__ import annotations

import pytest

from bench.workloads import runbook
from engine.model.graph_format import load_graph
from engine.model.layout import apply_layout, layout
from engine.model.vocabulary import Phase
from engine.templates import TEMPLATES, load_template
from tests.model.builder import GraphBuilder as G
from tests.model.builder import three_phases

GRAPHS = {t.key: lambda key=t.key: load_graph(load_template(key)) for t in TEMPLATES}
GRAPHS["runbook-300"] = lambda: load_graph(runbook(300))


@pytest.mark.parametrize("name", list(GRAPHS))
def test_every_node_sits_in_its_lane_and_edges_flow_forward(name):
    graph = GRAPHS[name]()
    result = layout(graph)
    assert set(result.positions) == {n.id for n in graph.nodes}
    for node in graph.nodes:
        x_min, x_max = result.lanes[node.phase]
        assert x_min <= result.positions[node.id][0] < x_max
    for edge in graph.edges:
        assert result.positions[edge.source][0] < result.positions[edge.target][0], edge


def test_lanes_run_left_to_right_without_overlap():
    lanes = layout(three_phases().graph()).lanes
    pre, execution, review = (lanes[p] for p in Phase)
    assert pre[0] == 0 and pre[1] <= execution[0] and execution[1] <= review[0]


def test_layout_is_deterministic():
    graph = load_graph(load_template("live_stream"))
    assert layout(graph) == layout(graph)


def test_a_chain_stays_on_one_row_and_a_fan_is_centred():
    b = G().node("start", "start").node("a").node("b").node("c").node("d")
    b.node("end", "end", "review").chain("start", "a").chain("a", "b", "d").chain("a", "c", "d")
    b.chain("d", "end")
    positions = layout(b.graph()).positions
    assert positions["start"][1] == positions["a"][1] == positions["d"][1] == 0
    assert positions["b"][1] == -positions["c"][1] != 0


def test_broken_graphs_still_get_a_position_for_every_node():
    b = three_phases().edge("show", "prep", "back").edge("prep", "prep", "self")
    b.node("lost", "task", "review").edge("prep", "ghost", "dangling")
    graph = b.graph()
    assert set(layout(graph).positions) == {n.id for n in graph.nodes}


def test_apply_layout_moves_the_nodes():
    graph = three_phases().graph()
    computed = layout(graph)
    moved = apply_layout(graph, computed)
    assert {n.id: (n.x, n.y) for n in moved.nodes} == computed.positions
