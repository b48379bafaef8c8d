"""`notify`: an automated message to a channel (group robot, e-mail, webhook) or a role.

The message is a template with {placeholders}: run variables or the built-ins below.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from marshmallow import ValidationError, fields, validate, validates

from engine.model.graph import Node
from engine.model.nodes.base import FrozenSchema, KindSpec, NodeContext
from engine.model.problems import Problem, ProblemCode, error, warning
from engine.model.vocabulary import NodeKind

CHANNELS = ("wecom", "feishu", "dingtalk", "email", "webhook", "sms", "official_account")
BUILTIN_PLACEHOLDERS = frozenset(
    {"run_name", "runbook_title", "go_live", "node_title", "role", "planned_due"}
)


@dataclass(frozen=True)
class NotifySettings:
    channel: str | None = None  # a key of CHANNELS: the workspace's configured robot
    to_role: str | None = None  # or everyone holding this role, where they are reached
    message: str = ""


def placeholders(message: str) -> set[str]:
    """The {names} a message template uses; raises ValueError on unbalanced braces."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


class NotifySettingsSchema(FrozenSchema):
    make = NotifySettings
    channel = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(CHANNELS))
    to_role = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 64))
    message = fields.String(load_default="", validate=validate.Length(max=5000))

    @validates("message")
    def _template(self, value: str, **kwargs) -> None:
        try:
            placeholders(value)
        except ValueError as exc:
            raise ValidationError(f"Not a valid message template: {exc}.") from None


def check(node: Node, context: NodeContext) -> list[Problem]:
    settings: NotifySettings = node.settings
    problems = []
    if not settings.channel and not settings.to_role:
        problems.append(
            error(
                ProblemCode.NOTIFY_NO_RECIPIENT,
                f"The notification “{node.title}” needs a channel or a role to send to.",
                [node.id],
            )
        )
    if not settings.message.strip():
        problems.append(
            warning(
                ProblemCode.NOTIFY_EMPTY_MESSAGE,
                f"The notification “{node.title}” has an empty message.",
                [node.id],
            )
        )
    known = BUILTIN_PLACEHOLDERS | context.graph.variable_by_key.keys()
    unknown = sorted(placeholders(settings.message) - known)
    if unknown:
        problems.append(
            warning(
                ProblemCode.NOTIFY_UNKNOWN_PLACEHOLDER,
                f"The message of “{node.title}” uses {', '.join('{' + u + '}' for u in unknown)},"
                " which is neither a run variable nor a built-in placeholder.",
                [node.id],
            )
        )
    return problems


SPEC = KindSpec(NodeKind.NOTIFY, NotifySettings, NotifySettingsSchema, human=False, check=check)
