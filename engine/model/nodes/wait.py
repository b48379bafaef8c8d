"""`wait`: a timer. Either until an offset from go-live, or a delay after it becomes ready.

`until_offset`: due at go-live + `until_offset_minutes` (or when ready, if later).
`delay`: due `delay_minutes` after it becomes ready. The node's own duration is unused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from marshmallow import ValidationError, fields, validates_schema

from engine.model.graph import Node
from engine.model.nodes.base import FrozenSchema, KindSpec, NodeContext, minutes_field, offset_field
from engine.model.problems import Problem, ProblemCode, error
from engine.model.timing import describe_window, start_in_window
from engine.model.vocabulary import NodeKind, Phase


class WaitMode(StrEnum):
    UNTIL_OFFSET = "until_offset"
    DELAY = "delay"


@dataclass(frozen=True)
class WaitSettings:
    mode: WaitMode = WaitMode.DELAY
    until_offset_minutes: int | None = None
    delay_minutes: int | None = None


class WaitSettingsSchema(FrozenSchema):
    make = WaitSettings
    mode = fields.Enum(WaitMode, by_value=True, load_default=WaitMode.DELAY)
    until_offset_minutes = offset_field()
    delay_minutes = minutes_field()

    @validates_schema
    def _one_mode(self, data, **kwargs):
        if data.get("mode") is WaitMode.DELAY and data.get("until_offset_minutes") is not None:
            message = "Only a wait in mode until_offset has this."
            raise ValidationError(message, "until_offset_minutes")
        if data.get("mode") is WaitMode.UNTIL_OFFSET and data.get("delay_minutes") is not None:
            raise ValidationError("Only a wait in mode delay has this.", "delay_minutes")


def check(node: Node, context: NodeContext) -> list[Problem]:
    settings: WaitSettings = node.settings
    if settings.mode is WaitMode.DELAY:
        if settings.delay_minutes is None:
            return [_incomplete(node, "how many minutes to wait (delay_minutes)")]
        return []
    until = settings.until_offset_minutes
    if until is None:
        return [_incomplete(node, "the offset from go-live to wait until")]
    # A pre-event wait may end exactly at go-live ("wait for T0").
    if node.phase is Phase.PRE_EVENT:
        fits = until <= 0
    else:
        fits = start_in_window(node.phase, until, context.execution_end)
    if fits:
        return []
    return [
        error(
            ProblemCode.OUTSIDE_PHASE_WINDOW,
            f"The wait “{node.title}” waits until T{until:+d} min, outside its {node.phase}"
            f" window: {describe_window(node.phase, context.execution_end)}.",
            [node.id],
        )
    ]


def _incomplete(node: Node, what: str) -> Problem:
    return error(ProblemCode.WAIT_INCOMPLETE, f"The wait “{node.title}” needs {what}.", [node.id])


def due(node: Node, start: int) -> int:
    settings: WaitSettings = node.settings
    if settings.mode is WaitMode.UNTIL_OFFSET and settings.until_offset_minutes is not None:
        return max(start, settings.until_offset_minutes)
    return start + (settings.delay_minutes or 0)


SPEC = KindSpec(NodeKind.WAIT, WaitSettings, WaitSettingsSchema, human=False, check=check, due=due)
