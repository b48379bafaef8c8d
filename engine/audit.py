"""Reading the audit trail: a workspace's events with filters and keyset paging, and a
run's tasks as rows for a spreadsheet.

The trail is append-only: nothing in Cueflow updates or deletes an event, and no API
does. Pages are keyed by event id, newest first (what an auditor reads first): a page
holds the events older than the previous page's last one, so an event written while
someone pages never shifts or repeats what they see. An export reads oldest first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from engine.executor.graphs import graph_of_run
from engine.model.events import EventKind
from engine.model.run_log import elapsed_minutes
from engine.store.accounts import User
from engine.store.runbooks import Runbook
from engine.store.runs import Event, Run, Task
from engine.store.scoping import contains_pattern, in_workspace

# Exact kinds, and families (`task.*`: every task event).
KIND_FAMILIES = sorted({f"{kind.split('.')[0]}.*" for kind in EventKind})
KIND_FILTERS = [str(kind) for kind in EventKind] + KIND_FAMILIES


@dataclass(frozen=True)
class EventFilter:
    run_id: int | None = None
    runbook_id: int | None = None
    actor_id: int | None = None
    kinds: tuple[str, ...] = ()  # exact kinds or families (`task.*`); any of them
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    q: str = ""  # words in the note, the actor's name, the run's name or a node's title


def events_query(workspace_id: int, where: EventFilter) -> Select[tuple[Event]]:
    """The workspace's events that pass the filter (no order, no limit)."""
    query = in_workspace(Event, workspace_id)
    for column, value in (
        (Event.run_id, where.run_id),
        (Event.runbook_id, where.runbook_id),
        (Event.actor_id, where.actor_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if where.kinds:
        exact = [k for k in where.kinds if not k.endswith(".*")]
        families = [k[:-1] for k in where.kinds if k.endswith(".*")]  # "task."
        query = query.where(
            or_(Event.kind.in_(exact), *(Event.kind.startswith(f) for f in families))
        )
    if where.since is not None:
        query = query.where(Event.at >= where.since)
    if where.until is not None:
        query = query.where(Event.at < where.until)
    return query


def page(
    session: Session, workspace_id: int, where: EventFilter, *, after_id: int | None, limit: int
) -> tuple[list[Event], int | None]:
    """One page, newest first, and the cursor of the next (None on the last page)."""
    query = events_query(workspace_id, where)
    if after_id is not None:
        query = query.where(Event.id < after_id)
    if where.q.strip():
        query = query.where(_mentions(session, workspace_id, where.q))
    rows = list(session.scalars(query.order_by(Event.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None)


def event_rows(
    session: Session, workspace_id: int, where: EventFilter, batch: int = 1000
) -> Iterator[dict[str, Any]]:
    """Every event that passes the filter, oldest first, read `batch` at a time."""
    last = 0
    names: dict[int, str] = {}
    while True:
        rows = list(
            session.scalars(
                events_query(workspace_id, where)
                .where(Event.id > last)
                .order_by(Event.id)
                .limit(batch)
            )
        )
        if not rows:
            return
        _learn_names(session, names, {r.actor_id for r in rows})
        for row in rows:
            yield event_row(row, names.get(row.actor_id) if row.actor_id else None)
        last = rows[-1].id


def event_row(event: Event, actor: str | None) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at,
        "kind": event.kind,
        "actor_id": event.actor_id,
        "actor": actor,
        "run_id": event.run_id,
        "runbook_id": event.runbook_id,
        "node_id": event.node_id,
        "task_id": event.task_id,
        "before": event.before,
        "after": event.after,
        "note": event.note,
    }


def _mentions(session: Session, workspace_id: int, q: str) -> ColumnElement[bool]:
    """Events whose note, actor's name or run's name holds `q`, or whose node's title
    (in the version its run runs) does."""
    pattern = contains_pattern(q)
    actors = select(User.id).where(func.lower(User.name).like(pattern, escape="\\"))
    runs = in_workspace(Run, workspace_id).where(func.lower(Run.name).like(pattern, escape="\\"))
    return or_(
        func.lower(Event.note).like(pattern, escape="\\"),
        Event.actor_id.in_(actors),
        Event.run_id.in_(runs.with_only_columns(Run.id)),
        *_titled_nodes(session, workspace_id, q.strip().lower()),
    )


def _titled_nodes(session: Session, workspace_id: int, words: str) -> list[ColumnElement[bool]]:
    """One condition per version (run by the workspace's runs) with a node titled `words`:
    the event is of a run of that version and of one of those nodes. The graphs come
    from the parsed-graph cache."""
    versions = session.execute(
        select(Run.version_id, Run.version_published_at)
        .where(Run.workspace_id == workspace_id)
        .distinct()
    ).all()
    conditions: list[ColumnElement[bool]] = []
    for version in versions:
        graph = graph_of_run(session, version)
        nodes = [n.id for n in graph.nodes if words in n.title.lower()]
        if nodes:
            of_version = select(Run.id).where(Run.version_id == version.version_id)
            conditions.append(and_(Event.run_id.in_(of_version), Event.node_id.in_(nodes)))
    return conditions


# Keys of `before` / `after` that hold a user id (a task's assignee, an action's owner).
PERSON_KEYS = ("assignee_id", "owner_id", "completed_by_id", "closed_by_id")


@dataclass
class EventContext:
    """What a sentence about an event needs and an event row does not hold: names of
    people, runs, runbooks and node titles, each read once for a whole page."""

    names: dict[int, str]
    runs: dict[int, tuple[str, Any]]  # run id: (name, its version's graph)
    runbooks: dict[int, str]

    def row(self, event: Event) -> dict[str, Any]:
        run = self.runs.get(event.run_id) if event.run_id else None
        node = run[1].node_by_id.get(event.node_id) if run and event.node_id else None
        people = {
            user: self.names[user]
            for side in (event.before or {}, event.after or {})
            for key in PERSON_KEYS
            if isinstance(user := side.get(key), int) and user in self.names
        }
        return {
            **event_row(event, self.names.get(event.actor_id) if event.actor_id else None),
            "run_name": run[0] if run else None,
            "runbook_name": self.runbooks.get(event.runbook_id) if event.runbook_id else None,
            "node_title": node.title if node else None,
            "people": people,
        }


def context_of(session: Session, events: list[Event]) -> EventContext:
    """Names and titles for a page of events: three queries, whatever its length."""
    names: dict[int, str] = {}
    people = {e.actor_id for e in events}
    for event in events:
        for side in (event.before or {}, event.after or {}):
            people |= {v for k in PERSON_KEYS if isinstance(v := side.get(k), int)}
    _learn_names(session, names, people)
    run_ids = {e.run_id for e in events if e.run_id}
    rows = session.execute(
        select(Run.id, Run.name, Run.version_id, Run.version_published_at).where(
            Run.id.in_(run_ids)
        )
    ).all()
    book_ids = {e.runbook_id for e in events if e.runbook_id}
    books = session.execute(select(Runbook.id, Runbook.name).where(Runbook.id.in_(book_ids)))
    return EventContext(
        names=names,
        runs={r.id: (r.name, graph_of_run(session, r)) for r in rows},
        runbooks={b.id: b.name for b in books},
    )


def _learn_names(session: Session, names: dict[int, str], ids: set[int | None]) -> None:
    wanted = [i for i in ids if i is not None and i not in names]
    if wanted:
        names.update(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def task_rows(session: Session, run: Run) -> list[dict[str, Any]]:
    """Every task of the run with who held and finished it, and its minutes past due
    (completed - the task's due, to 0.1 as the post-mortem rounds; positive when late).
    The post-mortem judges against the run's plan instead: see its lateness."""
    tasks = list(session.scalars(select(Task).where(Task.run_id == run.id).order_by(Task.id)))
    names: dict[int, str] = {}
    people = {t.assignee_id for t in tasks} | {t.completed_by_id for t in tasks}
    _learn_names(session, names, people)
    return [
        {
            "task_id": t.id,
            "node_id": t.node_id,
            "title": t.title,
            "role": t.role,
            "status": str(t.status),
            "blocked": t.blocked,
            "assignee_id": t.assignee_id,
            "assignee": names.get(t.assignee_id) if t.assignee_id else None,
            "ready_at": t.ready_at,
            "claimed_at": t.claimed_at,
            "due_at": t.due_at,
            "completed_at": t.completed_at,
            "completed_by_id": t.completed_by_id,
            "completed_by": names.get(t.completed_by_id) if t.completed_by_id else None,
            "minutes_past_due": _past_due(t),
            "note": t.note,
        }
        for t in tasks
    ]


def _past_due(task: Task) -> float | None:
    if task.completed_at is None or task.due_at is None:
        return None
    return elapsed_minutes(task.due_at, task.completed_at)
