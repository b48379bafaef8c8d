"""What every node kind declares: its settings, their schema, its rules, whether it is human.

A kind module (task.py, wait.py, ...) builds one `KindSpec`; `engine.model.nodes.KINDS`
registers them, so a new kind is one file plus one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, fields, post_load, validate

from engine.model.graph import Edge, Graph, Node
from engine.model.problems import Problem
from engine.model.vocabulary import NodeKind

MAX_MINUTES = 366 * 24 * 60  # no plan reaches further than a year from go-live


def offset_field() -> fields.Integer:
    """Minutes relative to go-live (negative: before T0); optional."""
    return fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(-MAX_MINUTES, MAX_MINUTES),
    )


def minutes_field(minimum: int = 0, maximum: int = MAX_MINUTES) -> fields.Integer:
    """A length of time in whole minutes; optional."""
    return fields.Integer(
        strict=True, load_default=None, allow_none=True, validate=validate.Range(minimum, maximum)
    )


@dataclass(frozen=True)
class NodeContext:
    """What a kind's rules may look at besides the node itself."""

    graph: Graph
    incoming: tuple[Edge, ...]
    outgoing: tuple[Edge, ...]
    execution_end: int | None  # minutes after go-live when review starts; None: open


def due_after_duration(node: Node, start: int) -> int:
    return start + (node.duration_minutes or 0)


@dataclass(frozen=True)
class KindSpec:
    kind: NodeKind
    settings: type  # frozen dataclass; `settings()` is the empty default
    schema: type[Schema]
    human: bool  # a person does it: the executor creates a task for the node's role
    check: Callable[[Node, NodeContext], list[Problem]]
    # Planned due offset from the planned start offset (minutes after go-live).
    due: Callable[[Node, int], int] = due_after_duration


def no_rules(node: Node, context: NodeContext) -> list[Problem]:
    return []


class FrozenSchema(Schema):
    """Loads into `make`, a frozen dataclass; lists become tuples. Unknown fields raise."""

    make: ClassVar[type]

    class Meta:
        unknown = RAISE

    @post_load
    def _build(self, data: dict[str, Any], **kwargs: Any) -> Any:
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return self.make(**values)
