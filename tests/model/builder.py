"""Build small runbook graphs in one line for tests: `runbook().task("a").then("b")...`."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from engine.model.conditions import parse
from engine.model.graph import Edge, Graph, Node, Variable
from engine.model.nodes import HUMAN_KINDS, KINDS
from engine.model.vocabulary import NodeKind, Phase, VariableType


class GraphBuilder:
    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.variables: list[Variable] = []

    def node(
        self,
        node_id: str,
        kind: str = "task",
        phase: str = "pre_event",
        *,
        role: str | None = "",
        offset: int | None = None,
        duration: int | None = 30,
        title: str | None = None,
        **settings: Any,
    ) -> GraphBuilder:
        kind_ = NodeKind(kind)
        if role == "":
            role = "host" if kind_ in HUMAN_KINDS else None
        spec = KINDS[kind_]
        built = spec.schema().load(settings) if settings else spec.settings()
        self.nodes.append(
            Node(
                id=node_id,
                kind=kind_,
                phase=Phase(phase),
                title=title or node_id,
                settings=built,
                role=role,
                offset_minutes=offset,
                duration_minutes=duration if kind_ in HUMAN_KINDS else None,
            )
        )
        return self

    def edge(
        self,
        source: str,
        target: str,
        edge_id: str | None = None,
        *,
        condition: dict | None = None,
        default: bool = False,
    ) -> GraphBuilder:
        self.edges.append(
            Edge(
                id=edge_id or f"{source}->{target}",
                source=source,
                target=target,
                condition=parse(condition) if condition else None,
                is_default=default,
            )
        )
        return self

    def chain(self, *node_ids: str) -> GraphBuilder:
        for source, target in itertools.pairwise(node_ids):
            self.edge(source, target)
        return self

    def variable(self, key: str, type_: str = "number", default: Any = None) -> GraphBuilder:
        self.variables.append(Variable(key, VariableType(type_), default=default))
        return self

    def graph(self) -> Graph:
        return Graph(tuple(self.nodes), tuple(self.edges), tuple(self.variables))


def simple(*middle: tuple[str, str]) -> GraphBuilder:
    """start -> each (id, phase) task in turn -> end."""
    b = GraphBuilder().node("start", "start")
    for node_id, phase in middle:
        b.node(node_id, "task", phase)
    b.node("end", "end", "review")
    return b.chain("start", *(node_id for node_id, _ in middle), "end")


def three_phases() -> GraphBuilder:
    """start -> prep (pre_event) -> show (execution) -> recap (review) -> end."""
    return simple(("prep", "pre_event"), ("show", "execution"), ("recap", "review"))


def with_node(graph: Graph, node_id: str, **changes: Any) -> Graph:
    nodes = tuple(replace(n, **changes) if n.id == node_id else n for n in graph.nodes)
    return replace(graph, nodes=nodes)
