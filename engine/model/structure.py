"""What a graph document sent in may not hold at all, because no editor could draw it: two
nodes (or edges, or run variables) with one id, and edges to or from nodes that do not
exist. Creating a runbook with a graph, importing one and replacing a draft refuse such a
document whole, naming each element, as drawing one edge to nowhere is refused. What the
editor can draw (a cycle, a node nobody reaches) is a validation problem instead
(engine/model/validation.py): stored, shown on the canvas, and blocking only publishing.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    errors = [
        FieldError(f"nodes.{i}.id", f"Another node already has the id “{v}”.", node_id=v)
        for i, v in _repeats(node.id for node in graph.nodes)
    ]
    errors += [
        FieldError(f"edges.{i}.id", f"Another edge already has the id “{v}”.", edge_id=v)
        for i, v in _repeats(edge.id for edge in graph.edges)
    ]
    errors += [
        FieldError(f"variables.{i}.key", f"The run variable “{v}” is declared twice.")
        for i, v in _repeats(variable.key for variable in graph.variables)
    ]
    return errors


def _repeats(ids: Iterable[str]) -> list[tuple[int, str]]:
    """Each id that an earlier element already has, with its index."""
    seen: set[str] = set()
    repeats = []
    for index, element_id in enumerate(ids):
        if element_id in seen:
            repeats.append((index, element_id))
        seen.add(element_id)
    return repeats


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
