"""The runbook graph as a frozen spec: variables, nodes and edges, and its networkx twin.

A published runbook version is one `Graph`; runs point at it and never change it.
Kind-specific settings are the frozen dataclasses of `engine.model.nodes`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

import networkx as nx

from engine.model.conditions import Condition
from engine.model.vocabulary import NodeKind, Phase, VariableType


@dataclass(frozen=True)
class Variable:
    """A declared run variable: a target (gmv_target), a figure entered in a task, a switch."""

    key: str
    type: VariableType
    label: str = ""
    default: float | int | str | bool | None = None


@dataclass(frozen=True)
class Node:
    """One step of a runbook. Offsets and durations are minutes relative to go-live (T0)."""

    id: str
    kind: NodeKind
    phase: Phase
    title: str
    settings: Any  # the kind's frozen settings dataclass (engine.model.nodes.KINDS)
    description: str = ""
    role: str | None = None
    offset_minutes: int | None = None  # planned start relative to go-live; may be negative
    duration_minutes: int | None = None
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class Edge:
    """A directed edge. Only edges leaving a decision carry a condition or `is_default`."""

    id: str
    source: str
    target: str
    condition: Condition | None = None
    is_default: bool = False
    label: str = ""


@dataclass(frozen=True)
class Graph:
    """A whole runbook graph. Ids may repeat or dangle in a draft: validation says so."""

    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()
    variables: tuple[Variable, ...] = ()
    format: int = 1

    @cached_property
    def node_by_id(self) -> dict[str, Node]:
        """Nodes by id; with duplicate ids the first one wins (validation reports the rest)."""
        out: dict[str, Node] = {}
        for node in self.nodes:
            out.setdefault(node.id, node)
        return out

    @cached_property
    def variable_by_key(self) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        for variable in self.variables:
            out.setdefault(variable.key, variable)
        return out

    @cached_property
    def known_edges(self) -> tuple[Edge, ...]:
        """The edges whose both ends exist (dangling edges are left to validation)."""
        known = self.node_by_id
        return tuple(e for e in self.edges if e.source in known and e.target in known)

    def edges_between_known_nodes(self) -> tuple[Edge, ...]:
        return self.known_edges


_NODE_ATTRS = [f.name for f in fields(Node) if f.name != "id"]


def to_networkx(graph: Graph) -> nx.DiGraph:
    """A DiGraph with every node and edge field as attributes; variables in `G.graph`.

    Dangling edges and repeated ids cannot live in a DiGraph: convert valid graphs only
    if you need the round trip to be exact.
    """
    g = nx.DiGraph(format=graph.format, variables=graph.variables)
    for node in graph.nodes:
        g.add_node(node.id, **{name: getattr(node, name) for name in _NODE_ATTRS})
    for order, edge in enumerate(graph.edges_between_known_nodes()):
        g.add_edge(
            edge.source,
            edge.target,
            order=order,  # a DiGraph lists edges by source; this restores the document order
            id=edge.id,
            condition=edge.condition,
            is_default=edge.is_default,
            label=edge.label,
        )
    return g


def from_networkx(g: nx.DiGraph) -> Graph:
    """The inverse of `to_networkx`; node and edge order follow the DiGraph's order."""
    nodes = tuple(Node(id=node_id, **attrs) for node_id, attrs in g.nodes(data=True))
    ordered = sorted(g.edges(data=True), key=lambda e: e[2].get("order", 0))
    edges = tuple(
        Edge(
            id=attrs["id"],
            source=source,
            target=target,
            condition=attrs.get("condition"),
            is_default=attrs.get("is_default", False),
            label=attrs.get("label", ""),
        )
        for source, target, attrs in ordered
    )
    return Graph(
        nodes=nodes,
        edges=edges,
        variables=tuple(g.graph.get("variables", ())),
        format=g.graph.get("format", 1),
    )
