"""What changed between two versions of a runbook graph, in words a reviewer can read.

Nodes and edges are matched by id, variables by key. A node whose only change is its
editor position is reported as moved, apart from real changes. Values are compared
in their JSON form (graph_format), so old and new values are ready to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.model.graph import Graph
from engine.model.graph_format import dump_graph

_POSITION = ("x", "y")


@dataclass(frozen=True)
class FieldChange:
    field: str  # e.g. "title", "offset_minutes", "settings.checklist"
    old: Any
    new: Any


@dataclass(frozen=True)
class Changed:
    id: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Moved:
    id: str
    old: tuple[float, float]
    new: tuple[float, float]


@dataclass(frozen=True)
class GraphDiff:
    nodes_added: tuple[str, ...] = ()
    nodes_removed: tuple[str, ...] = ()
    nodes_changed: tuple[Changed, ...] = ()
    nodes_moved: tuple[Moved, ...] = ()
    edges_added: tuple[str, ...] = ()
    edges_removed: tuple[str, ...] = ()
    edges_changed: tuple[Changed, ...] = ()
    variables_added: tuple[str, ...] = ()
    variables_removed: tuple[str, ...] = ()
    variables_changed: tuple[Changed, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)

    def as_dict(self) -> dict[str, Any]:
        def changed(items: tuple[Changed, ...]) -> list[dict[str, Any]]:
            return [{"id": c.id, "changes": [vars(f) for f in c.changes]} for c in items]

        return {
            "nodes": {
                "added": list(self.nodes_added),
                "removed": list(self.nodes_removed),
                "changed": changed(self.nodes_changed),
                "moved": [
                    {"id": m.id, "old": list(m.old), "new": list(m.new)} for m in self.nodes_moved
                ],
            },
            "edges": {
                "added": list(self.edges_added),
                "removed": list(self.edges_removed),
                "changed": changed(self.edges_changed),
            },
            "variables": {
                "added": list(self.variables_added),
                "removed": list(self.variables_removed),
                "changed": changed(self.variables_changed),
            },
        }


def diff(old: Graph, new: Graph) -> GraphDiff:
    """Nodes, edges and variables added, removed and changed from `old` to `new`."""
    old_doc, new_doc = dump_graph(old), dump_graph(new)
    old_nodes, new_nodes = _by(old_doc["nodes"], "id"), _by(new_doc["nodes"], "id")
    old_edges, new_edges = _by(old_doc["edges"], "id"), _by(new_doc["edges"], "id")
    old_vars, new_vars = _by(old_doc["variables"], "key"), _by(new_doc["variables"], "key")
    changed_nodes, moved = [], []
    for node_id in _common(old_nodes, new_nodes):
        before, after = old_nodes[node_id], new_nodes[node_id]
        changes = _changes(before, after, skip=_POSITION)
        if changes:
            changed_nodes.append(Changed(node_id, changes))
        if any(before[k] != after[k] for k in _POSITION):
            moved.append(Moved(node_id, (before["x"], before["y"]), (after["x"], after["y"])))
    return GraphDiff(
        nodes_added=_only_in(new_nodes, old_nodes),
        nodes_removed=_only_in(old_nodes, new_nodes),
        nodes_changed=tuple(changed_nodes),
        nodes_moved=tuple(moved),
        edges_added=_only_in(new_edges, old_edges),
        edges_removed=_only_in(old_edges, new_edges),
        edges_changed=_changed_all(old_edges, new_edges),
        variables_added=_only_in(new_vars, old_vars),
        variables_removed=_only_in(old_vars, new_vars),
        variables_changed=_changed_all(old_vars, new_vars),
    )


def _by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        out.setdefault(item[key], item)
    return out


def _common(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [key for key in new if key in old]


def _only_in(these: dict[str, Any], those: dict[str, Any]) -> tuple[str, ...]:
    return tuple(key for key in these if key not in those)


def _changed_all(old: dict[str, dict], new: dict[str, dict]) -> tuple[Changed, ...]:
    out = []
    for key in _common(old, new):
        changes = _changes(old[key], new[key])
        if changes:
            out.append(Changed(key, changes))
    return tuple(out)


def _changes(
    before: dict[str, Any], after: dict[str, Any], skip: tuple[str, ...] = ()
) -> tuple[FieldChange, ...]:
    changes = []
    for name in dict.fromkeys([*before, *after]):
        if name in skip or before.get(name) == after.get(name):
            continue
        if name == "settings" and isinstance(before.get(name), dict):
            # One change per setting, so "settings.checklist" reads better than a blob.
            changes += [
                FieldChange(f"settings.{c.field}", c.old, c.new)
                for c in _changes(before[name], after.get(name) or {})
            ]
        else:
            changes.append(FieldChange(name, before.get(name), after.get(name)))
    return tuple(changes)
