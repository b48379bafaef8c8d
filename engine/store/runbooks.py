"""Tables of runbooks: the runbook, its tags, its editable draft and its published versions.

The draft lives in its own row so that renaming or tagging a runbook never changes the
draft's revision (the editor's ETag). `revision` is SQLAlchemy's version counter: every
UPDATE of the draft checks and bumps it in one statement, so two writers that read the
same revision cannot both succeed. A published version is never updated.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.model.run_times import (
    DEFAULT_ESCALATION_DELAY_MINUTES,
    DEFAULT_REMINDER_LEAD_MINUTES,
)
from engine.store.accounts import User
from engine.store.base import Base, UTCDateTime, utcnow

# JSONB on PostgreSQL (compact, indexable), JSON text elsewhere.
GraphJSON = JSON().with_variant(JSONB(), "postgresql")


class Runbook(Base):
    __tablename__ = "runbooks"
    __label__ = "Runbook"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # When a run's tasks are reminded before due and escalated after it, in minutes;
    # None turns that off. New runs start from these (engine/runs.py).
    reminder_lead_minutes: Mapped[int | None] = mapped_column(
        Integer, default=DEFAULT_REMINDER_LEAD_MINUTES
    )
    escalation_delay_minutes: Mapped[int | None] = mapped_column(
        Integer, default=DEFAULT_ESCALATION_DELAY_MINUTES
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    tag_rows: Mapped[list[RunbookTag]] = relationship(
        cascade="all, delete-orphan", order_by="RunbookTag.tag", lazy="selectin"
    )
    draft: Mapped[RunbookDraft] = relationship(
        back_populates="runbook", cascade="all, delete-orphan", uselist=False
    )
    versions: Mapped[list[RunbookVersion]] = relationship(
        back_populates="runbook", cascade="all, delete-orphan", order_by="RunbookVersion.number"
    )

    @property
    def tags(self) -> list[str]:
        return sorted(row.tag for row in self.tag_rows)

    @tags.setter
    def tags(self, values: list[str]) -> None:
        wanted = list(dict.fromkeys(values))  # keep order, drop repeats
        kept = [row for row in self.tag_rows if row.tag in wanted]
        have = {row.tag for row in kept}
        self.tag_rows = kept + [RunbookTag(tag=tag) for tag in wanted if tag not in have]


class RunbookTag(Base):
    __tablename__ = "runbook_tags"

    runbook_id: Mapped[int] = mapped_column(
        ForeignKey("runbooks.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class RunbookDraft(Base):
    """The one editable graph of a runbook. `revision` is the ETag the editor sends back."""

    __tablename__ = "runbook_drafts"

    runbook_id: Mapped[int] = mapped_column(
        ForeignKey("runbooks.id", ondelete="CASCADE"), primary_key=True
    )
    graph: Mapped[dict[str, Any]] = mapped_column(GraphJSON)
    revision: Mapped[int] = mapped_column(Integer)
    node_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    runbook: Mapped[Runbook] = relationship(back_populates="draft")

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012


class RunbookVersion(Base):
    """A published, immutable graph. Runs pin one of these."""

    __tablename__ = "runbook_versions"
    __label__ = "Version"
    __table_args__ = (UniqueConstraint("runbook_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    runbook_id: Mapped[int] = mapped_column(
        ForeignKey("runbooks.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    graph: Mapped[dict[str, Any]] = mapped_column(GraphJSON)
    note: Mapped[str] = mapped_column(String(500), default="")
    node_count: Mapped[int] = mapped_column(Integer)
    edge_count: Mapped[int] = mapped_column(Integer)
    draft_revision: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    runbook: Mapped[Runbook] = relationship(back_populates="versions")
    published_by: Mapped[User | None] = relationship()
