"""Tables of post-mortems (复盘): a run's report, its signed-off revisions and its
improvement actions. Statuses: engine/model/review_states.py.

The figures of an open report are not stored: they are read from the run's events
whenever asked (engine/postmortems.py). A sign-off stores what was signed, whole, so a
signed revision never changes, even when the analysis or the run's names change later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.model.review_states import ActionKind, ActionStatus, ReportStatus
from engine.store.accounts import User
from engine.store.base import Base, UTCDateTime, enum_column, utcnow
from engine.store.runbooks import GraphJSON
from engine.store.runs import Run


class PostMortemReport(Base):
    """The post-mortem of one run. `revision` counts sign-off rounds (a reopen adds one);
    `version` is SQLAlchemy's counter, so two managers cannot sign off the same revision."""

    __tablename__ = "postmortems"
    __label__ = "Post-mortem"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), unique=True)
    status: Mapped[ReportStatus] = mapped_column(enum_column(ReportStatus, "postmortem_status"))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer)

    run: Mapped[Run] = relationship()
    sign_offs: Mapped[list[PostMortemSignOff]] = relationship(
        cascade="all, delete-orphan", order_by="PostMortemSignOff.revision"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PostMortemSignOff(Base):
    """One signed revision: the figures, summary and actions exactly as signed."""

    __tablename__ = "postmortem_sign_offs"
    __table_args__ = (UniqueConstraint("postmortem_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    postmortem_id: Mapped[int] = mapped_column(
        ForeignKey("postmortems.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    summary: Mapped[str] = mapped_column(Text, default="")
    report: Mapped[dict[str, Any]] = mapped_column(GraphJSON)  # PostMortem.as_dict()
    actions: Mapped[list[dict[str, Any]]] = mapped_column(GraphJSON)  # as agreed

    signed_by: Mapped[User | None] = relationship()


class ImprovementAction(Base):
    """A lesson of a post-mortem with an owner: a follow-up, a task carried into the
    runbook's next run, or an edit of the runbook draft (kinds: review_states.ActionKind)."""

    __tablename__ = "improvement_actions"
    __label__ = "Improvement action"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    postmortem_id: Mapped[int] = mapped_column(
        ForeignKey("postmortems.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ActionKind] = mapped_column(enum_column(ActionKind, "action_kind"))
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, "action_status"))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    node_id: Mapped[str | None] = mapped_column(String(64))  # the step it concerns, if one
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changes: Mapped[list[dict[str, Any]] | None] = mapped_column(GraphJSON)  # draft_edit
    carried_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("runs.id", ondelete="SET NULL"), index=True
    )
    carried_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    applied_revision: Mapped[int | None] = mapped_column(Integer)  # the draft's, after it
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    close_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer)

    postmortem: Mapped[PostMortemReport] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    carried_run: Mapped[Run | None] = relationship(foreign_keys=[carried_run_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def due(self) -> datetime | None:
        """When it is due: its own due time, or once carried into a run, that run's go-live."""
        if self.due_at is not None:
            return self.due_at
        return self.carried_run.go_live if self.carried_run is not None else None
