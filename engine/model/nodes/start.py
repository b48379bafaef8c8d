"""`start`: where every run begins. Exactly one per graph; nothing flows into it."""

from __future__ import annotations

from dataclasses import dataclass

from engine.model.graph import Node
from engine.model.nodes.base import FrozenSchema, KindSpec, NodeContext
from engine.model.problems import Problem, ProblemCode, error
from engine.model.vocabulary import NodeKind


@dataclass(frozen=True)
class StartSettings:
    pass


class StartSettingsSchema(FrozenSchema):
    make = StartSettings


def check(node: Node, context: NodeContext) -> list[Problem]:
    if not context.incoming:
        return []
    return [
        error(
            ProblemCode.START_HAS_INCOMING,
            f"Nothing may flow into the start node “{node.title}”.",
            [node.id],
            [e.id for e in context.incoming],
        )
    ]


SPEC = KindSpec(NodeKind.START, StartSettings, StartSettingsSchema, human=False, check=check)
