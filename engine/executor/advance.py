"""Advance a run: consume its outbox of finished nodes, ask the model what follows, and write
it — node states, tasks, timers, events — in one transaction under the run's lock.

Idempotent: the outbox row is deleted in the same transaction that applies it, and the
model ignores a node that is already finished, so running an advance twice, or on two
workers at once, creates nothing twice. Only the rows of the nodes the model names are
read or written, so the cost of one step does not grow with the runbook.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.executor.doorbell import AdvanceRun, FireTimer, later
from engine.executor.graphs import graph_of_version
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


def lock_run(session: Session, run_id: int) -> Run | None:
    """Take the run's lock for this transaction and read it fresh; None if it is gone.

    The first statement is a write: PostgreSQL takes the row lock, SQLite the database's
    write lock, so two advances of one run queue up instead of interleaving.
    """
    session.execute(update(Run).where(Run.id == run_id).values(lock_seq=Run.lock_seq + 1))
    return session.scalar(
        select(Run).where(Run.id == run_id).execution_options(populate_existing=True)
    )


def request_advance(session: Session, run: Run, node_id: str, outcome: NodeState) -> None:
    """Put a finished node in the run's outbox (same transaction as the change). A node
    already waiting there (finished, reopened and finished again before the executor
    came by) is not added twice: the model moves a node on only once."""
    waiting = session.scalar(
        select(PendingAdvance.id).where(
            PendingAdvance.run_id == run.id, PendingAdvance.node_id == node_id
        )
    )
    if waiting is None:
        session.add(PendingAdvance(run_id=run.id, node_id=node_id, outcome=outcome))
    later(session, AdvanceRun(run.id))


def advance_run(session: Session, run_id: int, now: datetime) -> int:
    """Apply every pending advance of the run; returns how many were applied."""
    run = lock_run(session, run_id)
    if run is None or run.status is not RunStatus.RUNNING:
        return 0  # a paused run keeps its outbox until it resumes
    pending = session.scalars(
        select(PendingAdvance).where(PendingAdvance.run_id == run_id).order_by(PendingAdvance.id)
    ).all()
    if not pending:
        return 0
    step = Step(session, run, graph_of_version(session, run.version_id), now)
    for item in pending:
        if item.node_id == START:
            result = flow.start(step.graph, run.variables)
        else:
            result = flow.on_finished(step.view(), item.node_id, item.outcome)
        session.delete(item)
        step.apply(result)
        if result.run_completed:
            finish_run(session, run, now, RunStatus.COMPLETED)
            break
    return len(pending)


class _Rows(Mapping[str, Any]):
    """Run-node rows by node id, loaded one at a time as the model asks for them."""

    def __init__(self, session: Session, run_id: int, pick) -> None:
        self.session, self.run_id, self.pick = session, run_id, pick
        self.rows: dict[str, RunNode] = {}

    def row(self, node_id: str) -> RunNode:
        if node_id not in self.rows:
            found = self.session.scalar(
                select(RunNode).where(RunNode.run_id == self.run_id, RunNode.node_id == node_id)
            )
            if found is None:
                raise KeyError(node_id)
            self.rows[node_id] = found
        return self.rows[node_id]

    def __getitem__(self, node_id: str) -> Any:
        return self.pick(self.row(node_id))

    def __iter__(self) -> Iterator[str]:
        raise TypeError("run-node rows are looked up one by one, never listed")

    def __len__(self) -> int:
        raise TypeError("run-node rows are looked up one by one, never counted")


class Step:
    """One transaction's worth of advancing a run."""

    def __init__(self, session: Session, run: Run, graph: Graph, now: datetime) -> None:
        self.session, self.run, self.graph, self.now = session, run, graph, now
        self.states = _Rows(session, run.id, lambda r: r.state)
        self.arrivals = _Rows(
            session, run.id, lambda r: flow.Arrivals(resolved=r.arrived, taken=r.alive)
        )
        self.arrivals.rows = self.states.rows  # one cache of rows for both views
        self.roster: dict[str | None, list[int]] = {}
        self.new_tasks: list[Task] = []
        self.new_timers: list[Timer] = []

    def view(self) -> flow.RunView:
        return flow.RunView(self.graph, self.states, self.arrivals, self.run.variables)

    def apply(self, result: flow.Advance) -> None:
        for node_id, counts in result.arrivals.items():
            row = self.states.row(node_id)
            row.arrived, row.alive = counts.resolved, counts.taken
        for node_id, state in result.node_states().items():
            row = self.states.row(node_id)
            before = row.state
            row.state = state
            if state is NodeState.READY:
                row.ready_at = self.now
            else:
                row.finished_at = self.now
            self.event(node_event(state), node_id, {"state": str(before)}, {"state": str(state)})
        for effect in result.effects:
            self.carry_out(effect)
        self.flush()

    def flush(self) -> None:
        """One flush for the step's new tasks and timers, then what needs their ids."""
        if not (self.new_tasks or self.new_timers):
            return
        self.session.flush()
        for task in self.new_tasks:
            self.event(
                EventKind.TASK_OPEN, task.node_id, None, {"assignee_id": task.assignee_id}, task.id
            )
        for timer in self.new_timers:
            later(self.session, FireTimer(timer.id, timer.fire_at))
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
        if role not in self.roster:
            self.roster[role] = roster_of(self.session, self.run.id, role)
        return self.roster[role]

    def create_task(self, node: Node) -> Task:
        people = self.people(node.role)
        task = Task(
            workspace_id=self.run.workspace_id,
            run_id=self.run.id,
            node_id=node.id,
            title=node.title,
            role=node.role,
            status=TaskStatus.OPEN,
            assignee_id=people[0] if len(people) == 1 else None,
            due_at=due_at(node, self.run.go_live, self.now),
            ready_at=self.now,
        )
        self.session.add(task)
        self.new_tasks.append(task)
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
        return task

    def timer(self, node: Node, kind: TimeKind, at: datetime, pinned: bool, index: int = 0):
        timer = Timer(
            run_id=self.run.id,
            node_id=node.id,
            kind=kind,
            index=index,
            fire_at=at,
            pinned=pinned,
            status=TimerStatus.PENDING,
        )
        self.session.add(timer)
        self.new_timers.append(timer)

    def event(self, kind, node_id, before, after, task_id=None) -> None:
        record(
            self.session,
            self.run,
            kind,
            node_id=node_id,
            before=before,
            after=after,
            task_id=task_id,
            at=self.now,
        )


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


def record(
    session: Session,
    run: Run,
    kind: EventKind,
    *,
    at: datetime,
    actor_id: int | None = None,
    node_id: str | None = None,
    task_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> None:
    """Append one event to the run's log."""
    session.add(
        Event(
            workspace_id=run.workspace_id,
            run_id=run.id,
            runbook_id=run.runbook_id,
            at=at,
            actor_id=actor_id,
            kind=kind,
            node_id=node_id,
            task_id=task_id,
            before=before,
            after=after,
            note=note,
        )
    )


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
