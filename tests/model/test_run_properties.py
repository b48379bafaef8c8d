"""Properties of advancing runs: random runbooks always end well, and a step reads only its
neighbours (the per-task cost does not grow with the graph)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.workloads import runbook
from engine.model.graph import Graph
from engine.model.graph_format import load_graph
from engine.model.run import InMemoryRun, RunView, on_finished
from engine.model.run_states import NodeState
from engine.model.vocabulary import NodeKind
from tests.model.builder import GraphBuilder
from tests.model.test_properties import valid_runbooks

DONE, SKIPPED = NodeState.DONE, NodeState.SKIPPED


def alive_nodes(graph: Graph, variables: Mapping[str, Any]) -> set[str]:
    """The nodes a run reaches, worked out the slow obvious way over the whole graph."""
    g = nx.DiGraph()
    g.add_nodes_from(graph.node_by_id)
    out: dict[str, list] = {node_id: [] for node_id in graph.node_by_id}
    for edge in graph.edges:
        g.add_edge(edge.source, edge.target)
        out[edge.source].append(edge)
    taken: set[str] = set()
    alive = set()
    for node_id in nx.topological_sort(g):
        node = graph.node_by_id[node_id]
        incoming = [e for e in graph.edges if e.target == node_id]
        if node.kind is not NodeKind.START and not any(e.id in taken for e in incoming):
            continue
        alive.add(node_id)
        if node.kind is NodeKind.DECISION:
            n = variables.get("n")
            holds = [
                e for e in out[node_id] if e.condition and n is not None and n >= e.condition.value
            ]
            default = [e for e in out[node_id] if e.is_default]
            taken.add((holds or default)[0].id)
        else:
            taken.update(e.id for e in out[node_id])
    return alive


@settings(max_examples=200, deadline=None)
@given(valid_runbooks(), st.none() | st.integers(0, 5), st.data())
def test_a_random_run_reaches_its_end_once_and_leaves_every_node_done_or_skipped(graph, n, data):
    variables = {} if n is None else {"n": n}
    run = InMemoryRun(graph, variables=variables)
    advances = [run.start()]
    by_person = set()
    while run.open_nodes:
        node_id = data.draw(st.sampled_from(sorted(run.open_nodes)))
        outcome = data.draw(st.sampled_from([DONE, DONE, SKIPPED]))
        if outcome is SKIPPED:
            by_person.add(node_id)
        advances.append(run.finish(node_id, outcome))
    readied = [node_id for a in advances for node_id in a.ready]
    assert len(readied) == len(set(readied)), "a node became ready twice"
    assert sum(a.run_completed for a in advances) == 1
    assert run.completed and run.state("end") is DONE
    assert run.states.keys() == graph.node_by_id.keys()
    assert set(run.states.values()) <= {DONE, SKIPPED}
    resolved = [e for a in advances for e in (*a.taken_edges, *a.dead_edges)]
    assert sorted(resolved) == sorted(e.id for e in graph.edges), "each edge resolves once"
    # whichever order people work in, the run reaches exactly the nodes its decisions choose
    alive = alive_nodes(graph, variables)
    assert {k for k, s in run.states.items() if s is DONE} | by_person == alive
    for node in graph.nodes:
        if node.kind is NodeKind.DECISION and node.id in alive:
            out = {e.id for e in graph.edges if e.source == node.id}
            assert len(out & run.taken_edges) == 1


# ----- a step reads only its neighbours -------------------------------------------------


class Reads(Mapping):
    """A mapping that counts the keys read and refuses to be scanned."""

    def __init__(self, data: Mapping) -> None:
        self.data = data
        self.count = 0

    def __getitem__(self, key):
        self.count += 1
        return self.data[key]

    def __iter__(self) -> Iterator:
        raise AssertionError("the model scanned the whole run")

    def __len__(self) -> int:
        raise AssertionError("the model counted the whole run")


def reads_per_step(run: InMemoryRun, order: list[str]) -> dict[str, int]:
    """Finish the nodes in `order`, counting the run's states and arrivals each step reads."""
    counted = {}
    for node_id in order:
        states, arrivals = Reads(run.states), Reads(run.arrivals)
        run.apply(on_finished(RunView(run.graph, states, arrivals, run.variables), node_id))
        counted[node_id] = states.count + arrivals.count
    return counted


def test_each_step_along_a_3000_task_chain_reads_a_constant_few_entries():
    ids = [f"t{i:04d}" for i in range(3000)]
    b = GraphBuilder().node("start", "start")
    for node_id in ids:
        b.node(node_id, "task")
    graph = b.node("end", "end", "review").chain("start", *ids, "end").graph()
    run = InMemoryRun(graph)
    run.start()
    counted = reads_per_step(run, ids)
    assert run.completed
    assert max(counted.values()) <= 3  # the node, its successor's arrivals and state


def test_steps_of_runbook_3000_read_only_the_neighbours_of_the_finished_task():
    graph = load_graph(runbook(3000))
    out_degree: dict[str, int] = {}
    for edge in graph.edges:
        out_degree[edge.source] = out_degree.get(edge.source, 0) + 1
    run = InMemoryRun(graph)
    run.start()
    order = [n.id for n in graph.nodes if n.kind is NodeKind.TASK]
    counted = reads_per_step(run, order)
    assert run.completed
    for node_id, reads in counted.items():
        assert reads <= 1 + 2 * out_degree[node_id], node_id
    # a branch of the 1000-way join costs what it costs in runbook-30
    small = InMemoryRun(load_graph(runbook(30)))
    small.start()
    small_counted = reads_per_step(small, [n.id for n in small.graph.nodes if n.kind == "task"])
    assert counted["p0005"] == small_counted["p0005"]
    assert counted["r0002"] == small_counted["r0002"]
