"""Task rules for staff and managers: claim, unclaim, complete, note, report a problem,
resolve it, reopen, reassign, skip; and the live crew's skip or shift of a cue.

Who may act comes from `engine.model.run_states.ACTION_RULES`, how a task's status
changes from its transition table. Each action is one transaction: the task row is
written under its version counter, so of two people acting on the same task at once
exactly one succeeds and the other gets `task.changed` (409). Finishing a task puts its
node in the run's outbox in the same transaction; the executor moves the run on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.executor.advance import lock_run, record, request_advance, roster_of
from engine.executor.graphs import graph_of_run
from engine.executor.timers import cancel_task_timers, cues_left, move_timer
from engine.model.access import Permission, can
from engine.model.events import EventKind, task_event
from engine.model.graph import Node
from engine.model.run_completion import check_completion
from engine.model.run_states import (
    CUE_TRANSITIONS,
    LIVE_CREW_ROLES,
    NODE_TRANSITIONS,
    CueAction,
    NodeState,
    RunStatus,
    TaskAction,
    TaskState,
    available_actions,
    check_may_act,
    may_act,
    task_after,
)
from engine.model.run_times import TimeKind
from engine.store.accounts import Membership
from engine.store.runs import RosterEntry, Run, RunNode, Task, Timer, TimerStatus

# Statuses in which acting on a task still moves the run.
_LIVE_RUN = (RunStatus.RUNNING, RunStatus.PAUSED)


@dataclass(frozen=True)
class Standing:
    """How one person stands to one task (the inputs of `may_act`)."""

    holds_role: bool
    is_assignee: bool
    is_supervisor: bool
    is_live_crew: bool
    phase: Any

    def as_kwargs(self) -> dict[str, Any]:
        return dict(vars(self))


def standing_of(session: Session, task: Task, membership: Membership, node: Node) -> Standing:
    roles = set(roster_of_user(session, task.run_id, membership.user_id))
    return Standing(
        holds_role=task.role is not None and task.role in roles,
        is_assignee=task.assignee_id == membership.user_id,
        is_supervisor=can(membership.role, Permission.SUPERVISE_TASKS),
        is_live_crew=bool(roles & LIVE_CREW_ROLES),
        phase=node.phase,
    )


def node_of(session: Session, task: Task) -> Node:
    return graph_of_run(session, task.run).node_by_id[task.node_id]


def actions_for(session: Session, task: Task, membership: Membership) -> list[str]:
    """What this member may do to the task now (for the inbox's buttons)."""
    if task.run.status not in _LIVE_RUN:
        return []
    standing = standing_of(session, task, membership, node_of(session, task))
    state = TaskState(task.status, task.blocked)
    return [str(a) for a in available_actions(state, **standing.as_kwargs())]


def act(
    session: Session,
    task: Task,
    membership: Membership,
    action: TaskAction,
    *,
    now: datetime,
    payload: dict[str, Any] | None = None,
    note: str = "",
    assignee_id: int | None = None,
    blocking: bool = True,
) -> Task:
    """Take `action` on `task` as `membership`; raises a CueflowError when refused."""
    payload = payload or {}
    if task.run.status not in _LIVE_RUN:
        raise CueflowError(
            ErrorCode.TASK_TRANSITION,
            f"The run is {task.run.status}; its tasks can no longer change.",
            extra={"status": str(task.run.status)},
        )
    node = node_of(session, task)
    standing = standing_of(session, task, membership, node)
    check_may_act(action, **standing.as_kwargs())
    before = {"status": str(task.status), "blocked": task.blocked, "assignee_id": task.assignee_id}
    with session.no_autoflush:  # one flush below, under the version check
        after_state = task_after(action, TaskState(task.status, task.blocked), blocking=blocking)
        task.status, task.blocked = after_state.status, after_state.blocked
        user_id = membership.user_id
        completion = None
        if action is TaskAction.CLAIM:
            task.assignee_id, task.claimed_at = user_id, now
        elif action is TaskAction.UNCLAIM:
            task.assignee_id, task.claimed_at = _offer(session, task), None
        elif action is TaskAction.REASSIGN:
            _reassign(session, task, assignee_id)
        elif action is TaskAction.COMPLETE:
            completion = check_completion(node, payload)
            task.result = completion.as_dict()
            task.completed_at, task.completed_by_id = now, user_id
        elif action is TaskAction.SKIP:
            task.completed_at, task.completed_by_id = now, user_id
        elif action is TaskAction.REOPEN:
            task.completed_at = task.completed_by_id = None
        if note:
            task.note = (task.note + "\n" + note).strip() if task.note else note
    _save(session, task)  # of two people acting on the task at once, one wins here
    if action is TaskAction.CLAIM:
        _node_moves(session, task, NodeState.READY, NodeState.ACTIVE, now)
    elif action is TaskAction.UNCLAIM:
        _node_moves(session, task, NodeState.ACTIVE, NodeState.READY, now)
    elif completion is not None:
        if completion.variables_set:
            run = lock_run(session, task.run_id)
            assert run is not None
            run.variables = {**run.variables, **completion.variables_set}
        _finished(session, task, NodeState.DONE)
    elif action is TaskAction.SKIP:
        _finished(session, task, NodeState.SKIPPED)
    after = {"status": str(task.status), "blocked": task.blocked, "assignee_id": task.assignee_id}
    if action is TaskAction.COMPLETE:
        after["result"] = task.result
    elif action is TaskAction.REPORT_PROBLEM:
        after["blocking"] = blocking  # this report's own say: the task may be blocked already
    record(
        session,
        task.run,
        task_event(action),
        at=now,
        actor_id=user_id,
        node_id=task.node_id,
        task_id=task.id,
        before=before,
        after=after,
        note=note,
    )
    return task


def add_note(session: Session, task: Task, membership: Membership, note: str, now: datetime):
    """Anyone who may see the task's run may leave a note on it."""
    task.note = (task.note + "\n" + note).strip() if task.note else note
    _save(session, task)
    record(
        session,
        task.run,
        EventKind.TASK_NOTE,
        at=now,
        actor_id=membership.user_id,
        node_id=task.node_id,
        task_id=task.id,
        note=note,
    )
    return task


def _node_moves(session: Session, task: Task, old: NodeState, new: NodeState, now) -> None:
    """A claimed task's node is under way (active); given back, it is ready again."""
    row = session.scalar(
        select(RunNode).where(RunNode.run_id == task.run_id, RunNode.node_id == task.node_id)
    )
    if row is None or row.state is not old:
        return
    NODE_TRANSITIONS.check(old, new)
    row.state = new
    if new is NodeState.ACTIVE:
        row.started_at = now


def _save(session: Session, task: Task) -> None:
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise CueflowError(
            ErrorCode.TASK_CHANGED,
            "Someone else changed this task a moment ago; reload it and try again.",
        ) from None


def _offer(session: Session, task: Task) -> int | None:
    people = roster_of(session, task.run_id, task.role)
    return people[0] if len(people) == 1 else None


def _reassign(session: Session, task: Task, assignee_id: int | None) -> None:
    if assignee_id is None:
        raise CueflowError(
            ErrorCode.VALIDATION,
            "Name the person to hand the task to.",
            errors=[FieldError("assignee_id", "Missing.")],
        )
    member = session.scalar(
        select(Membership).where(
            Membership.workspace_id == task.workspace_id, Membership.user_id == assignee_id
        )
    )
    if member is None:
        raise CueflowError(
            ErrorCode.VALIDATION,
            "That person is not in this workspace.",
            errors=[FieldError("assignee_id", "Not a member.")],
        )
    task.assignee_id = assignee_id


def _finished(session: Session, task: Task, outcome: NodeState) -> None:
    cancel_task_timers(session, task.run_id, task.node_id)
    request_advance(session, task.run, task.node_id, outcome)


# ----- the live crew's cues ----------------------------------------------------------


def change_cue(
    session: Session,
    run: Run,
    timer: Timer,
    membership: Membership,
    action: CueAction,
    *,
    minutes: int = 0,
    reason: str,
    now: datetime,
) -> Timer:
    """Skip one cue of a recurring node, or shift it by some minutes, live."""
    if timer.kind is not TimeKind.CUE:
        raise CueflowError(ErrorCode.NOT_FOUND, "No such cue in this run.")
    node = graph_of_run(session, run).node_by_id[timer.node_id]
    roles = set(roster_of_user(session, run.id, membership.user_id))
    allowed = may_act(
        TaskAction.SKIP if action is CueAction.SKIP else TaskAction.SHIFT,
        holds_role=node.role in roles,
        is_assignee=False,
        is_supervisor=can(membership.role, Permission.SUPERVISE_TASKS),
        is_live_crew=bool(roles & LIVE_CREW_ROLES),
        phase=node.phase,
    )
    if not allowed:
        raise CueflowError(
            ErrorCode.CUE_NOT_ALLOWED,
            f"Only the live crew or a manager may {action} a cue.",
            extra={"action": str(action)},
        )
    CUE_TRANSITIONS.after(action, timer.cue_status)
    before = {"fire_at": timer.fire_at.isoformat(), "status": str(timer.status)}
    if action is CueAction.SKIP:
        timer.status = TimerStatus.CANCELLED
        if not cues_left(session, timer):
            request_advance(session, run, timer.node_id, NodeState.DONE)
    else:
        move_timer(session, timer, timer.fire_at + timedelta(minutes=minutes))
    record(
        session,
        run,
        EventKind(f"cue.{action}"),
        at=now,
        actor_id=membership.user_id,
        node_id=timer.node_id,
        before=before,
        after={
            "fire_at": timer.fire_at.isoformat(),
            "status": str(timer.status),
            "index": timer.index,
        },
        note=reason,
    )
    return timer


_ROLES_OF_USER = select(RosterEntry.role).where(
    RosterEntry.run_id == bindparam("run_id"), RosterEntry.user_id == bindparam("user_id")
)


def roster_of_user(session: Session, run_id: int, user_id: int) -> list[str]:
    params = {"run_id": run_id, "user_id": user_id}
    return list(session.connection().execute(_ROLES_OF_USER, params).scalars())
