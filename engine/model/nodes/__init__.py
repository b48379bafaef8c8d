"""The node kinds, one module each, registered in one table: `KINDS`.

Each kind module holds its settings dataclass, their marshmallow schema, its own
validation rules and whether a person does it. A new kind is one file plus one entry.
"""

from __future__ import annotations

from engine.model.nodes import approval, decision, end, notify, recurring, start, task, wait
from engine.model.nodes.base import KindSpec, NodeContext
from engine.model.vocabulary import NodeKind

KINDS: dict[NodeKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        start.SPEC,
        task.SPEC,
        approval.SPEC,
        wait.SPEC,
        notify.SPEC,
        decision.SPEC,
        recurring.SPEC,
        end.SPEC,
    )
}

HUMAN_KINDS: frozenset[NodeKind] = frozenset(k for k, spec in KINDS.items() if spec.human)

__all__ = ["HUMAN_KINDS", "KINDS", "KindSpec", "NodeContext"]
