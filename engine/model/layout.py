"""Auto-layout for the editor: three swimlanes left to right, edges flowing forward.

Lanes are the phases (pre_event | execution | review). Within a lane, a node's column
is its topological generation among the lane's own edges (loops are collapsed to one
column first, so a broken draft still gets a position for every node); rows in a
column follow the average row of the node's predecessors, then document order, and
each column is centred on y = 0 so chains stay straight. Deterministic.
Coordinates are the top-left corners of nodes, as @xyflow/react expects.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import networkx as nx

from engine.model.graph import Graph
from engine.model.validation import structure
from engine.model.vocabulary import Phase

NODE_WIDTH = 200
COLUMN_WIDTH = 260  # node width plus the gap an edge needs
ROW_HEIGHT = 110
LANE_PADDING = 40


@dataclass(frozen=True)
class Layout:
    positions: dict[str, tuple[float, float]]
    lanes: dict[Phase, tuple[float, float]]  # phase -> (x_min, x_max) for the editor to draw


def layout(graph: Graph) -> Layout:
    """Positions for every node and the bounds of the three lanes."""
    g, _ = structure(graph)
    order = {node_id: i for i, node_id in enumerate(graph.node_by_id)}
    positions: dict[str, tuple[float, float]] = {}
    rows: dict[str, float] = {}
    lanes: dict[Phase, tuple[float, float]] = {}
    lane_start = 0.0
    for phase in Phase:
        members = [n.id for n in graph.node_by_id.values() if n.phase is phase]
        columns = _columns(g.subgraph(members), order)
        for column, node_ids in enumerate(columns):
            x = lane_start + LANE_PADDING + column * COLUMN_WIDTH
            for row, node_id in enumerate(_sort_column(node_ids, g, rows, order)):
                rows[node_id] = row - (len(node_ids) - 1) / 2
                positions[node_id] = (x, rows[node_id] * ROW_HEIGHT)
        width = 2 * LANE_PADDING + NODE_WIDTH + max(len(columns) - 1, 0) * COLUMN_WIDTH
        lanes[phase] = (lane_start, lane_start + width)
        lane_start += width
    return Layout(positions, lanes)


def stacked(graph: Graph) -> bool:
    """Whether two nodes sit on the very same spot: a graph written without positions (a
    script, an import from elsewhere), which no one could read on a canvas."""
    spots = {(node.x, node.y) for node in graph.nodes}
    return len(spots) < len(graph.nodes)


def apply_layout(graph: Graph, computed: Layout) -> Graph:
    """The same graph with every node moved to its computed position."""
    nodes = tuple(
        replace(node, x=computed.positions[node.id][0], y=computed.positions[node.id][1])
        for node in graph.nodes
    )
    return replace(graph, nodes=nodes)


def _columns(lane: nx.DiGraph, order: dict[str, int]) -> list[list[str]]:
    """Node ids per column: topological generations of the lane, loops collapsed."""
    if lane.number_of_nodes() == 0:
        return []
    if nx.is_directed_acyclic_graph(lane):
        return [list(generation) for generation in nx.topological_generations(lane)]
    collapsed = nx.condensation(lane)
    members = collapsed.graph["mapping"]  # node id -> component index
    by_component: dict[int, list[str]] = {}
    for node_id, component in members.items():
        by_component.setdefault(component, []).append(node_id)
    return [
        [node_id for component in generation for node_id in by_component[component]]
        for generation in nx.topological_generations(collapsed)
    ]


def _sort_column(
    node_ids: list[str], g: nx.DiGraph, rows: dict[str, float], order: dict[str, int]
) -> list[str]:
    def key(node_id: str) -> tuple[float, int]:
        placed = [rows[p] for p in g.pred[node_id] if p in rows]
        barycentre = sum(placed) / len(placed) if placed else 0.0
        return (barycentre, order[node_id])

    return sorted(node_ids, key=key)
