"""`end`: where a run finishes. A graph needs at least one; nothing leaves it."""

from __future__ import annotations

from dataclasses import dataclass

from engine.model.graph import Node
from engine.model.nodes.base import FrozenSchema, KindSpec, NodeContext
from engine.model.problems import Problem, ProblemCode, error
from engine.model.vocabulary import NodeKind


@dataclass(frozen=True)
class EndSettings:
    pass


class EndSettingsSchema(FrozenSchema):
    make = EndSettings


def check(node: Node, context: NodeContext) -> list[Problem]:
    if not context.outgoing:
        return []
    return [
        error(
            ProblemCode.END_HAS_OUTGOING,
            f"Nothing may leave the end node “{node.title}”.",
            [node.id],
            [e.id for e in context.outgoing],
        )
    ]


SPEC = KindSpec(NodeKind.END, EndSettings, EndSettingsSchema, human=False, check=check)
