"""When the work of a run is due, and how its times move with go-live: pure arithmetic.

Times are aware datetimes; the arithmetic is exact elapsed minutes in UTC, so "T+20"
stays 20 real minutes after go-live even when go-live moves across a daylight-saving
change. Results are in UTC; show them in the run's time zone. The rules:

- Due (`due_at`). A task or approval pinned to an offset (`offset_minutes` set) is due
  at go-live + offset + duration, however late it became ready; an unpinned one at the
  moment it became ready + duration, or never (None) without a duration.
- A wait fires (and is due) at go-live + its `until_offset_minutes`, or at once when it
  becomes ready after that; a delay wait `delay_minutes` after it became ready (a wait's
  own offset is not used at run time: wait.py). A notify pinned to an offset is sent
  at go-live + offset, or at once when it becomes ready later; an unpinned one at once.
  A recurring node is due at its last cue + duration.
- Reminder = due - lead; escalation = due + delay (the runbook's settings, passed in).
  A task handed out less than `lead` before its due gets no reminder: it would only
  repeat the hand-over.
- `times_of` lists every time an open node has (due, reminder and escalation of a task;
  the timer of a wait; the sending of a notify), each marked `pinned` when it derives
  from go-live. Cues come from `cue_series`, pinned when their node is.
- Moving go-live (`replan`, `preview_go_live_move`): every pinned time moves by exactly
  the difference between the new and the old go-live; a time that derives from when a
  node became ready stays where it is (the work was handed out then; it is not handed
  out again). A cue the live crew shifted keeps its shift; a cue sent or skipped stays.
  A time that lands in the past is no special case: the executor fires it at once.
- Cues (`cue_series`). Pinned: at go-live + each of `cue_offsets(node, offset)`.
  Unpinned: the first when the node became ready, then every `every_minutes`, for
  `count` cues and never after go-live + `until_offset_minutes` (unbounded: the first
  only, as planning does). A live shift moves that one occurrence; a skip drops it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model.graph import Node
from engine.model.nodes import HUMAN_KINDS
from engine.model.nodes.recurring import MAX_CUES, RecurringSettings, cue_offsets
from engine.model.nodes.wait import WaitMode, WaitSettings
from engine.model.run_states import CUE_TRANSITIONS, CueAction, CueStatus
from engine.model.vocabulary import NodeKind

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

# A runbook's default reminder (before due) and escalation (after due), in minutes.
DEFAULT_REMINDER_LEAD_MINUTES = 15
DEFAULT_ESCALATION_DELAY_MINUTES = 10


def _utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise CueflowError(
            ErrorCode.VALIDATION,
            errors=[FieldError(name, "Give the time with its UTC offset.")],
        )
    return value.astimezone(UTC)


def _minutes(count: int) -> timedelta:
    return timedelta(minutes=count)


# ----- due times -----------------------------------------------------------------------


def due_at(node: Node, go_live: datetime, ready_at: datetime) -> datetime | None:
    """When the node's work is due, for a run going live at `go_live` (see the rules)."""
    go_live, ready_at = _utc(go_live, "go_live"), _utc(ready_at, "ready_at")
    if node.kind is NodeKind.WAIT:
        return _timer(node, go_live, ready_at)[0]
    if node.kind is NodeKind.NOTIFY:
        return _send(node, go_live, ready_at)[0]
    if node.kind is NodeKind.RECURRING:
        return cue_times(node, go_live, ready_at)[-1] + _minutes(node.duration_minutes or 0)
    duration = node.duration_minutes
    if node.offset_minutes is not None:
        return go_live + _minutes(node.offset_minutes + (duration or 0))
    return None if duration is None else ready_at + _minutes(duration)


def due_offset(node: Node, ready_at_offset: int) -> int | None:
    """`due_at` in whole minutes relative to go-live, for a node ready at that offset."""
    due = due_at(node, _EPOCH, _EPOCH + _minutes(ready_at_offset))
    return None if due is None else int((due - _EPOCH) / _minutes(1))


def reminder_at(due: datetime, lead: timedelta) -> datetime:
    return _utc(due, "due") - lead


def escalation_at(due: datetime, delay: timedelta) -> datetime:
    return _utc(due, "due") + delay


def _timer(node: Node, go_live: datetime, ready_at: datetime) -> tuple[datetime, bool]:
    """When a wait fires, and whether that time derives from go-live."""
    settings: WaitSettings = node.settings
    if settings.mode is WaitMode.UNTIL_OFFSET and settings.until_offset_minutes is not None:
        target = go_live + _minutes(settings.until_offset_minutes)
        return (target, True) if target > ready_at else (ready_at, False)
    return ready_at + _minutes(settings.delay_minutes or 0), False


def _send(node: Node, go_live: datetime, ready_at: datetime) -> tuple[datetime, bool]:
    if node.offset_minutes is not None:
        target = go_live + _minutes(node.offset_minutes)
        if target > ready_at:
            return target, True
    return ready_at, False


# ----- every time of an open node, and moving go-live ----------------------------------


class TimeKind(StrEnum):
    DUE = "due"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    TIMER = "timer"  # a wait fires
    SEND = "send"  # a notify is sent
    CUE = "cue"


@dataclass(frozen=True)
class PlannedTime:
    node_id: str
    kind: TimeKind
    at: datetime
    pinned: bool  # derives from go-live: moves when go-live moves
    index: int = 0  # the cue's number in its series; 0 otherwise


def times_of(
    node: Node,
    go_live: datetime,
    ready_at: datetime,
    *,
    reminder_lead: timedelta | None = None,
    escalation_delay: timedelta | None = None,
) -> tuple[PlannedTime, ...]:
    """Every time the executor schedules for a node that became ready at `ready_at`."""
    go_live, ready_at = _utc(go_live, "go_live"), _utc(ready_at, "ready_at")
    if node.kind is NodeKind.WAIT:
        at, pinned = _timer(node, go_live, ready_at)
        return (PlannedTime(node.id, TimeKind.TIMER, at, pinned),)
    if node.kind is NodeKind.NOTIFY:
        at, pinned = _send(node, go_live, ready_at)
        return (PlannedTime(node.id, TimeKind.SEND, at, pinned),)
    if node.kind not in HUMAN_KINDS:
        return ()
    due = due_at(node, go_live, ready_at)
    if due is None:
        return ()
    pinned = node.offset_minutes is not None
    times = [PlannedTime(node.id, TimeKind.DUE, due, pinned)]
    if reminder_lead is not None and due - reminder_lead > ready_at:
        # A reminder that would go out as the task is handed over says nothing new.
        times.append(PlannedTime(node.id, TimeKind.REMINDER, due - reminder_lead, pinned))
    if escalation_delay is not None:
        times.append(PlannedTime(node.id, TimeKind.ESCALATION, due + escalation_delay, pinned))
    return tuple(times)


class Timed(Protocol):
    """Anything with a time that may follow go-live: a `PlannedTime`, a `Cue`."""

    @property
    def node_id(self) -> str: ...

    @property
    def kind(self) -> TimeKind: ...

    @property
    def index(self) -> int: ...

    @property
    def at(self) -> datetime: ...

    @property
    def pinned(self) -> bool: ...


T = TypeVar("T", bound=Timed)


@dataclass(frozen=True)
class Move:
    """One time a go-live move changes, for the planner's preview."""

    node_id: str
    kind: TimeKind
    index: int
    old: datetime
    new: datetime


def replan(go_live_old: datetime, go_live_new: datetime, times: Iterable[T]) -> tuple[T, ...]:
    """The times after go-live moves: pinned ones by exactly the difference, others stay."""
    delta = _utc(go_live_new, "go_live") - _utc(go_live_old, "go_live")
    return tuple(replace(t, at=_utc(t.at, "at") + delta) if t.pinned else t for t in times)


def preview_go_live_move(
    go_live_old: datetime, go_live_new: datetime, times: Iterable[Timed]
) -> tuple[Move, ...]:
    """Each time that moving go-live would change, old and new, in the given order."""
    delta = _utc(go_live_new, "go_live") - _utc(go_live_old, "go_live")
    if not delta:
        return ()
    return tuple(
        Move(t.node_id, t.kind, t.index, _utc(t.at, "at"), _utc(t.at, "at") + delta)
        for t in times
        if t.pinned
    )


# ----- cues of a recurring node --------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One occurrence of a recurring cue."""

    node_id: str
    index: int
    at: datetime
    series_pinned: bool  # the series derives from go-live
    status: CueStatus = CueStatus.PLANNED
    shifted_minutes: int = 0  # how far the live crew moved it from its plan

    @property
    def kind(self) -> TimeKind:
        return TimeKind.CUE

    @property
    def pinned(self) -> bool:
        """Moves with go-live: its series is pinned and it has not happened yet."""
        return self.series_pinned and self.status is CueStatus.PLANNED


def cue_times(
    node: Node, go_live: datetime, ready_at: datetime | None = None
) -> tuple[datetime, ...]:
    """The planned time of every cue of a recurring node (see the rules above)."""
    go_live = _utc(go_live, "go_live")
    if node.offset_minutes is not None:
        return tuple(go_live + _minutes(m) for m in cue_offsets(node, node.offset_minutes))
    if ready_at is None:
        raise ValueError(f"the unpinned cue series {node.id} starts when it becomes ready")
    first = _utc(ready_at, "ready_at")
    settings: RecurringSettings = node.settings
    every, count, until = settings.every_minutes, settings.count, settings.until_offset_minutes
    if not every or (count is None and until is None):
        return (first,)
    last = go_live + _minutes(until) if until is not None else None
    times = [first]
    for k in range(1, count or MAX_CUES):
        at = first + _minutes(every * k)
        if last is not None and at > last:
            break
        times.append(at)
    return tuple(times)


def cue_series(node: Node, go_live: datetime, ready_at: datetime | None = None) -> tuple[Cue, ...]:
    pinned = node.offset_minutes is not None
    return tuple(
        Cue(node.id, index, at, pinned)
        for index, at in enumerate(cue_times(node, go_live, ready_at))
    )


def shift_cue(cues: Sequence[Cue], index: int, minutes: int) -> tuple[Cue, ...]:
    """The series with cue `index` moved by `minutes` (later when positive); no other."""
    return _change(cues, index, CueAction.SHIFT, minutes)


def skip_cue(cues: Sequence[Cue], index: int) -> tuple[Cue, ...]:
    """The series with cue `index` dropped."""
    return _change(cues, index, CueAction.SKIP)


def mark_cue_sent(cues: Sequence[Cue], index: int) -> tuple[Cue, ...]:
    return _change(cues, index, CueAction.SEND)


def series_over(cues: Sequence[Cue]) -> bool:
    """Every cue is sent or skipped: the recurring node is finished (run.on_finished)."""
    return all(cue.status is not CueStatus.PLANNED for cue in cues)


def _change(
    cues: Sequence[Cue], index: int, action: CueAction, minutes: int = 0
) -> tuple[Cue, ...]:
    out = list(cues)
    for position, cue in enumerate(out):
        if cue.index == index:
            status = CUE_TRANSITIONS.after(action, cue.status)
            out[position] = replace(
                cue,
                status=status,
                at=cue.at + _minutes(minutes),
                shifted_minutes=cue.shifted_minutes + minutes,
            )
            return tuple(out)
    raise CueflowError(ErrorCode.NOT_FOUND, f"The cue series has no cue number {index}.")
