"""`task`: work a person of the node's role does: a checklist, required fields, metrics.

A field may fill a run variable (`sets_variable`) so a later decision can branch on
it; a metric may name the run variable holding its target (`target_variable`, e.g.
the GMV a review task records against `gmv_target`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from marshmallow import ValidationError, fields, validate, validates_schema

from engine.model.graph import Node
from engine.model.nodes.base import FrozenSchema, KindSpec, NodeContext
from engine.model.problems import Problem, ProblemCode, error, warning
from engine.model.vocabulary import NodeKind, VariableType

KEY = validate.Regexp(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$", error="Use letters, digits and _.")
LABEL = validate.Length(max=200)


class FieldType(StrEnum):
    NUMBER = "number"
    TEXT = "text"
    BOOL = "bool"
    CHOICE = "choice"


class MetricType(StrEnum):
    NUMBER = "number"
    INTEGER = "integer"
    MONEY = "money"
    PERCENT = "percent"


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str


@dataclass(frozen=True)
class RequiredField:
    key: str
    label: str
    type: FieldType = FieldType.TEXT
    choices: tuple[str, ...] = ()
    sets_variable: str | None = None


@dataclass(frozen=True)
class MetricField:
    key: str
    label: str
    unit: str = ""
    type: MetricType = MetricType.NUMBER
    target_variable: str | None = None  # the run variable holding the target
    sets_variable: str | None = None  # the run variable the entered value fills


@dataclass(frozen=True)
class TaskSettings:
    checklist: tuple[ChecklistItem, ...] = ()
    required_fields: tuple[RequiredField, ...] = ()
    metric_fields: tuple[MetricField, ...] = ()


class ChecklistItemSchema(FrozenSchema):
    make = ChecklistItem
    id = fields.String(required=True, validate=KEY)
    text = fields.String(required=True, validate=validate.Length(min=1, max=500))


class RequiredFieldSchema(FrozenSchema):
    make = RequiredField
    key = fields.String(required=True, validate=KEY)
    label = fields.String(required=True, validate=LABEL)
    type = fields.Enum(FieldType, by_value=True, load_default=FieldType.TEXT)
    choices = fields.List(fields.String(validate=LABEL), load_default=list)
    sets_variable = fields.String(load_default=None, allow_none=True, validate=KEY)

    @validates_schema
    def _choices(self, data, **kwargs):
        if data.get("type") is FieldType.CHOICE and not data.get("choices"):
            raise ValidationError("A choice field needs at least one choice.", "choices")
        if data.get("type") is not FieldType.CHOICE and data.get("choices"):
            raise ValidationError("Only a choice field has choices.", "choices")


class MetricFieldSchema(FrozenSchema):
    make = MetricField
    key = fields.String(required=True, validate=KEY)
    label = fields.String(required=True, validate=LABEL)
    unit = fields.String(load_default="", validate=validate.Length(max=20))
    type = fields.Enum(MetricType, by_value=True, load_default=MetricType.NUMBER)
    target_variable = fields.String(load_default=None, allow_none=True, validate=KEY)
    sets_variable = fields.String(load_default=None, allow_none=True, validate=KEY)


class TaskSettingsSchema(FrozenSchema):
    make = TaskSettings
    checklist = fields.List(fields.Nested(ChecklistItemSchema), load_default=list)
    required_fields = fields.List(fields.Nested(RequiredFieldSchema), load_default=list)
    metric_fields = fields.List(fields.Nested(MetricFieldSchema), load_default=list)


# Which variable type each field type fills.
_FILLS = {
    FieldType.NUMBER: VariableType.NUMBER,
    FieldType.TEXT: VariableType.STRING,
    FieldType.CHOICE: VariableType.STRING,
    FieldType.BOOL: VariableType.BOOL,
}


def check(node: Node, context: NodeContext) -> list[Problem]:
    settings: TaskSettings = node.settings
    problems = _duplicate_keys(node, settings)
    problems += _variables(node, settings, context)
    if node.duration_minutes is None:
        problems.append(
            warning(
                ProblemCode.TASK_NO_DURATION,
                f"“{node.title}” has no planned duration; the timeline treats it as instant.",
                [node.id],
            )
        )
    return problems


def _duplicate_keys(node: Node, settings: TaskSettings) -> list[Problem]:
    problems = []
    for what, keys in (
        ("checklist item id", [item.id for item in settings.checklist]),
        ("field key", [f.key for f in (*settings.required_fields, *settings.metric_fields)]),
    ):
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                problems.append(
                    error(
                        ProblemCode.TASK_DUPLICATE_KEY,
                        f"“{node.title}” uses the {what} “{key}” twice.",
                        [node.id],
                    )
                )
            seen.add(key)
    return problems


def _variables(node: Node, settings: TaskSettings, context: NodeContext) -> list[Problem]:
    declared = context.graph.variable_by_key
    problems = []
    for metric in settings.metric_fields:
        target = metric.target_variable
        if target is not None and target not in declared:
            problems.append(
                error(
                    ProblemCode.UNKNOWN_TARGET_VARIABLE,
                    f"The metric “{metric.label}” of “{node.title}” takes its target from"
                    f" “{target}”, which is not a declared run variable.",
                    [node.id],
                )
            )
    fills = [(f, _FILLS[f.type]) for f in settings.required_fields]
    fills += [(m, VariableType.NUMBER) for m in settings.metric_fields]
    for field, fills_type in fills:
        if field.sets_variable is None:
            continue
        variable = declared.get(field.sets_variable)
        if variable is None:
            problems.append(
                error(
                    ProblemCode.UNKNOWN_SET_VARIABLE,
                    f"The field “{field.label}” of “{node.title}” fills “{field.sets_variable}”,"
                    " which is not a declared run variable.",
                    [node.id],
                )
            )
        elif variable.type is not fills_type:
            problems.append(
                warning(
                    ProblemCode.VARIABLE_TYPE_MISMATCH,
                    f"The field “{field.label}” of “{node.title}” holds a {fills_type} but fills"
                    f" “{variable.key}”, a {variable.type} variable.",
                    [node.id],
                )
            )
    return problems


SPEC = KindSpec(NodeKind.TASK, TaskSettings, TaskSettingsSchema, human=True, check=check)
