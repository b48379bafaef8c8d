"""Tables of runs: the run, its roster, the state of each node, tasks, timers, the outbox
of pending advances, and the append-only event log.

A run points at the immutable version it runs; it stores only its own state. Statuses
are the enums of engine/model/run_states.py, stored as their string values.

Concurrency, in the database (RQ is only the doorbell):
- `Run.lock_seq` is bumped by the first statement of every advance, which takes the
  run's row lock (PostgreSQL) or the write lock (SQLite): advances of one run never
  interleave, on any number of workers.
- `Task.version` is SQLAlchemy's version counter: two people acting on the same task
  at once cannot both succeed.
- `PendingAdvance` is the transactional outbox: a finished node is written in the same
  transaction as the change that finished it; the advance job consumes it; the
  reconcile sweep finds what a lost job left behind.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from engine.model.run_states import CueStatus, NodeState, RunStatus, TaskStatus
from engine.model.run_times import TimeKind
from engine.store.accounts import User
from engine.store.base import Base, UTCDateTime, enum_column, utcnow
from engine.store.runbooks import GraphJSON, Runbook, RunbookVersion


class Run(Base):
    __tablename__ = "runs"
    __label__ = "Run"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    runbook_id: Mapped[int] = mapped_column(ForeignKey("runbooks.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("runbook_versions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus, "run_status"), index=True)
    go_live: Mapped[datetime] = mapped_column(UTCDateTime)
    tz: Mapped[str] = mapped_column(String(64))
    variables: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reminder_lead_minutes: Mapped[int | None] = mapped_column(Integer)
    escalation_delay_minutes: Mapped[int | None] = mapped_column(Integer)
    lock_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Read with the run (no query of its own): the key of the parsed-graph cache
    # (engine/executor/graphs.py), which every completion and advance needs.
    version_published_at: Mapped[datetime] = column_property(
        select(RunbookVersion.published_at)
        .where(RunbookVersion.id == version_id)
        .correlate_except(RunbookVersion)
        .scalar_subquery()
    )

    runbook: Mapped[Runbook] = relationship()
    version: Mapped[RunbookVersion] = relationship()
    roster: Mapped[list[RosterEntry]] = relationship(
        cascade="all, delete-orphan", order_by="RosterEntry.id"
    )


class RosterEntry(Base):
    """One person cast in one role for a run (a role may have several people)."""

    __tablename__ = "run_roster"
    __table_args__ = (UniqueConstraint("run_id", "role", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship()


class RunNode(Base):
    """The state of one node in one run, its join counters and its times."""

    __tablename__ = "run_nodes"
    __table_args__ = (UniqueConstraint("run_id", "node_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[NodeState] = mapped_column(enum_column(NodeState, "node_state"))
    arrived: Mapped[int] = mapped_column(Integer, default=0)  # paths in that have arrived
    alive: Mapped[int] = mapped_column(Integer, default=0)  # of those, how many were taken
    planned_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    planned_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Task(Base):
    """The human work of a `task` or `approval` node in a run: one per node."""

    __tablename__ = "tasks"
    __label__ = "Task"
    __table_args__ = (
        UniqueConstraint("run_id", "node_id"),
        Index("ix_tasks_workspace_id_status_due_at", "workspace_id", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus, "task_status"))
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ready_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # checklist, fields, metrics
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer)

    # Every rule about a task asks its run's status first: read them together.
    run: Mapped[Run] = relationship(lazy="joined", innerjoin=True)
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TimerStatus(StrEnum):
    """pending: waiting for its time; fired: acted on once; cancelled: no longer wanted
    (its task was done, its cue skipped, its run ended)."""

    PENDING = "pending"
    FIRED = "fired"
    CANCELLED = "cancelled"


# A cue as the crew speaks of it (engine.model.run_states.CueStatus), from its timer's row.
_CUE_STATUS = {
    TimerStatus.PENDING: CueStatus.PLANNED,
    TimerStatus.FIRED: CueStatus.SENT,
    TimerStatus.CANCELLED: CueStatus.SKIPPED,
}


class Timer(Base):
    """A time the executor acts at: a wait, a notify, a cue, a task's reminder or
    escalation. Derived from the database; RQ's schedule is rebuilt from these rows."""

    __tablename__ = "run_timers"
    __table_args__ = (
        UniqueConstraint("run_id", "node_id", "kind", "index"),
        Index("ix_run_timers_status_fire_at", "status", "fire_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[TimeKind] = mapped_column(enum_column(TimeKind, "time_kind"))
    index: Mapped[int] = mapped_column(Integer, default=0)
    fire_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[TimerStatus] = mapped_column(
        enum_column(TimerStatus, "timer_status"), default=TimerStatus.PENDING
    )
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def cue_status(self) -> CueStatus:
        """For a cue's timer: planned, sent or skipped."""
        return _CUE_STATUS[self.status]


class PendingAdvance(Base):
    """The outbox: a node finished and the run must move on from it."""

    __tablename__ = "run_pending_advances"
    __table_args__ = (UniqueConstraint("run_id", "node_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[str] = mapped_column(String(64))  # "" for the start of the run
    outcome: Mapped[NodeState] = mapped_column(enum_column(NodeState, "pending_outcome"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Event(Base):
    """Append-only audit trail: who changed what, when, from what to what. Never updated
    or deleted through Cueflow. Kinds: engine/model/events.py."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_run_id_id", "run_id", "id"),
        Index("ix_events_workspace_id_id", "workspace_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    runbook_id: Mapped[int | None] = mapped_column(
        ForeignKey("runbooks.id", ondelete="CASCADE"), index=True
    )
    node_id: Mapped[str | None] = mapped_column(String(64))
    task_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(GraphJSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(GraphJSON)
    note: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()
