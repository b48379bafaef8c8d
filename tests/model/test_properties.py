"""Property tests on random runbooks: valid DAGs validate clean; injected faults are named."""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.model.graph import Edge, Graph
from engine.model.problems import ProblemCode, has_errors
from engine.model.validation import validate
from engine.model.vocabulary import Phase, Role
from tests.model.builder import GraphBuilder

KINDS = ["task", "task", "task", "approval", "notify", "wait", "decision", "recurring"]
PHASES = list(Phase)


@st.composite
def valid_runbooks(draw) -> Graph:
    """start -> random DAG of nodes whose phases never go backwards along an edge -> end."""
    size = draw(st.integers(0, 20))
    phases = sorted(
        draw(st.lists(st.sampled_from(PHASES), min_size=size, max_size=size)), key=lambda p: p.order
    )
    b = GraphBuilder().variable("n").node("start", "start")
    ids = []
    for i, phase in enumerate(phases):
        kind = draw(st.sampled_from(KINDS))
        if kind == "recurring" and phase is not Phase.EXECUTION:
            kind = "task"
        node_id = f"n{i}"
        ids.append(node_id)
        role = draw(st.sampled_from(list(Role))).value
        if kind in ("task", "approval"):
            b.node(node_id, kind, phase, role=role, duration=draw(st.integers(0, 120)))
        elif kind == "notify":
            b.node(node_id, kind, phase, channel="wecom", message="开播啦")
        elif kind == "wait":
            b.node(node_id, kind, phase, delay_minutes=draw(st.integers(0, 60)))
        elif kind == "recurring":
            b.node(node_id, kind, phase, role=role, every_minutes=20, count=3)
        else:
            b.node(node_id, kind, phase)
    b.node("end", "end", "review")
    order = ["start", *ids, "end"]
    pairs = set()
    for j in range(1, len(order)):  # every node has a predecessor earlier in the order ...
        pairs.add((order[draw(st.integers(0, j - 1))], order[j]))
    for i in range(len(order) - 1):  # ... and a successor later in it
        pairs.add((order[i], order[draw(st.integers(i + 1, len(order) - 1))]))
    extra = draw(
        st.lists(
            st.tuples(st.integers(0, len(order) - 1), st.integers(0, len(order) - 1)), max_size=size
        )
    )
    pairs |= {(order[i], order[j]) for i, j in extra if i < j}
    outgoing: dict[str, int] = {}
    kinds = {n.id: n.kind for n in b.nodes}
    for source, target in sorted(pairs, key=lambda p: (order.index(p[0]), order.index(p[1]))):
        if kinds[source] == "decision":
            # the first path out of a decision is its default; the others carry conditions
            count = outgoing[source] = outgoing.get(source, 0) + 1
            condition = None if count == 1 else {"var": "n", "op": ">=", "value": count}
            b.edge(source, target, condition=condition, default=count == 1)
        else:
            b.edge(source, target)
    return b.graph()


@settings(max_examples=150, deadline=None)
@given(valid_runbooks())
def test_a_valid_random_dag_has_no_errors(graph):
    problems = validate(graph)
    assert not has_errors(problems), [p for p in problems if p.severity == "error"]


@settings(max_examples=150, deadline=None)
@given(valid_runbooks(), st.data())
def test_an_injected_cycle_is_named_with_its_nodes(graph, data):
    u, v = data.draw(st.sampled_from([(e.source, e.target) for e in graph.edges]))
    looped = replace(graph, edges=(*graph.edges, Edge("loop", v, u)))
    cycles = [p for p in validate(looped) if p.code is ProblemCode.CYCLE]
    assert len(cycles) == 1
    [cycle] = cycles
    assert "loop" in cycle.edge_ids and {u, v} <= set(cycle.node_ids)
    # the named nodes, in order, are a real loop of the graph, along the named edges
    edges = {(e.source, e.target): e.id for e in looped.edges}
    ring = [*cycle.node_ids, cycle.node_ids[0]]
    assert [edges[pair] for pair in itertools.pairwise(ring)] == list(cycle.edge_ids)
    assert len(set(cycle.node_ids)) == len(cycle.node_ids)


@settings(max_examples=150, deadline=None)
@given(valid_runbooks(), st.data(), st.booleans())
def test_an_injected_dangling_edge_is_named(graph, data, outwards):
    node = data.draw(st.sampled_from([n.id for n in graph.nodes]))
    edge = Edge("dangling", node, "ghost") if outwards else Edge("dangling", "ghost", node)
    problems = validate(replace(graph, edges=(*graph.edges, edge)))
    dangling = [p for p in problems if p.code is ProblemCode.DANGLING_EDGE]
    assert [(p.edge_ids, p.node_ids) for p in dangling] == [(("dangling",), (node,))]
    assert not has_errors([p for p in problems if p.code is not ProblemCode.DANGLING_EDGE])
