"""`decision`: an exclusive branch on run variables.

Its outgoing edges carry the conditions. At run time the first edge (in document
order) whose condition holds is taken; when none holds, the one default edge is.
So: exactly one default edge without a condition, and a condition on every other.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.model.graph import Edge, Node
from engine.model.nodes.base import FrozenSchema, KindSpec, NodeContext
from engine.model.problems import Problem, ProblemCode, error, warning
from engine.model.vocabulary import NodeKind


@dataclass(frozen=True)
class DecisionSettings:
    pass


class DecisionSettingsSchema(FrozenSchema):
    make = DecisionSettings


def check(node: Node, context: NodeContext) -> list[Problem]:
    outgoing = context.outgoing
    problems = _default_path(node, outgoing)
    for edge in outgoing:
        if not edge.is_default and edge.condition is None:
            problems.append(
                error(
                    ProblemCode.DECISION_EDGE_WITHOUT_CONDITION,
                    f"A path leaving the decision “{node.title}” has no condition.",
                    [node.id],
                    [edge.id],
                )
            )
    if len(outgoing) == 1:
        problems.append(
            warning(
                ProblemCode.DECISION_SINGLE_BRANCH,
                f"The decision “{node.title}” has a single path; it decides nothing.",
                [node.id],
            )
        )
    return problems


def _default_path(node: Node, outgoing: tuple[Edge, ...]) -> list[Problem]:
    defaults = [e for e in outgoing if e.is_default]
    problems = []
    if len(defaults) != 1:
        problems.append(
            error(
                ProblemCode.DECISION_DEFAULT,
                f"The decision “{node.title}” needs exactly one default path; it has"
                f" {len(defaults)}.",
                [node.id],
                [e.id for e in defaults],
            )
        )
    for edge in defaults:
        if edge.condition is not None:
            problems.append(
                error(
                    ProblemCode.DECISION_DEFAULT,
                    f"The default path of “{node.title}” is taken when no condition holds;"
                    " it must not carry a condition itself.",
                    [node.id],
                    [edge.id],
                )
            )
    return problems


SPEC = KindSpec(
    NodeKind.DECISION, DecisionSettings, DecisionSettingsSchema, human=False, check=check
)
