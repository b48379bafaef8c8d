"""The standard runbook-N workload is built exactly as BENCH.md says."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.workloads import runbook
from engine.model.graph_format import load_graph


def test_runbook_30_has_the_shape_of_bench_md():
    graph = load_graph(runbook(30))
    tasks = [n for n in graph.nodes if n.kind == "task"]
    assert len(graph.nodes) == 32 and len(tasks) == 30
    assert [n.id for n in tasks[:3]] == ["p0001", "p0002", "p0003"]
    assert Counter(n.phase.value for n in tasks) == {"pre_event": 10, "execution": 10, "review": 10}
    assert {n.phase.value: n.duration_minutes for n in tasks} == {
        "pre_event": 30,
        "execution": 5,
        "review": 20,
    }
    assert [n.role for n in tasks[:6]] == [
        "host",
        "assistant",
        "operator",
        "controller",
        "host",
        "assistant",
    ]
    assert tasks[10].role == "operator"  # x0001: the 11th task in the list p, x, r
    assert all(len(n.settings.checklist) == 1 for n in tasks)
    pairs = {(e.source, e.target) for e in graph.edges}
    assert {("start", "p0001"), ("p0001", "p0002"), ("p0002", "p0003"), ("r0010", "end")} <= pairs
    assert {("p0003", f"p{i:04d}") for i in range(4, 11)} <= pairs
    assert {(f"p{i:04d}", "x0001") for i in range(4, 11)} <= pairs
    assert {("x0001", f"x{i:04d}") for i in range(2, 11)} <= pairs
    assert {(f"x{i:04d}", "r0001") for i in range(2, 11)} <= pairs
    assert len(pairs) == 3 + 7 + 7 + 9 + 9 + 9 + 1
    assert all(e.condition is None for e in graph.edges)


def test_n_must_divide_by_three():
    with pytest.raises(ValueError):
        runbook(31)
