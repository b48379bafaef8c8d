"""The editor's fine-grained edits of a draft graph document: add, change, delete, connect, move.

Each edit takes the current document (graph_format, current format) and returns a new one;
the input is never changed. A node or edge given by the editor is checked by the graph
format's own schema, so its errors name the field inside it (`title`,
`settings.checklist.0.text`) and the element's id. Rules of the canvas:

- a new node or edge without an id gets a readable one (`task_3`, `e12`);
- ids are stable: a node's id cannot change, and an id already in the draft is refused;
- deleting a node deletes the edges touching it;
- an edge must join two nodes of the draft (a whole-document save may still hold dangling
  edges, which validation reports);
- a node whose kind changes without new settings starts with that kind's defaults.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model.graph_format import EdgeSchema, NodeSchema, field_errors

Doc = dict[str, Any]

_NODE_SCHEMA = NodeSchema()
_EDGE_SCHEMA = EdgeSchema()


@dataclass(frozen=True)
class Edit:
    """The document after an edit, and what the edit touched."""

    doc: Doc
    node: dict[str, Any] | None = None
    edge: dict[str, Any] | None = None
    removed_edges: tuple[str, ...] = ()


def add_node(doc: Doc, node: Mapping[str, Any]) -> Edit:
    nodes = doc["nodes"]
    given = dict(node)
    if not given.get("id"):
        given["id"] = _free_id(str(given.get("kind") or "node") + "_", (n["id"] for n in nodes))
    elif any(n["id"] == given["id"] for n in nodes):
        raise _duplicate("node", given["id"])
    checked = _check(_NODE_SCHEMA, given, node_id=given["id"])
    return Edit({**doc, "nodes": [*nodes, checked]}, node=checked)


def update_node(doc: Doc, node_id: str, changes: Mapping[str, Any]) -> Edit:
    index = _index_of(doc["nodes"], node_id, "node")
    if "id" in changes and changes["id"] != node_id:
        raise CueflowError(
            ErrorCode.VALIDATION,
            "A node's id never changes; add a new node instead.",
            errors=[FieldError("id", "A node's id cannot be changed.", node_id=node_id)],
        )
    before = doc["nodes"][index]
    merged = {**before, **changes}
    if merged.get("kind") != before["kind"] and "settings" not in changes:
        merged["settings"] = {}
    checked = _check(_NODE_SCHEMA, merged, node_id=node_id)
    nodes = list(doc["nodes"])
    nodes[index] = checked
    return Edit({**doc, "nodes": nodes}, node=checked)


def delete_node(doc: Doc, node_id: str) -> Edit:
    index = _index_of(doc["nodes"], node_id, "node")
    nodes = doc["nodes"][:index] + doc["nodes"][index + 1 :]
    kept, removed = [], []
    for edge in doc["edges"]:
        touches = node_id in (edge["source"], edge["target"])
        (removed if touches else kept).append(edge)
    return Edit(
        {**doc, "nodes": nodes, "edges": kept}, removed_edges=tuple(e["id"] for e in removed)
    )


def add_edge(doc: Doc, edge: Mapping[str, Any]) -> Edit:
    edges = doc["edges"]
    given = dict(edge)
    if not given.get("id"):
        given["id"] = _free_id("e", (e["id"] for e in edges))
    elif any(e["id"] == given["id"] for e in edges):
        raise _duplicate("edge", given["id"])
    checked = _check(_EDGE_SCHEMA, given, edge_id=given["id"])
    _check_ends(doc, checked)
    return Edit({**doc, "edges": [*edges, checked]}, edge=checked)


def update_edge(doc: Doc, edge_id: str, changes: Mapping[str, Any]) -> Edit:
    index = _index_of(doc["edges"], edge_id, "edge")
    for fixed in ("id", "source", "target"):
        if fixed in changes and changes[fixed] != doc["edges"][index][fixed]:
            raise CueflowError(
                ErrorCode.VALIDATION,
                "An edge's id and ends never change; delete it and connect again.",
                errors=[FieldError(fixed, "This cannot be changed.", edge_id=edge_id)],
            )
    checked = _check(_EDGE_SCHEMA, {**doc["edges"][index], **changes}, edge_id=edge_id)
    edges = list(doc["edges"])
    edges[index] = checked
    return Edit({**doc, "edges": edges}, edge=checked)


def delete_edge(doc: Doc, edge_id: str) -> Edit:
    index = _index_of(doc["edges"], edge_id, "edge")
    return Edit({**doc, "edges": doc["edges"][:index] + doc["edges"][index + 1 :]})


def move_nodes(doc: Doc, positions: Iterable[tuple[str, float, float]]) -> Edit:
    """Move many nodes at once (a dragged selection, or a computed layout)."""
    wanted = {node_id: (x, y) for node_id, x, y in positions}
    known = {n["id"] for n in doc["nodes"]}
    missing = [node_id for node_id in wanted if node_id not in known]
    if missing:
        raise CueflowError(
            ErrorCode.NOT_FOUND,
            f"No node “{missing[0]}” in the draft.",
            errors=[FieldError("positions", "No such node.", node_id=m) for m in missing],
        )
    nodes = [
        {**n, "x": float(wanted[n["id"]][0]), "y": float(wanted[n["id"]][1])}
        if n["id"] in wanted
        else n
        for n in doc["nodes"]
    ]
    return Edit({**doc, "nodes": nodes})


def _check(schema: Schema, element: dict[str, Any], **ids: str) -> dict[str, Any]:
    """The element in its normalised JSON form, or GRAPH_INVALID with paths inside it."""
    try:
        return schema.dump(schema.load(element))
    except ValidationError as exc:
        errors = [
            FieldError(e.field, e.message, node_id=ids.get("node_id"), edge_id=ids.get("edge_id"))
            for e in field_errors(exc.messages, {})
        ]
        raise CueflowError(ErrorCode.GRAPH_INVALID, errors=errors) from None


def _check_ends(doc: Doc, edge: dict[str, Any]) -> None:
    known = {n["id"] for n in doc["nodes"]}
    errors = [
        FieldError(end, f"No node “{edge[end]}” in the draft.", edge_id=edge["id"])
        for end in ("source", "target")
        if edge[end] not in known
    ]
    if edge["source"] == edge["target"]:
        errors.append(FieldError("target", "An edge cannot join a node to itself."))
    if errors:
        raise CueflowError(ErrorCode.GRAPH_INVALID, "The edge cannot be drawn.", errors=errors)


def _index_of(items: list[dict[str, Any]], element_id: str, what: str) -> int:
    for index, item in enumerate(items):
        if item["id"] == element_id:
            return index
    raise CueflowError(
        ErrorCode.NOT_FOUND,
        f"No {what} “{element_id}” in the draft.",
        errors=[FieldError(f"{what}_id", "Not in the draft.", **{f"{what}_id": element_id})],
    )


def _duplicate(what: str, element_id: str) -> CueflowError:
    return CueflowError(
        ErrorCode.DUPLICATE_ID,
        f"The draft already has a {what} “{element_id}”.",
        errors=[FieldError("id", "Already used in this draft.", **{f"{what}_id": element_id})],
    )


def _free_id(prefix: str, taken: Iterable[str]) -> str:
    used = set(taken)
    return next(f"{prefix}{k}" for k in itertools.count(1) if f"{prefix}{k}" not in used)
