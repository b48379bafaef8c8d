"""Run rules: cast a run from a published version, start, pause, resume, cancel, and move
go-live (with a preview of every time that would shift and who would hear of it).

Called by the API and the CLI. A state change and the work it leaves for the executor
are written in one transaction; RQ is rung after the commit (engine/executor/doorbell).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import improvements
from engine.errors import CueflowError, ErrorCode, FieldError
from engine.executor.advance import (
    START,
    finish_run,
    lock_run,
    people_of,
    record,
    request_advance,
)
from engine.executor.doorbell import AdvanceRun, FireTimer, later
from engine.executor.graphs import graph_of_run, graph_of_version
from engine.executor.timers import move_timer, pending_timers
from engine.model.events import EventKind, run_event
from engine.model.graph import Graph
from engine.model.run_states import RUN_TRANSITIONS, NodeState, RunStatus, TaskStatus
from engine.model.run_times import PlannedTime, TimeKind, preview_go_live_move
from engine.model.schedule import plan
from engine.model.vocabulary import VariableType
from engine.store.accounts import Membership, User
from engine.store.runbooks import Runbook, RunbookVersion
from engine.store.runs import RosterEntry, Run, RunNode, Task


@dataclass(frozen=True)
class RunPlan:
    """What the planner asks for when casting a run."""

    name: str
    go_live: datetime
    tz: str
    roster: Mapping[str, list[int]]  # role -> user ids
    variables: Mapping[str, Any]
    reminder_lead_minutes: int | None  # None: no reminders
    escalation_delay_minutes: int | None  # None: no escalations


def create_run(
    session: Session,
    runbook: Runbook,
    version: RunbookVersion,
    request: RunPlan,
    *,
    user: User,
    now: datetime,
) -> Run:
    """A scheduled run of `version`: every node planned against go-live, roster checked."""
    graph = graph_of_version(session, version.id, version.published_at)
    variables, errors = _variables(graph, request.variables)
    errors += _roster_errors(session, runbook.workspace_id, graph, request.roster)
    if errors:
        raise CueflowError(ErrorCode.VALIDATION, "The run cannot be cast so.", errors=errors)
    schedule = plan(graph, request.go_live, request.tz)  # also refuses an unknown zone
    run = Run(
        workspace_id=runbook.workspace_id,
        runbook_id=runbook.id,
        version_id=version.id,
        name=request.name,
        status=RunStatus.SCHEDULED,
        go_live=request.go_live,
        tz=request.tz,
        variables=variables,
        reminder_lead_minutes=request.reminder_lead_minutes,
        escalation_delay_minutes=request.escalation_delay_minutes,
        created_by_id=user.id,
        created_at=now,
    )
    run.roster = [
        RosterEntry(role=role, user_id=user_id)
        for role, user_ids in request.roster.items()
        for user_id in dict.fromkeys(user_ids)
    ]
    session.add(run)
    session.flush()
    session.add_all(
        RunNode(
            run_id=run.id,
            node_id=node_id,
            state=NodeState.PENDING,
            planned_start=planned.planned_start,
            planned_due=planned.planned_due,
        )
        for node_id, planned in schedule.nodes.items()
    )
    record(
        session,
        run,
        EventKind.RUN_CREATE,
        at=now,
        actor_id=user.id,
        after={"version": version.number, "go_live": run.go_live.isoformat()},
    )
    return run


def _variables(graph: Graph, given: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """The run's variables: declared defaults, overridden by the values given, typed."""
    declared = graph.variable_by_key
    errors = [
        FieldError(f"variables.{key}", "Not a variable of this runbook.")
        for key in given
        if key not in declared
    ]
    values = {key: v.default for key, v in declared.items() if v.default is not None}
    for key, value in given.items():
        variable = declared.get(key)
        if variable is None:
            continue
        if value is not None and not _has_type(value, variable.type):
            errors.append(FieldError(f"variables.{key}", f"Must be a {variable.type}."))
        values[key] = value
    return {key: value for key, value in values.items() if value is not None}, errors


def _has_type(value: Any, kind: VariableType) -> bool:
    if kind is VariableType.BOOL:
        return isinstance(value, bool)
    if kind is VariableType.NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def _roster_errors(
    session: Session, workspace_id: int, graph: Graph, roster: Mapping[str, list[int]]
) -> list[FieldError]:
    members = set(
        session.scalars(select(Membership.user_id).where(Membership.workspace_id == workspace_id))
    )
    errors = [
        FieldError(f"roster.{role}", f"User {user_id} is not a member of this workspace.")
        for role, user_ids in roster.items()
        for user_id in user_ids
        if user_id not in members
    ]
    used = {n.role for n in graph.nodes if n.role}
    errors += [
        FieldError(f"roster.{role}", "No one holds this role, but the runbook needs it.")
        for role in sorted(used)
        if not roster.get(role)
    ]
    return errors


def change_status(
    session: Session, run: Run, status: RunStatus, *, user: User, now: datetime
) -> Run:
    """Start, pause, resume or cancel a run."""
    run = lock_run(session, run.id) or run
    transition = RUN_TRANSITIONS.check(run.status, status)
    before = run.status
    if status is RunStatus.CANCELLED:
        finish_run(session, run, now, status, actor_id=user.id)
        return run
    run.status = status
    if status is RunStatus.RUNNING and before is RunStatus.SCHEDULED:
        run.started_at = now
        request_advance(session, run, START, NodeState.DONE)
        improvements.carry_into(session, run, now)  # lessons of earlier runs come along
    elif status is RunStatus.RUNNING:  # resumed: what waited, goes now
        _ring_again(session, run)
    record(
        session,
        run,
        run_event(transition.action),
        at=now,
        actor_id=user.id,
        before={"status": str(before)},
        after={"status": str(status)},
    )
    return run


def _ring_again(session: Session, run: Run) -> None:
    for timer in pending_timers(session, run):
        later(session, FireTimer(timer.id, timer.fire_at))
    later(session, AdvanceRun(run.id))


@dataclass(frozen=True)
class Shift:
    node_id: str
    kind: TimeKind
    index: int
    old: datetime
    new: datetime


@dataclass(frozen=True)
class GoLiveMove:
    old: datetime
    new: datetime
    shifts: tuple[Shift, ...]
    notified_user_ids: tuple[int, ...]  # assignees and role holders of shifted tasks


def preview_go_live(session: Session, run: Run, new: datetime) -> GoLiveMove:
    """Every pending time and open task due that moving go-live to `new` would shift."""
    timers = [
        PlannedTime(t.node_id, t.kind, t.fire_at, t.pinned, t.index)
        for t in pending_timers(session, run)
    ]
    moves = preview_go_live_move(run.go_live, new, timers)
    tasks = _open_tasks(session, run)
    delta = new - run.go_live
    graph = graph_of_run(session, run)
    shifts = [Shift(m.node_id, m.kind, m.index, m.old, m.new) for m in moves]
    people: set[int] = set()
    for task in tasks:
        if task.due_at is None or graph.node_by_id[task.node_id].offset_minutes is None:
            continue
        shifts.append(Shift(task.node_id, TimeKind.DUE, 0, task.due_at, task.due_at + delta))
        people.update(people_of(session, task))
    return GoLiveMove(run.go_live, new, tuple(shifts), tuple(sorted(people)))


def move_go_live(session: Session, run: Run, new: datetime, *, user: User, now: datetime):
    """Move go-live: pinned timers and dues of open tasks shift by exactly the difference;
    planned times of every node are re-planned. Refused once the run is over."""
    run = lock_run(session, run.id) or run
    if run.status in (RunStatus.COMPLETED, RunStatus.CANCELLED):
        raise CueflowError(ErrorCode.RUN_TRANSITION, f"The run is {run.status}.")
    move = preview_go_live(session, run, new)
    delta = new - run.go_live
    by_key = {(t.node_id, t.kind, t.index): t for t in pending_timers(session, run)}
    for shift in move.shifts:
        if shift.kind is TimeKind.DUE:
            continue
        move_timer(session, by_key[shift.node_id, shift.kind, shift.index], shift.new)
    graph = graph_of_run(session, run)
    for task in _open_tasks(session, run):
        if task.due_at is not None and graph.node_by_id[task.node_id].offset_minutes is not None:
            task.due_at = task.due_at + delta
    _replan_nodes(session, run, delta)
    before = run.go_live
    run.go_live = new
    record(
        session,
        run,
        EventKind.RUN_GO_LIVE_MOVED,
        at=now,
        actor_id=user.id,
        before={"go_live": before.isoformat()},
        after={"go_live": new.isoformat()},
        note=f"{len(move.shifts)} time(s) shifted",
    )
    return move


def _replan_nodes(session: Session, run: Run, delta: timedelta) -> None:
    for row in session.scalars(select(RunNode).where(RunNode.run_id == run.id)):
        if row.planned_start is not None:
            row.planned_start = row.planned_start + delta
        if row.planned_due is not None:
            row.planned_due = row.planned_due + delta


def _open_tasks(session: Session, run: Run) -> list[Task]:
    return list(
        session.scalars(
            select(Task).where(
                Task.run_id == run.id, Task.status.in_([TaskStatus.OPEN, TaskStatus.CLAIMED])
            )
        )
    )


def last_roster(session: Session, runbook: Runbook) -> tuple[Run | None, dict[str, list[int]]]:
    """The latest run of any version of the runbook, and its roster of the people still
    members of the workspace (role: user ids in casting order); (None, {}) without runs."""
    run = session.scalar(
        select(Run)
        .where(Run.runbook_id == runbook.id)
        .order_by(Run.created_at.desc(), Run.id.desc())
        .limit(1)
    )
    if run is None:
        return None, {}
    entries = session.execute(
        select(RosterEntry.role, RosterEntry.user_id)
        .join(
            Membership,
            (Membership.user_id == RosterEntry.user_id)
            & (Membership.workspace_id == run.workspace_id),
        )
        .where(RosterEntry.run_id == run.id)
        .order_by(RosterEntry.id)
    ).all()
    roster: dict[str, list[int]] = {}
    for role, user_id in entries:
        roster.setdefault(role, []).append(user_id)
    return run, roster
