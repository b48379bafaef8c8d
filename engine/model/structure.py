"""What a graph document sent in may not hold at all, because no editor could draw it: two
nodes (or edges, or run variables) with one id, and edges to or from nodes that do not
exist. Creating a runbook with a graph, importing one and replacing a draft refuse such a
document whole, naming each element, as drawing one edge to nowhere is refused. What the
editor can draw (a cycle, a node nobody reaches) is a validation problem instead
(engine/model/validation.py): stored, shown on the canvas, and blocking only publishing.
"""

from __future__ import annotations

from dataclasses import replace

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model.graph import Graph


def refuse_broken(graph: Graph, at: str = "") -> None:
    """Raise `graph.invalid_document` (422) listing every structural error, if any; `at` is
    the document's path in the request (`graph` when a body carries it under that key)."""
    errors = _repeated_ids(graph) + _loose_ends(graph)
    if at:
        errors = [replace(e, field=f"{at}.{e.field}") for e in errors]
    if errors:
        raise CueflowError(
            ErrorCode.GRAPH_INVALID,
            f"The graph cannot be stored: {errors[0].message}",
            errors=errors,
        )


def _repeated_ids(graph: Graph) -> list[FieldError]:
    errors = []
    seen: set[str] = set()
    for index, node in enumerate(graph.nodes):
        if node.id in seen:
            message = f"Another node already has the id “{node.id}”."
            errors.append(FieldError(f"nodes.{index}.id", message, node_id=node.id))
        seen.add(node.id)
    seen = set()
    for index, edge in enumerate(graph.edges):
        if edge.id in seen:
            message = f"Another edge already has the id “{edge.id}”."
            errors.append(FieldError(f"edges.{index}.id", message, edge_id=edge.id))
        seen.add(edge.id)
    seen = set()
    for index, variable in enumerate(graph.variables):
        if variable.key in seen:
            message = f"The run variable “{variable.key}” is declared twice."
            errors.append(FieldError(f"variables.{index}.key", message))
        seen.add(variable.key)
    return errors


def _loose_ends(graph: Graph) -> list[FieldError]:
    known = {node.id for node in graph.nodes}
    errors = []
    for index, edge in enumerate(graph.edges):
        for end in ("source", "target"):
            node_id = getattr(edge, end)
            if node_id not in known:
                way = "starts at" if end == "source" else "ends at"
                message = f"The edge “{edge.id}” {way} “{node_id}”, but no node has that id."
                errors.append(
                    FieldError(f"edges.{index}.{end}", message, node_id=node_id, edge_id=edge.id)
                )
    return errors
