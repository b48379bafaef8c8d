"""Reading a run's event log back: the node states it leads to, and each node's times,
completions and problems, in one pass. The post-mortem (postmortem.py) builds on it.

The log is the run's append-only events (engine.model.events) in id order, as the
executor and the task rules write them. How each figure is read, in plain words:

- State (`replay_node_states`): a `node.*` event sets its node's state to `after.state`;
  `task.claim` puts a ready node active and `task.unclaim` an active node back to ready,
  as engine/tasks.py does to the live row. Nothing else changes a node's state.
- Ready: the node's `node.ready`. Start, decision and end nodes go straight to done:
  their `node.done` is also when they became ready.
- Started: the first `task.claim` of the node's task; without one (a task ticked off
  at once, a wait, a notify, a cue series) when it became ready.
- Finished: the first event that finished the node: `task.complete` or `task.skip` of
  its task, else its `node.done` or `node.skipped` (a wait, a notify, a node on a dead
  path). A task reopened and completed again does not move it (the run had moved on
  then); the rework is counted in `reopened`, and the last completion is the one whose
  figures stand (`completion`).
- Problems: each `task.report_problem` is one problem: who, when, the text (`note`),
  and whether it was blocking: the event's `after.blocking` (the reporter's say), or,
  in logs written before events carried it, whether the task was blocked after it. It
  is resolved by the next `task.resolve_problem` of the same task (how: resolved), or
  by the task's completion or skip, which clear a task's problems (how: completed,
  skipped). A problem still open when the log ends is unresolved.

Figures read from a log are rounded one way, here: minutes and percentages to 0.1,
halves away from zero (`tenths`, `percent`, `elapsed_minutes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from engine.model.events import EventKind
from engine.model.run_states import NodeState

_READY, _ACTIVE = NodeState.READY, NodeState.ACTIVE
_TENTH = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event of a run's log, as stored (engine/store: `Event`)."""

    id: int
    at: datetime
    kind: str
    actor_id: int | None = None
    node_id: str | None = None
    task_id: int | None = None
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    note: str = ""


@dataclass(frozen=True)
class Resolution:
    """How a problem ended: resolved, or cleared by completing or skipping the task."""

    how: str  # "resolved" | "completed" | "skipped"
    by: int | None
    at: datetime
    text: str
    minutes_open: float  # from the report to this


@dataclass(frozen=True)
class ProblemReport:
    node_id: str | None
    task_id: int | None
    reported_by: int | None
    reported_at: datetime
    text: str
    blocking: bool
    resolution: Resolution | None = None  # None: still open when the log ends


@dataclass
class NodeLog:
    """What the log says about one node (filled while reading; treat as read-only after)."""

    node_id: str
    state: NodeState = NodeState.PENDING
    ready_at: datetime | None = None
    started_at: datetime | None = None  # first claim; see `start`
    finished_at: datetime | None = None
    finish_event_id: int = 0  # orders finishes at the same instant
    finished_by: int | None = None  # who completed or skipped the task that finished it
    completion: EventRecord | None = None  # the last task.complete: its figures stand
    reopened: int = 0

    @property
    def start(self) -> datetime | None:
        return self.started_at or self.ready_at


@dataclass
class RunLog:
    """A whole log read back. `nodes` holds only nodes the log mentions."""

    nodes: dict[str, NodeLog] = field(default_factory=dict)
    problems: list[ProblemReport] = field(default_factory=list)
    status: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    go_live_moves: list[tuple[datetime, str, str]] = field(default_factory=list)
    event_count: int = 0


def elapsed_minutes(start: datetime, end: datetime) -> float:
    """Real minutes from `start` to `end` (negative when `end` is earlier), to 0.1."""
    return tenths((end - start).total_seconds() / 60)


def tenths(value: float) -> float:
    """`value` to one decimal, halves rounded away from zero (not to even): 2.25 -> 2.3."""
    return float(Decimal(repr(value)).quantize(_TENTH, ROUND_HALF_UP))


def percent(part: float, whole: float) -> float | None:
    """part / whole x 100 to one decimal, halves away from zero; None when whole is 0."""
    if not whole:
        return None
    ratio = Decimal(repr(part)) * 100 / Decimal(repr(whole))
    return float(ratio.quantize(_TENTH, ROUND_HALF_UP))


def next_state(state: NodeState, event: EventRecord) -> NodeState:
    """The node's state after `event` (one of its events), by the rule above."""
    kind = event.kind
    if kind == EventKind.TASK_CLAIM:
        return _ACTIVE if state is _READY else state
    if kind == EventKind.TASK_UNCLAIM:
        return _READY if state is _ACTIVE else state
    if kind.startswith("node.") and event.after and "state" in event.after:
        return NodeState(event.after["state"])
    return state


def replay_node_states(
    events: Iterable[EventRecord], node_ids: Iterable[str] = ()
) -> dict[str, NodeState]:
    """The state its events (in id order) lead each node to: every node the log changes,
    and each of `node_ids` (pending when the log says nothing of it), as the live rows."""
    states: dict[str, NodeState] = dict.fromkeys(node_ids, NodeState.PENDING)
    for event in events:
        node_id = event.node_id
        if node_id is None:
            continue
        before = states.get(node_id, NodeState.PENDING)
        after = next_state(before, event)
        if after is not before or node_id in states:
            states[node_id] = after
    return states


def read_log(events: Iterable[EventRecord]) -> RunLog:
    """Read a run's events (in id order) into per-node times, completions and problems."""
    log = RunLog()
    reader = _Reader(log)
    for event in events:
        log.event_count += 1
        handle = _HANDLERS.get(event.kind)
        if handle is not None:
            handle(reader, event)
        if event.node_id is not None:
            node = reader.node(event.node_id)
            node.state = next_state(node.state, event)
    return log


class _Reader:
    def __init__(self, log: RunLog) -> None:
        self.log = log
        self.open_problems: dict[int | None, list[int]] = {}  # task id -> problem positions

    def node(self, node_id: str) -> NodeLog:
        node = self.log.nodes.get(node_id)
        if node is None:
            node = self.log.nodes[node_id] = NodeLog(node_id)
        return node

    def finish(self, event: EventRecord, by: int | None) -> None:
        if event.node_id is None:
            return
        node = self.node(event.node_id)
        if node.finished_at is None:
            node.finished_at, node.finish_event_id, node.finished_by = event.at, event.id, by
            if node.ready_at is None:  # start, decision and end: done at once
                node.ready_at = event.at

    def close_problems(self, event: EventRecord, how: str, text: str) -> None:
        for position in self.open_problems.pop(event.task_id, ()):
            problem = self.log.problems[position]
            minutes = elapsed_minutes(problem.reported_at, event.at)
            resolution = Resolution(how, event.actor_id, event.at, text, minutes)
            self.log.problems[position] = replace(problem, resolution=resolution)


def _run_status(reader: _Reader, event: EventRecord) -> None:
    log = reader.log
    if event.after and "status" in event.after:
        log.status = event.after["status"]
    if event.kind == EventKind.RUN_START and log.started_at is None:
        log.started_at = event.at
    elif event.kind in (EventKind.RUN_COMPLETE, EventKind.RUN_CANCEL):
        log.ended_at = event.at


def _go_live_moved(reader: _Reader, event: EventRecord) -> None:
    before, after = event.before or {}, event.after or {}
    reader.log.go_live_moves.append((event.at, before.get("go_live", ""), after.get("go_live", "")))


def _node_ready(reader: _Reader, event: EventRecord) -> None:
    if event.node_id is not None:
        node = reader.node(event.node_id)
        node.ready_at = node.ready_at or event.at


def _node_finished(reader: _Reader, event: EventRecord) -> None:
    reader.finish(event, None)


def _claim(reader: _Reader, event: EventRecord) -> None:
    if event.node_id is not None:
        node = reader.node(event.node_id)
        node.started_at = node.started_at or event.at


def _complete(reader: _Reader, event: EventRecord) -> None:
    reader.finish(event, event.actor_id)
    if event.node_id is not None:
        reader.node(event.node_id).completion = event
    result = (event.after or {}).get("result") or {}
    reader.close_problems(event, "completed", event.note or result.get("note") or "")


def _skip(reader: _Reader, event: EventRecord) -> None:
    reader.finish(event, event.actor_id)
    reader.close_problems(event, "skipped", event.note)


def _reopen(reader: _Reader, event: EventRecord) -> None:
    if event.node_id is not None:
        reader.node(event.node_id).reopened += 1


def _report_problem(reader: _Reader, event: EventRecord) -> None:
    problems = reader.log.problems
    reader.open_problems.setdefault(event.task_id, []).append(len(problems))
    after = event.after or {}
    blocking = bool(after.get("blocking", after.get("blocked")))
    problems.append(
        ProblemReport(event.node_id, event.task_id, event.actor_id, event.at, event.note, blocking)
    )


def _resolve_problem(reader: _Reader, event: EventRecord) -> None:
    reader.close_problems(event, "resolved", event.note)


_HANDLERS = {
    EventKind.RUN_START: _run_status,
    EventKind.RUN_PAUSE: _run_status,
    EventKind.RUN_RESUME: _run_status,
    EventKind.RUN_COMPLETE: _run_status,
    EventKind.RUN_CANCEL: _run_status,
    EventKind.RUN_GO_LIVE_MOVED: _go_live_moved,
    EventKind.NODE_READY: _node_ready,
    EventKind.NODE_DONE: _node_finished,
    EventKind.NODE_SKIPPED: _node_finished,
    EventKind.TASK_CLAIM: _claim,
    EventKind.TASK_COMPLETE: _complete,
    EventKind.TASK_SKIP: _skip,
    EventKind.TASK_REOPEN: _reopen,
    EventKind.TASK_REPORT_PROBLEM: _report_problem,
    EventKind.TASK_RESOLVE_PROBLEM: _resolve_problem,
}
