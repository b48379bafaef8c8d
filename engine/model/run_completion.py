"""What completing a task must carry, checked before anything is written: `check_completion`.

A task's completion payload is

    {"checklist": {item_id: true}, "fields": {key: value}, "metrics": {key: number},
     "note": "..."}

and an approval's is `{"approved": true|false, "note": "..."}`. The rules:

- Every checklist item is ticked (true). Every required field and every metric field
  is given: a finished task is what the post-mortem reads, so nothing is optional.
- Field types (engine.model.nodes.task.FieldType): number, a finite number; text,
  non-blank text (trimmed); bool, true or false (not 0/1, not "yes"); choice, one of
  the field's choices exactly.
- Metric types (MetricType): number, a finite number; integer, a whole number (12.0
  is taken as 12); money, at least 0 with at most two decimals (in the number as
  written, so 0.1 + 0.2 = 0.30000000000000004 is refused); percent, from 0 to 100.
- Numbers lie within ±10^15, where every client still counts exactly; true/false is
  never a number.
- Keys the node does not declare are refused, at every level.
- Every problem is listed at once, each with its dotted path (`checklist.<id>`,
  `fields.<key>`, `metrics.<key>`, `note`, `approved`) and the node's id, in one
  `CueflowError(task.incomplete)`.

On success the normalised values come back with `variables_set`: the run variables
that fields and metrics (and an approval's outcome) fill through `sets_variable`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model.graph import Node
from engine.model.nodes.approval import ApprovalSettings
from engine.model.nodes.task import FieldType, MetricType, RequiredField, TaskSettings
from engine.model.vocabulary import NodeKind

MAX_NUMBER = 10**15
TEXT_MAX = 5000
NOTE_MAX = 5000
TASK_KEYS = ("checklist", "fields", "metrics", "note")
APPROVAL_KEYS = ("approved", "note")


@dataclass(frozen=True)
class Completion:
    """A checked completion, ready to store."""

    checklist: Mapping[str, bool]
    fields: Mapping[str, Any]
    metrics: Mapping[str, int | float]
    note: str
    approved: bool | None  # approvals only
    variables_set: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "checklist": dict(self.checklist),
            "fields": dict(self.fields),
            "metrics": dict(self.metrics),
            "note": self.note,
            "variables_set": dict(self.variables_set),
        }
        if self.approved is not None:
            out["approved"] = self.approved
        return out


class _Problems:
    def __init__(self, node: Node) -> None:
        self.node = node
        self.errors: list[FieldError] = []

    def add(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message, node_id=self.node.id))


def check_completion(node: Node, payload: Any) -> Completion:
    """The payload checked against the node's settings; raises `task.incomplete`."""
    problems = _Problems(node)
    if not isinstance(payload, Mapping):
        problems.add("", "Send the completion as an object.")
        _raise(problems)
    if node.kind is NodeKind.APPROVAL:
        completion = _approval(node.settings, payload, problems)
    elif node.kind is NodeKind.TASK:
        completion = _task(node.settings, payload, problems)
    else:
        raise ValueError(f"a {node.kind} node has no task to complete")
    _raise(problems)
    return completion


def _raise(problems: _Problems) -> None:
    if problems.errors:
        node = problems.node
        count = len(problems.errors)
        raise CueflowError(
            ErrorCode.TASK_INCOMPLETE,
            f"“{node.title}” cannot be completed yet: {count} thing{'s' * (count > 1)} to fix.",
            errors=problems.errors,
        )


def _task(settings: TaskSettings, payload: Mapping[str, Any], problems: _Problems) -> Completion:
    _unknown(payload, TASK_KEYS, "", problems)
    checklist = _checklist(settings, _section(payload, "checklist", problems), problems)
    values = _section(payload, "fields", problems)
    _unknown(values, [f.key for f in settings.required_fields], "fields.", problems)
    fields = {}
    for spec in settings.required_fields:
        checked = _given(values, spec.key, spec.label, "fields.", problems)
        if checked is not _MISSING:
            fields[spec.key] = _check(_field_rule(spec), checked, f"fields.{spec.key}", problems)
    given = _section(payload, "metrics", problems)
    _unknown(given, [m.key for m in settings.metric_fields], "metrics.", problems)
    metrics = {}
    for metric in settings.metric_fields:
        checked = _given(given, metric.key, metric.label, "metrics.", problems)
        if checked is not _MISSING:
            rule = _METRIC_RULES[metric.type]
            metrics[metric.key] = _check(rule, checked, f"metrics.{metric.key}", problems)
    variables = {
        spec.sets_variable: fields[spec.key]
        for spec in settings.required_fields
        if spec.sets_variable and spec.key in fields
    }
    for metric in settings.metric_fields:
        if metric.sets_variable and metric.key in metrics:
            variables[metric.sets_variable] = metrics[metric.key]
    note = _note(payload, problems)
    return Completion(checklist, fields, metrics, note, None, variables)


def _approval(
    settings: ApprovalSettings, payload: Mapping[str, Any], problems: _Problems
) -> Completion:
    _unknown(payload, APPROVAL_KEYS, "", problems)
    approved = payload.get("approved")
    if not isinstance(approved, bool):
        problems.add("approved", "Approve (true) or reject (false).")
    note = _note(payload, problems)
    variables = {settings.sets_variable: approved} if settings.sets_variable else {}
    return Completion({}, {}, {}, note, approved if isinstance(approved, bool) else None, variables)


# ----- sections ------------------------------------------------------------------------

_MISSING = object()


def _section(payload: Mapping[str, Any], key: str, problems: _Problems) -> Mapping[str, Any]:
    value = payload.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.add(key, "Send an object of keys to values.")
        return {}
    return value


def _unknown(given: Mapping[str, Any], known: Any, prefix: str, problems: _Problems) -> None:
    known = set(known)
    for key in sorted(str(k) for k in given if k not in known):
        problems.add(f"{prefix}{key}", "This task has no such entry.")


def _given(values: Mapping[str, Any], key: str, label: str, prefix: str, problems: _Problems):
    value = values.get(key)
    if value is None:
        problems.add(f"{prefix}{key}", f"Fill in “{label}”.")
        return _MISSING
    return value


def _checklist(
    settings: TaskSettings, ticks: Mapping[str, Any], problems: _Problems
) -> dict[str, bool]:
    _unknown(ticks, [item.id for item in settings.checklist], "checklist.", problems)
    for item in settings.checklist:
        tick = ticks.get(item.id)
        if tick is not True:
            unticked = tick is None or tick is False
            message = "Tick this item (true)." if unticked else "Send true or false."
            problems.add(f"checklist.{item.id}", f"{message} “{item.text}”")
    return {item.id: True for item in settings.checklist}


def _note(payload: Mapping[str, Any], problems: _Problems) -> str:
    note = payload.get("note")
    if note is None:
        return ""
    if not isinstance(note, str):
        problems.add("note", "A note is text.")
        return ""
    if len(note) > NOTE_MAX:
        problems.add("note", f"Keep the note under {NOTE_MAX} characters.")
    return note.strip()


def _check(rule: Callable[[Any], Any], value: Any, path: str, problems: _Problems) -> Any:
    try:
        return rule(value)
    except _Refused as refused:
        problems.add(path, str(refused))
        return None


# ----- value rules: each returns the normalised value or raises _Refused ----------------


class _Refused(ValueError):
    pass


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Refused("Enter a number.")
    if isinstance(value, float) and not math.isfinite(value):
        raise _Refused("Enter a finite number.")
    if abs(value) > MAX_NUMBER:
        raise _Refused("This number is too large.")
    return value


def _integer(value: Any) -> int:
    number = _number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise _Refused("Enter a whole number.")
        return int(number)
    return number


def _money(value: Any) -> int | float:
    number = _number(value)
    if number < 0:
        raise _Refused("An amount of money is not negative.")
    exponent = Decimal(str(number)).as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise _Refused("Give at most two decimals (fen).")
    return number


def _percent(value: Any) -> int | float:
    number = _number(value)
    if not 0 <= number <= 100:
        raise _Refused("A percentage lies between 0 and 100.")
    return number


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Refused("Enter text.")
    if not value.strip():
        raise _Refused("Fill in this field.")
    if len(value) > TEXT_MAX:
        raise _Refused(f"Keep it under {TEXT_MAX} characters.")
    return value.strip()


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Refused("Answer true or false.")
    return value


def _field_rule(spec: RequiredField) -> Callable[[Any], Any]:
    if spec.type is FieldType.CHOICE:

        def choice(value: Any) -> str:
            if not isinstance(value, str) or value not in spec.choices:
                raise _Refused(f"Choose one of: {', '.join(spec.choices)}.")
            return value

        return choice
    return {FieldType.NUMBER: _number, FieldType.TEXT: _text, FieldType.BOOL: _bool}[spec.type]


_METRIC_RULES: dict[MetricType, Callable[[Any], Any]] = {
    MetricType.NUMBER: _number,
    MetricType.INTEGER: _integer,
    MetricType.MONEY: _money,
    MetricType.PERCENT: _percent,
}
