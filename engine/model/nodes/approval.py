"""`approval`: a manager's decision. The approver is the node's role (usually `manager`).

The role lives on the node, not in the settings, so "who does this node" has one
answer for every human kind. An approval may record its outcome in a bool run
variable (`sets_variable`: true when approved) for a later decision to branch on.
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import fields, validate

from engine.model.graph import Node
from engine.model.nodes.base import FrozenSchema, KindSpec, NodeContext
from engine.model.nodes.task import KEY
from engine.model.problems import Problem, ProblemCode, error, warning
from engine.model.vocabulary import NodeKind, Role, VariableType

DEFAULT_APPROVER = Role.MANAGER


@dataclass(frozen=True)
class ApprovalSettings:
    instructions: str = ""
    sets_variable: str | None = None


class ApprovalSettingsSchema(FrozenSchema):
    make = ApprovalSettings
    instructions = fields.String(load_default="", validate=validate.Length(max=5000))
    sets_variable = fields.String(load_default=None, allow_none=True, validate=KEY)


def check(node: Node, context: NodeContext) -> list[Problem]:
    key = node.settings.sets_variable
    if key is None:
        return []
    variable = context.graph.variable_by_key.get(key)
    if variable is None:
        return [
            error(
                ProblemCode.UNKNOWN_SET_VARIABLE,
                f"The approval “{node.title}” records its outcome in “{key}”, which is not a"
                " declared run variable.",
                [node.id],
            )
        ]
    if variable.type is not VariableType.BOOL:
        return [
            warning(
                ProblemCode.VARIABLE_TYPE_MISMATCH,
                f"The approval “{node.title}” records true/false in “{key}”, a"
                f" {variable.type} variable.",
                [node.id],
            )
        ]
    return []


SPEC = KindSpec(
    NodeKind.APPROVAL, ApprovalSettings, ApprovalSettingsSchema, human=True, check=check
)
