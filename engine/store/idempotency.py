"""The answers to actions sent with an `Idempotency-Key`, kept a day per user so that a
phone retrying an action whose answer it lost gets the first answer again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, UTCDateTime


class IdempotentAnswer(Base):
    """One key of one user: the request it was first sent with, and once that request has
    succeeded, its answer. `status` is None while the first request is still running."""

    __tablename__ = "idempotent_answers"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    request: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path and body
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
