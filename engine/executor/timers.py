"""Fire a run's timers: a wait ends, a notify is sent, a cue goes out, a task's reminder
or escalation is due. A timer row fires at most once; RQ's scheduled job only rings.

A job whose timer has moved later (go-live was moved) does nothing: the job rung for the
new time will fire it. A run that is paused keeps its timers pending; they fire when it
resumes (reconcile rings every overdue one).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.orm import Session

from engine.executor.advance import advance_run, lock_run, people_of, record, request_advance
from engine.executor.deliveries import notify_cue, notify_node, notify_task
from engine.executor.doorbell import FireTimer, later
from engine.executor.graphs import graph_of_run
from engine.model.events import EventKind
from engine.model.graph import Node
from engine.model.run_states import NodeState, RunStatus, TaskStatus
from engine.model.run_times import TimeKind
from engine.notify.message import Category
from engine.store.runs import Run, Task, Timer, TimerStatus

EARLY = timedelta(seconds=1)  # a job may ring this much before its time and still fire

# Kinds whose firing finishes their node (a cue series finishes with its last cue).
_FINISHES_NODE = {TimeKind.TIMER, TimeKind.SEND}


def fire_timer(session: Session, timer_id: int, now: datetime) -> bool:
    """Act on a timer whose time has come; False when there was nothing to do."""
    run_id = session.scalar(select(Timer.run_id).where(Timer.id == timer_id))
    if run_id is None:
        return False
    run = lock_run(session, run_id)
    timer = session.scalar(
        select(Timer).where(Timer.id == timer_id).execution_options(populate_existing=True)
    )
    if run is None or timer is None or timer.status is not TimerStatus.PENDING:
        return False
    if timer.fire_at > now + EARLY or run.status is not RunStatus.RUNNING:
        return False
    timer.status, timer.fired_at = TimerStatus.FIRED, now
    record(
        session,
        run,
        EventKind(f"timer.{timer.kind}"),
        at=now,
        node_id=timer.node_id,
        after={"index": timer.index, "planned": timer.fire_at.isoformat()},
    )
    node = graph_of_run(session, run).node_by_id[timer.node_id]
    if timer.kind is TimeKind.SEND:
        notify_node(session, run, node, message_values(run, node), now)
    elif timer.kind is TimeKind.CUE:
        notify_cue(session, run, node, timer.index, now)
    elif timer.kind in (TimeKind.REMINDER, TimeKind.ESCALATION):
        _remind(session, run, node, timer, now)
    if timer.kind in _FINISHES_NODE or (
        timer.kind is TimeKind.CUE and not cues_left(session, timer)
    ):
        request_advance(session, run, timer.node_id, NodeState.DONE)
        advance_run(session, run.id, now)
    return True


def message_values(run: Run, node: Node) -> dict[str, object]:
    """What a notify node's {placeholders} may name: run variables and these built-ins."""
    local = ZoneInfo(run.tz)
    return {
        **run.variables,
        "run_name": run.name,
        "runbook_title": run.runbook.name,
        "go_live": f"{run.go_live.astimezone(local):%Y-%m-%d %H:%M}",
        "node_title": node.title,
        "role": node.role or "",
        "planned_due": "",
    }


def cues_left(session: Session, timer: Timer) -> bool:
    """Whether cues of this timer's series are still waiting to go out."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    Timer.run_id == timer.run_id,
                    Timer.node_id == timer.node_id,
                    Timer.kind == TimeKind.CUE,
                    Timer.status == TimerStatus.PENDING,
                )
            )
        )
    )


def _remind(session: Session, run: Run, node: Node, timer: Timer, now: datetime) -> None:
    """A reminder goes to the task's people, an escalation to the workspace's managers;
    neither goes out for a task that is already over."""
    task = session.scalar(
        select(Task).where(Task.run_id == timer.run_id, Task.node_id == timer.node_id)
    )
    if task is None or task.status not in (TaskStatus.OPEN, TaskStatus.CLAIMED):
        timer.status = TimerStatus.CANCELLED
        return
    people = people_of(session, task)
    category = Category.REMINDER if timer.kind is TimeKind.REMINDER else Category.ESCALATION
    notify_task(session, run, node, category, task.due_at, people, now)


_CANCEL_TASK_TIMERS = (
    update(Timer.__table__)
    .where(
        Timer.run_id == bindparam("of_run"),
        Timer.node_id == bindparam("of_node"),
        Timer.kind.in_([TimeKind.REMINDER, TimeKind.ESCALATION]),
        Timer.status == TimerStatus.PENDING,
    )
    .values(status=TimerStatus.CANCELLED)
)


def cancel_task_timers(session: Session, run_id: int, node_id: str) -> None:
    """The task is over: its reminder and escalation will not go out."""
    session.connection().execute(_CANCEL_TASK_TIMERS, {"of_run": run_id, "of_node": node_id})


def move_timer(session: Session, timer: Timer, at: datetime) -> None:
    """Give a pending timer a new time and ring its job again (it replaces the old one)."""
    timer.fire_at = at
    later(session, FireTimer(timer.id, at))


def pending_timers(session: Session, run: Run) -> list[Timer]:
    return list(
        session.scalars(
            select(Timer)
            .where(Timer.run_id == run.id, Timer.status == TimerStatus.PENDING)
            .order_by(Timer.fire_at, Timer.id)
        )
    )
