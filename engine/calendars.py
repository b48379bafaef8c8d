"""Calendar feeds: a person's tasks as an iCalendar feed their phone subscribes to, by a
secret URL they can revoke (engine/exports/ical.py renders it).

What a feed holds, for each workspace the person is still a member of:
- every task of a live run (running or paused) assigned to them, or open to a role they
  hold in that run while nobody holds it: from its planned start to its due time;
- the steps of their roles in scheduled runs and those not yet reached in live ones, at
  their planned times (so the week ahead shows before the tasks exist);
- their open improvement actions that have a due time (a post-mortem's lessons);
- runs that ended less than `RECENT` ago keep their tasks, marked cancelled when they were.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.accounts import secret_digest
from engine.errors import CueflowError, ErrorCode
from engine.executor.graphs import graph_of_run
from engine.exports.ical import CalendarEntry
from engine.model.nodes import HUMAN_KINDS
from engine.model.review_states import ActionStatus
from engine.model.run_states import NodeState, RunStatus, TaskStatus
from engine.store.accounts import Membership, User
from engine.store.calendars import CalendarFeed
from engine.store.postmortems import ImprovementAction
from engine.store.runs import RosterEntry, Run, RunNode, Task

FEED_PREFIX = "cal_"
RECENT = timedelta(days=14)
DEFAULT_LENGTH = timedelta(minutes=15)  # a step without a planned length
_LIVE = (RunStatus.SCHEDULED, RunStatus.RUNNING, RunStatus.PAUSED)
_GONE = (TaskStatus.CANCELLED, TaskStatus.SKIPPED)


@dataclass(frozen=True)
class IssuedFeed:
    secret: str  # shown once, inside the feed's URL
    row: CalendarFeed


def issue(session: Session, user: User, name: str, now: datetime) -> IssuedFeed:
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    row = CalendarFeed(
        user_id=user.id,
        name=name,
        prefix=secret[:10],
        token_hash=secret_digest(secret),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return IssuedFeed(secret, row)


def revoke(session: Session, user: User, feed_id: int) -> None:
    row = session.scalar(
        select(CalendarFeed).where(CalendarFeed.id == feed_id, CalendarFeed.user_id == user.id)
    )
    if row is None:
        raise CueflowError(ErrorCode.NOT_FOUND, f"Calendar feed {feed_id} not found")
    session.delete(row)


def open_feed(session: Session, secret: str, now: datetime) -> CalendarFeed:
    """The feed of this secret, or NOT_FOUND (unknown and revoked look the same)."""
    row = session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == secret_digest(secret))
    )
    if row is None:
        raise CueflowError(ErrorCode.NOT_FOUND, "No such calendar feed (revoked?)")
    if row.last_used_at is None or now - row.last_used_at > timedelta(hours=1):
        row.last_used_at = now  # a phone polls often; one write an hour is enough
    return row


def entries_for(session: Session, user: User, now: datetime, base_url: str) -> list[CalendarEntry]:
    """Everything of this person's the feed shows (see the module docstring)."""
    workspaces = set(
        session.scalars(select(Membership.workspace_id).where(Membership.user_id == user.id))
    )
    runs = _runs_of(session, user, workspaces, now)
    entries: list[CalendarEntry] = []
    for run in runs:
        entries += _run_entries(session, run, user, base_url)
    entries += _action_entries(session, user, workspaces, base_url)
    return entries


def _runs_of(session: Session, user: User, workspaces: set[int], now: datetime) -> list[Run]:
    cast = select(RosterEntry.run_id).where(RosterEntry.user_id == user.id)
    assigned = select(Task.run_id).where(Task.assignee_id == user.id)
    return list(
        session.scalars(
            select(Run)
            .where(
                Run.workspace_id.in_(workspaces),
                or_(Run.id.in_(cast), Run.id.in_(assigned)),
                or_(Run.status.in_(_LIVE), Run.ended_at >= now - RECENT),
            )
            .order_by(Run.go_live, Run.id)
        )
    )


def _run_entries(session: Session, run: Run, user: User, base_url: str) -> list[CalendarEntry]:
    roles = set(
        session.scalars(
            select(RosterEntry.role).where(
                RosterEntry.run_id == run.id, RosterEntry.user_id == user.id
            )
        )
    )
    graph = graph_of_run(session, run)
    tasks = {t.node_id: t for t in session.scalars(select(Task).where(Task.run_id == run.id))}
    rows = session.scalars(select(RunNode).where(RunNode.run_id == run.id))
    link = f"{base_url}/w/{run.workspace_id}/runs/{run.id}"
    entries = []
    for row in rows:
        node = graph.node_by_id.get(row.node_id)
        if node is None or node.kind not in HUMAN_KINDS:
            continue
        task = tasks.get(row.node_id)
        if not _is_theirs(node.role, task, roles, user.id):
            continue
        if task is None and row.state is not NodeState.PENDING:
            continue  # skipped on a dead path
        start = row.planned_start or (task.ready_at if task else None)
        end = (task.due_at if task else None) or row.planned_due
        if start is None and end is None:
            continue
        start, end = start or end - DEFAULT_LENGTH, end or start + DEFAULT_LENGTH
        cancelled = run.status is RunStatus.CANCELLED or (task is not None and task.status in _GONE)
        entries.append(
            CalendarEntry(
                uid=f"run-{run.id}-{row.node_id}",
                summary=f"{node.title} · {run.name}",
                start=start,
                end=max(end, start + timedelta(minutes=1)),
                description=_describe(node.role, task, run),
                url=link,
                cancelled=cancelled,
                done=task is not None and task.status is TaskStatus.DONE,
            )
        )
    return entries


def _is_theirs(role: str | None, task: Task | None, roles: set[str], user_id: int) -> bool:
    if task is not None and task.assignee_id is not None:
        return task.assignee_id == user_id
    return role is not None and role in roles


def _describe(role: str | None, task: Task | None, run: Run) -> str:
    status = str(task.status) if task else "planned"
    return f"{run.name}\nrole: {role or '-'}\nstatus: {status}"


def _action_entries(
    session: Session, user: User, workspaces: set[int], base_url: str
) -> list[CalendarEntry]:
    actions = session.scalars(
        select(ImprovementAction)
        .where(
            ImprovementAction.owner_id == user.id,
            ImprovementAction.status == ActionStatus.OPEN,
            ImprovementAction.workspace_id.in_(workspaces),
        )
        .order_by(ImprovementAction.id)
    )
    entries = []
    for action in actions:
        due = action.due
        if due is None:
            continue
        entries.append(
            CalendarEntry(
                uid=f"action-{action.id}",
                summary=f"复盘改进 Action: {action.title}",
                start=due - DEFAULT_LENGTH,
                end=due,
                description=action.detail,
                url=f"{base_url}/w/{action.workspace_id}/runs/{action.postmortem.run_id}",
                cancelled=False,
                done=False,
            )
        )
    return entries
