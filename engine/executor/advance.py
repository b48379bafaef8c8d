"""Advance a run: consume its outbox of finished nodes, ask the model what follows, and write
it — node states, tasks, timers, events — in one transaction under the run's lock.

Idempotent: the outbox row is deleted in the same transaction that applies it, and the
model ignores a node that is already finished, so running an advance twice, or on two
workers at once, creates nothing twice. Only the rows of the nodes the model names are
read or written, so the cost of one step does not grow with the runbook.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session

from engine.executor.doorbell import AdvanceRun, FireTimer, later
from engine.executor.graphs import graph_of_run
from engine.model import run as flow
from engine.model.events import EventKind, node_event, run_event
from engine.model.graph import Graph, Node
from engine.model.run_states import (
    RUN_TRANSITIONS,
    NodeState,
    RunStatus,
    TaskStatus,
)
from engine.model.run_times import TimeKind, cue_series, due_at, times_of
from engine.store.base import insert_or_skip
from engine.store.runs import (
    Event,
    PendingAdvance,
    RosterEntry,
    Run,
    RunNode,
    Task,
    Timer,
    TimerStatus,
)

START = ""  # the outbox's node id for "the run has started"

# The statements of every completion and advance are built once, here: building a
# statement costs more than SQLite takes to run it.
_RUNS = Run.__table__
_LOCK = update(_RUNS).where(_RUNS.c.id == bindparam("of_run")).values(lock_seq=_RUNS.c.lock_seq + 1)
_READ_RUN = (
    select(Run)  # with its version's publishing time, the graph cache's key
    .where(Run.id == bindparam("of_run"))
    .execution_options(populate_existing=True)
)
_READ_RUN_ROW = select(  # the same, as a plain row, for the advance (which only reads it)
    _RUNS, Run.version_published_at.expression.label("version_published_at")
).where(_RUNS.c.id == bindparam("of_run"))
_OUTBOX = PendingAdvance.__table__
_TAKE_OUTBOX = (
    delete(_OUTBOX)
    .where(_OUTBOX.c.run_id == bindparam("run_id"))
    .returning(_OUTBOX.c.id, _OUTBOX.c.node_id, _OUTBOX.c.outcome)
)
_NODES = RunNode.__table__
_NODE_COLUMNS = ("state", "arrived", "alive", "ready_at", "finished_at")
_READ_NODES = select(_NODES.c.id, _NODES.c.node_id, *(_NODES.c[c] for c in _NODE_COLUMNS)).where(
    _NODES.c.run_id == bindparam("run_id"),
    _NODES.c.node_id.in_(bindparam("node_ids", expanding=True)),
)
_WRITE_NODE = (
    update(_NODES)
    .where(_NODES.c.id == bindparam("row_id"))
    .values({c: bindparam(f"new_{c}") for c in _NODE_COLUMNS})
)
_ROSTER = (
    select(RosterEntry.role, RosterEntry.user_id)
    .where(RosterEntry.run_id == bindparam("run_id"))
    .order_by(RosterEntry.id)
)
_OPEN_TASKS = insert(Task.__table__).returning(Task.id, Task.node_id, Task.assignee_id)
_ADD_TIMERS = insert(Timer.__table__).returning(Timer.id, Timer.node_id, Timer.kind, Timer.index)
_ADD_EVENTS = insert(Event.__table__)
_CHUNK = 500  # node ids per IN (...) list


def lock_run(session: Session, run_id: int) -> Run | None:
    """Take the run's lock for this transaction and read it fresh; None if it is gone.

    The first statement is a write: PostgreSQL takes the row lock, SQLite the database's
    write lock, so two advances of one run queue up instead of interleaving. (One
    UPDATE .. RETURNING through the ORM would cost more than these two statements.)
    """
    session.connection().execute(_LOCK, {"of_run": run_id})
    return session.scalars(_READ_RUN, {"of_run": run_id}).one_or_none()


def request_advance(session: Session, run: Run, node_id: str, outcome: NodeState) -> None:
    """Put a finished node in the run's outbox (same transaction as the change). A node
    already waiting there (finished, reopened and finished again before the executor
    came by) is not added twice: the model moves a node on only once."""
    insert_or_skip(session, PendingAdvance, run_id=run.id, node_id=node_id, outcome=outcome)
    later(session, AdvanceRun(run.id))


def advance_run(session: Session, run_id: int, now: datetime) -> int:
    """Apply every pending advance of the run; returns how many were applied."""
    sql = session.connection()
    sql.execute(_LOCK, {"of_run": run_id})  # the run's lock, as in lock_run
    run = sql.execute(_READ_RUN_ROW, {"of_run": run_id}).one_or_none()
    if run is None or run.status is not RunStatus.RUNNING:
        return 0  # a paused run keeps its outbox until it resumes
    # Taken from the outbox in the statement that reads it; the deletion commits with
    # what the advance writes, or neither does.
    pending = sorted(sql.execute(_TAKE_OUTBOX, {"run_id": run_id}), key=lambda row: row.id)
    if not pending:
        return 0
    step = Step(session, run, graph_of_run(session, run), now)
    step.prefetch(item.node_id for item in pending)
    for item in pending:
        if item.node_id == START:
            result = flow.start(step.graph, run.variables)
        else:
            result = flow.on_finished(step.view(), item.node_id, item.outcome)
        step.apply(result)
        if result.run_completed:
            step.write()
            # The ORM object (finish_run changes it), read again under the lock held.
            finish_run(session, lock_run(session, run_id), now, RunStatus.COMPLETED)
            break
    step.write()
    return len(pending)


@dataclass
class NodeRow:
    """The executor's part of one `run_nodes` row, read and written as plain values."""

    id: int
    state: NodeState
    arrived: int
    alive: int
    ready_at: datetime | None
    finished_at: datetime | None
    changed: bool = False

    def params(self) -> dict[str, Any]:
        return {"row_id": self.id} | {f"new_{c}": getattr(self, c) for c in _NODE_COLUMNS}


class _Rows(Mapping[str, Any]):
    """Run-node rows by node id, loaded as the model asks for them (a finished node's
    successors in one query) and written back together by `write`."""

    def __init__(self, sql: Connection, run_id: int, pick) -> None:
        self.sql, self.run_id, self.pick = sql, run_id, pick
        self.rows: dict[str, NodeRow] = {}

    def row(self, node_id: str) -> NodeRow:
        if node_id not in self.rows:
            self.prefetch({node_id})
            if node_id not in self.rows:
                raise KeyError(node_id)
        return self.rows[node_id]

    def prefetch(self, node_ids: set[str]) -> None:
        """Load these rows in as few statements as can be (the fan-out of one node)."""
        wanted = sorted(node_ids - self.rows.keys())
        for start in range(0, len(wanted), _CHUNK):
            params = {"run_id": self.run_id, "node_ids": wanted[start : start + _CHUNK]}
            for row_id, node_id, *values in self.sql.execute(_READ_NODES, params):
                self.rows[node_id] = NodeRow(row_id, *values)

    def write(self) -> None:
        """One UPDATE (executemany) for every row the step changed."""
        changed = [row for row in self.rows.values() if row.changed]
        if changed:
            self.sql.execute(_WRITE_NODE, [row.params() for row in changed])
            for row in changed:
                row.changed = False

    def __getitem__(self, node_id: str) -> Any:
        return self.pick(self.row(node_id))

    def __iter__(self) -> Iterator[str]:
        raise TypeError("run-node rows are looked up one by one, never listed")

    def __len__(self) -> int:
        raise TypeError("run-node rows are looked up one by one, never counted")


class Step:
    """One transaction's worth of advancing a run (`run`: its row, read only).

    New tasks, timers and events are written with one multi-row INSERT each per step,
    not as ORM objects: a fan-out opens hundreds at once, and a chain step should cost
    a handful of statements.
    """

    def __init__(self, session: Session, run: Row, graph: Graph, now: datetime) -> None:
        self.session, self.run, self.graph, self.now = session, run, graph, now
        self.sql = session.connection()  # the transaction's connection: Core, no ORM layer
        self.states = _Rows(self.sql, run.id, lambda r: r.state)
        self.arrivals = _Rows(
            self.sql, run.id, lambda r: flow.Arrivals(resolved=r.arrived, taken=r.alive)
        )
        self.arrivals.rows = self.states.rows  # one cache of rows for both views
        self.roster: dict[str, list[int]] | None = None
        self.new_tasks: list[dict[str, Any]] = []
        self.new_timers: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []

    def prefetch(self, finished: Iterable[str]) -> None:
        """The rows the model will ask for: the finished nodes and the nodes they lead to."""
        wiring = flow.wiring(self.graph)
        wanted: set[str] = set()
        for node_id in finished:
            if node_id == START and wiring.start_id is not None:
                node_id = wiring.start_id
            wanted.add(node_id)
            wanted.update(edge.target for edge in wiring.outgoing.get(node_id, ()))
        self.states.prefetch(wanted)

    def view(self) -> flow.RunView:
        return flow.RunView(self.graph, self.states, self.arrivals, self.run.variables)

    def apply(self, result: flow.Advance) -> None:
        for node_id, counts in result.arrivals.items():
            row = self.states.row(node_id)
            row.arrived, row.alive, row.changed = counts.resolved, counts.taken, True
        for node_id, state in result.node_states().items():
            row = self.states.row(node_id)
            before = row.state
            row.state, row.changed = state, True
            if state is NodeState.READY:
                row.ready_at = self.now
            else:
                row.finished_at = self.now
            self.event(node_event(state), node_id, {"state": str(before)}, {"state": str(state)})
        for effect in result.effects:
            self.carry_out(effect)
        self.write_new()

    def write_new(self) -> None:
        """Insert the step's new tasks and timers, then what needs their ids: the tasks'
        events and the timers' jobs. Ids are matched to rows by their unique keys, so
        the order the database returns them in does not matter."""
        if self.new_tasks:
            for task_id, node_id, assignee_id in self.sql.execute(_OPEN_TASKS, self.new_tasks):
                self.event(
                    EventKind.TASK_OPEN, node_id, None, {"assignee_id": assignee_id}, task_id
                )
        if self.new_timers:
            fire_at = {(t["node_id"], t["kind"], t["index"]): t["fire_at"] for t in self.new_timers}
            for timer_id, node_id, kind, index in self.sql.execute(_ADD_TIMERS, self.new_timers):
                later(self.session, FireTimer(timer_id, fire_at[node_id, kind, index]))
        self.new_tasks, self.new_timers = [], []

    def carry_out(self, effect: flow.Effect) -> None:
        node = self.graph.node_by_id[effect.node_id]
        if isinstance(effect, flow.CreateTask):
            self.create_task(node)
        elif isinstance(effect, flow.ScheduleCues):
            for cue in cue_series(node, self.run.go_live, self.now):
                self.timer(node, TimeKind.CUE, cue.at, cue.pinned, cue.index)
        else:
            for planned in times_of(node, self.run.go_live, self.now):
                self.timer(node, planned.kind, planned.at, planned.pinned)

    def people(self, role: str | None) -> list[int]:
        """Who holds the role in the run (the whole roster is read once per step)."""
        if self.roster is None:
            self.roster = {}
            for entry_role, user_id in self.sql.execute(_ROSTER, {"run_id": self.run.id}):
                self.roster.setdefault(entry_role, []).append(user_id)
        return self.roster.get(role, []) if role is not None else []

    def create_task(self, node: Node) -> None:
        people = self.people(node.role)
        self.new_tasks.append(
            {
                "workspace_id": self.run.workspace_id,
                "run_id": self.run.id,
                "node_id": node.id,
                "title": node.title,
                "role": node.role,
                "status": TaskStatus.OPEN,
                "blocked": False,
                "assignee_id": people[0] if len(people) == 1 else None,
                "due_at": due_at(node, self.run.go_live, self.now),
                "ready_at": self.now,
                "note": "",
                "version": 1,  # the ORM's version counter starts at 1
            }
        )
        times = times_of(
            node,
            self.run.go_live,
            self.now,
            reminder_lead=_minutes(self.run.reminder_lead_minutes),
            escalation_delay=_minutes(self.run.escalation_delay_minutes),
        )
        for planned in times:
            if planned.kind is not TimeKind.DUE:
                self.timer(node, planned.kind, planned.at, planned.pinned)

    def timer(self, node: Node, kind: TimeKind, at: datetime, pinned: bool, index: int = 0):
        self.new_timers.append(
            {
                "run_id": self.run.id,
                "node_id": node.id,
                "kind": kind,
                "index": index,
                "fire_at": at,
                "pinned": pinned,
                "status": TimerStatus.PENDING,
            }
        )

    def event(self, kind, node_id, before, after, task_id=None) -> None:
        self.events.append(
            event_row(
                self.run,
                kind,
                at=self.now,
                node_id=node_id,
                before=before,
                after=after,
                task_id=task_id,
            )
        )

    def write(self) -> None:
        """The step's node rows, then its events: one statement each."""
        self.states.write()
        if self.events:
            self.sql.execute(_ADD_EVENTS, self.events)
            self.events = []


def roster_of(session: Session, run_id: int, role: str | None) -> list[int]:
    if role is None:
        return []
    return list(
        session.scalars(
            select(RosterEntry.user_id)
            .where(RosterEntry.run_id == run_id, RosterEntry.role == role)
            .order_by(RosterEntry.id)
        )
    )


def people_of(session: Session, task: Task) -> list[int]:
    """Who a task is for: its assignee, else everyone holding its role in the run."""
    if task.assignee_id is not None:
        return [task.assignee_id]
    return roster_of(session, task.run_id, task.role)


def event_row(
    run: Run | Row,
    kind: EventKind,
    *,
    at: datetime,
    actor_id: int | None = None,
    node_id: str | None = None,
    task_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> dict[str, Any]:
    """The columns of one event of the run's log."""
    return {
        "workspace_id": run.workspace_id,
        "run_id": run.id,
        "runbook_id": run.runbook_id,
        "at": at,
        "actor_id": actor_id,
        "kind": kind,
        "node_id": node_id,
        "task_id": task_id,
        "before": before,
        "after": after,
        "note": note,
    }


def record(session: Session, run: Run, kind: EventKind, **fields: Any) -> None:
    """Append one event to the run's log (`fields`: those of `event_row`), now: after the
    session's pending changes, whose ids it may name."""
    session.flush()
    session.connection().execute(_ADD_EVENTS, [event_row(run, kind, **fields)])


def finish_run(session: Session, run: Run, now: datetime, status: RunStatus, actor_id=None):
    """Complete or cancel a run: open tasks are cancelled, pending timers dropped."""
    transition = RUN_TRANSITIONS.check(run.status, status)
    before = run.status
    run.status, run.ended_at = status, now
    session.execute(
        update(Task)
        .where(Task.run_id == run.id, Task.status.in_([TaskStatus.OPEN, TaskStatus.CLAIMED]))
        .values(status=TaskStatus.CANCELLED, version=Task.version + 1)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Timer)
        .where(Timer.run_id == run.id, Timer.status == TimerStatus.PENDING)
        .values(status=TimerStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    record(
        session,
        run,
        run_event(transition.action),
        at=now,
        actor_id=actor_id,
        before={"status": str(before)},
        after={"status": str(status)},
    )


def _minutes(value: int | None) -> timedelta | None:
    return None if value is None else timedelta(minutes=value)
