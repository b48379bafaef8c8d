"""Phase windows and offset order: the time rules of a runbook, relative to go-live (T0).

All times are whole minutes relative to go-live. The rules:

- The execution window is [0, E]. E, the end of execution, is the earliest planned
  start (offset) of any review node; when no review node has an offset the window
  is open-ended (E = None).
- A node's planned start (its `offset_minutes`, when set) must lie in its phase window:
  pre_event starts strictly before T0 (offset < 0); execution starts within [0, E];
  review starts at or after T0 (and so, by the definition of E, at or after E).
- A wait `until_offset` target obeys the same windows, except that a pre_event wait
  may end exactly at T0 (until <= 0), as "wait for go-live" is a natural step.
- A recurring cue belongs to the execution phase: its first cue, its `until` and
  (with a `count`) its last cue all lie within [0, E].
- Offset order: along an edge u -> v where both have offsets, v must not be planned
  to start before u is planned to be due (u.offset + u.duration; for a wait, its
  target time; for a recurring cue, the end of its last cue). validation.py checks it.

Nodes without an offset take their time from their predecessors (see schedule.py),
so these rules only judge what the planner pinned.
"""

from __future__ import annotations

from engine.model.graph import Graph
from engine.model.problems import Problem, ProblemCode, error
from engine.model.vocabulary import Phase


def execution_end(graph: Graph) -> int | None:
    """E: the earliest offset of a review node, or None when no review node is pinned."""
    offsets = [
        n.offset_minutes
        for n in graph.nodes
        if n.phase is Phase.REVIEW and n.offset_minutes is not None
    ]
    return min(offsets) if offsets else None


def start_in_window(phase: Phase, offset: int, end: int | None) -> bool:
    if phase is Phase.PRE_EVENT:
        return offset < 0
    if phase is Phase.EXECUTION:
        return offset >= 0 and (end is None or offset <= end)
    return offset >= 0


def in_execution_window(offset: int, end: int | None) -> bool:
    return offset >= 0 and (end is None or offset <= end)


def describe_window(phase: Phase, end: int | None) -> str:
    if phase is Phase.PRE_EVENT:
        return "before go-live (a negative offset)"
    if phase is Phase.EXECUTION:
        closing = "open-ended" if end is None else f"until T+{end} min, when review starts"
        return f"from go-live (offset 0 or more), {closing}"
    return "after go-live (offset 0 or more)"


def check_offsets(graph: Graph, end: int | None) -> list[Problem]:
    """Node starts outside their phase window (recurring and wait check their own extras)."""
    problems = []
    for node in graph.nodes:
        if node.offset_minutes is None or start_in_window(node.phase, node.offset_minutes, end):
            continue
        problems.append(
            error(
                ProblemCode.OUTSIDE_PHASE_WINDOW,
                f"“{node.title}” is a {node.phase} node planned at T{node.offset_minutes:+d} min;"
                f" it must start {describe_window(node.phase, end)}.",
                [node.id],
            )
        )
    return problems
