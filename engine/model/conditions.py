"""Conditions on run variables: data, parsed into a small tree and evaluated safely.

A condition is JSON, never code, and is never passed to `eval`:

    {"var": "warmup_reservations", "op": ">=", "value": 500}
    {"all": [c1, c2, ...]}    {"any": [c1, c2, ...]}    {"not": c}

The value of a comparison may name another run variable, so a run's own target is
the threshold: `{"var": "warmup_reservations", "op": ">=", "value": {"var": "reservation_target"}}`.

Operators: == != < <= > >= in not_in is_set. Evaluation is strict and never raises:
an unset variable, or a comparison between incompatible types (a number against a
string, ordering booleans), is simply False. `not_in` holds when the variable is set
and equals no listed value.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

Scalar = int | float | str | bool


class Op(StrEnum):
    EQ = "=="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    IN = "in"
    NOT_IN = "not_in"
    IS_SET = "is_set"


@dataclass(frozen=True)
class Ref:
    """A comparison value read from another run variable."""

    var: str


@dataclass(frozen=True)
class Compare:
    var: str
    op: Op
    value: Scalar | Ref | tuple[Scalar, ...] | None = None


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Compare | AllOf | AnyOf | Not

_ORDERING = {Op.LT: operator.lt, Op.LE: operator.le, Op.GT: operator.gt, Op.GE: operator.ge}
_LIST_OPS = {Op.IN, Op.NOT_IN}
_MAX_DEPTH = 20


class ConditionError(ValueError):
    """A malformed condition document; `path` leads to the offending part."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


# ----- parsing -------------------------------------------------------------------------


def parse(doc: Any, path: tuple[str | int, ...] = ()) -> Condition:
    """A condition tree from its JSON form; raises ConditionError with the path."""
    if len(path) > _MAX_DEPTH * 2:
        raise ConditionError(path, "Condition is nested too deeply.")
    if not isinstance(doc, Mapping):
        raise ConditionError(path, "A condition must be an object.")
    for group, cls in (("all", AllOf), ("any", AnyOf)):
        if group in doc:
            _only_keys(doc, {group}, path)
            items = doc[group]
            if not isinstance(items, list) or not items:
                raise ConditionError((*path, group), "Must be a non-empty list of conditions.")
            return cls(tuple(parse(item, (*path, group, i)) for i, item in enumerate(items)))
    if "not" in doc:
        _only_keys(doc, {"not"}, path)
        return Not(parse(doc["not"], (*path, "not")))
    return _parse_compare(doc, path)


def _parse_compare(doc: Mapping[str, Any], path: tuple[str | int, ...]) -> Compare:
    _only_keys(doc, {"var", "op", "value"}, path)
    var = doc.get("var")
    if not isinstance(var, str) or not var:
        raise ConditionError((*path, "var"), "Name the variable this condition reads.")
    try:
        op = Op(doc.get("op"))
    except ValueError:
        choices = ", ".join(o.value for o in Op)
        raise ConditionError((*path, "op"), f"Unknown operator; use one of {choices}.") from None
    if op is Op.IS_SET:
        if "value" in doc:
            raise ConditionError((*path, "value"), "is_set takes no value.")
        return Compare(var, op)
    if "value" not in doc:
        raise ConditionError((*path, "value"), "This operator needs a value.")
    value = doc["value"]
    if op in _LIST_OPS:
        if not isinstance(value, list):
            raise ConditionError((*path, "value"), f"{op} needs a list of values.")
        for i, each in enumerate(value):
            _check_scalar(each, (*path, "value", i))
        return Compare(var, op, tuple(value))
    if isinstance(value, Mapping):
        _only_keys(value, {"var"}, (*path, "value"))
        if not isinstance(value.get("var"), str) or not value["var"]:
            raise ConditionError((*path, "value", "var"), "Name the variable to compare with.")
        return Compare(var, op, Ref(value["var"]))
    _check_scalar(value, (*path, "value"))
    return Compare(var, op, value)


def _only_keys(doc: Mapping[str, Any], allowed: set[str], path: tuple[str | int, ...]) -> None:
    for key in doc:
        if key not in allowed:
            raise ConditionError((*path, str(key)), "Unknown field.")


def _check_scalar(value: Any, path: tuple[str | int, ...]) -> None:
    if isinstance(value, bool | str | int):
        return
    if isinstance(value, float) and math.isfinite(value):
        return
    raise ConditionError(path, "A value must be a number, a string or true/false.")


def to_doc(condition: Condition) -> dict[str, Any]:
    """The JSON form of a condition tree (the inverse of `parse`)."""
    match condition:
        case AllOf(items):
            return {"all": [to_doc(c) for c in items]}
        case AnyOf(items):
            return {"any": [to_doc(c) for c in items]}
        case Not(item):
            return {"not": to_doc(item)}
        case Compare(var, op, value):
            out: dict[str, Any] = {"var": var, "op": op.value}
            if isinstance(value, Ref):
                out["value"] = {"var": value.var}
            elif op is not Op.IS_SET:
                out["value"] = list(value) if isinstance(value, tuple) else value
            return out
    raise TypeError(f"not a condition: {condition!r}")


# ----- evaluation ----------------------------------------------------------------------


def evaluate(condition: Condition | Mapping[str, Any], variables: Mapping[str, Any]) -> bool:
    """Whether the condition holds for these run variables. Never raises on data."""
    tree = condition if isinstance(condition, Compare | AllOf | AnyOf | Not) else parse(condition)
    return _holds(tree, variables)


def _holds(condition: Condition, variables: Mapping[str, Any]) -> bool:
    match condition:
        case AllOf(items):
            return all(_holds(c, variables) for c in items)
        case AnyOf(items):
            return any(_holds(c, variables) for c in items)
        case Not(item):
            return not _holds(item, variables)
        case Compare():
            return _compare(condition, variables)
    return False


def _compare(condition: Compare, variables: Mapping[str, Any]) -> bool:
    op, expected = condition.op, condition.value
    actual = variables.get(condition.var)
    if isinstance(expected, Ref):
        expected = variables.get(expected.var)
        if expected is None:
            return False
    if actual is None:
        return False  # unset: only `is_set` could answer, and it answers False
    if op is Op.IS_SET:
        return True
    if op is Op.IN:
        return any(_equal(actual, each) for each in expected)  # type: ignore[union-attr]
    if op is Op.NOT_IN:
        return not any(_equal(actual, each) for each in expected)  # type: ignore[union-attr]
    if op is Op.EQ:
        return _equal(actual, expected)
    if op is Op.NE:
        return _comparable(actual, expected) and actual != expected
    if not _comparable(actual, expected) or isinstance(actual, bool):
        return False  # booleans have no order
    return bool(_ORDERING[op](actual, expected))


def kind_of(value: Any) -> str | None:
    """The variable type a value fits (number, string or bool), or None for anything else."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def _comparable(a: Any, b: Any) -> bool:
    kind = kind_of(a)
    return kind is not None and kind == kind_of(b)


def _equal(a: Any, b: Any) -> bool:
    return _comparable(a, b) and a == b


def variables_referenced(condition: Condition | Mapping[str, Any]) -> set[str]:
    """Every variable name the condition reads."""
    tree = condition if isinstance(condition, Compare | AllOf | AnyOf | Not) else parse(condition)
    match tree:
        case AllOf(items) | AnyOf(items):
            return set().union(*(variables_referenced(c) for c in items))
        case Not(item):
            return variables_referenced(item)
        case Compare(var, _, Ref(other)):
            return {var, other}
        case Compare(var):
            return {var}
    return set()


def compared_values(condition: Condition) -> list[tuple[str, Scalar | Ref]]:
    """(variable, value it is compared with) pairs, for type warnings."""
    match condition:
        case AllOf(items) | AnyOf(items):
            return [pair for c in items for pair in compared_values(c)]
        case Not(item):
            return compared_values(item)
        case Compare(var, op, value) if op is not Op.IS_SET:
            values = value if isinstance(value, tuple) else (value,)
            return [(var, v) for v in values]
    return []
