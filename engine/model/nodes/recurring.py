"""`recurring`: a cue repeated every N minutes inside the execution window.

"Push a coupon every 20 minutes until T+3h", "lottery every 30 minutes, 6 times".
The first cue is at the node's planned start; cues repeat every `every_minutes`
until `until_offset_minutes` or for `count` cues (whichever comes first).
`duration_minutes` is the length of one cue (for the role's load).
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import fields, validate

from engine.model.graph import Node
from engine.model.nodes.base import FrozenSchema, KindSpec, NodeContext, minutes_field
from engine.model.problems import Problem, ProblemCode, error, warning
from engine.model.timing import in_execution_window
from engine.model.vocabulary import NodeKind, Phase

MAX_CUES = 1000  # planning never expands more cues than this per node


@dataclass(frozen=True)
class RecurringSettings:
    every_minutes: int | None = None
    count: int | None = None
    until_offset_minutes: int | None = None
    cue: str = ""


class RecurringSettingsSchema(FrozenSchema):
    make = RecurringSettings
    every_minutes = minutes_field(1, 24 * 60)
    count = fields.Integer(
        strict=True, load_default=None, allow_none=True, validate=validate.Range(1, MAX_CUES)
    )
    until_offset_minutes = minutes_field()  # after go-live: cues stay in the execution window
    cue = fields.String(load_default="", validate=validate.Length(max=500))


def cue_offsets(node: Node, start: int) -> list[int]:
    """Planned offsets of every cue of a node whose first cue is at `start`."""
    settings: RecurringSettings = node.settings
    every = settings.every_minutes
    if not every:
        return [start]
    last = start + every * ((settings.count or MAX_CUES) - 1)
    if settings.until_offset_minutes is not None:
        last = min(last, settings.until_offset_minutes)
    if settings.count is None and settings.until_offset_minutes is None:
        last = start  # unbounded: plan the first cue only (validation warns)
    return list(range(start, max(start, last) + 1, every))


def due(node: Node, start: int) -> int:
    return cue_offsets(node, start)[-1] + (node.duration_minutes or 0)


def check(node: Node, context: NodeContext) -> list[Problem]:
    settings: RecurringSettings = node.settings
    problems = []
    if node.phase is not Phase.EXECUTION:
        problems.append(
            error(
                ProblemCode.OUTSIDE_PHASE_WINDOW,
                f"The recurring cue “{node.title}” belongs in the execution phase, not"
                f" {node.phase}.",
                [node.id],
            )
        )
    if settings.every_minutes is None:
        problems.append(
            error(
                ProblemCode.RECURRING_INCOMPLETE,
                f"The recurring cue “{node.title}” needs how often it repeats (every_minutes).",
                [node.id],
            )
        )
    elif settings.count is None and settings.until_offset_minutes is None:
        problems.append(
            warning(
                ProblemCode.RECURRING_UNBOUNDED,
                f"The recurring cue “{node.title}” has neither a count nor an end time;"
                " it repeats until the run leaves the execution phase.",
                [node.id],
            )
        )
    problems += _window(node, context.execution_end)
    return problems


def _window(node: Node, end: int | None) -> list[Problem]:
    settings: RecurringSettings = node.settings
    if node.phase is not Phase.EXECUTION:
        return []
    start = node.offset_minutes if node.offset_minutes is not None else 0
    last = cue_offsets(node, start)[-1]
    if settings.until_offset_minutes is not None:
        last = max(last, settings.until_offset_minutes)
    if in_execution_window(start, end) and in_execution_window(last, end):
        return []
    return [
        error(
            ProblemCode.OUTSIDE_PHASE_WINDOW,
            f"The cues of “{node.title}” run from T{start:+d} to T{last:+d} min, outside the"
            f" execution window (T+0 to {'open' if end is None else f'T+{end}'} min).",
            [node.id],
        )
    ]


SPEC = KindSpec(
    NodeKind.RECURRING,
    RecurringSettings,
    RecurringSettingsSchema,
    human=False,
    check=check,
    due=due,
)
