"""Tables of notifications: a workspace's channels, each notification to deliver, and every
attempt at delivering it.

A `Delivery` is written in the same transaction as the event that calls for it (a notify
node's time, a cue, a reminder, an escalation); `dedupe_key` makes a repeated cause
create nothing twice. Deliveries of one channel are sent under the channel's lock
(`Channel.lock_seq`), so two delivery jobs cannot both send the same one.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.notify.channels import ChannelKind
from engine.notify.message import Category
from engine.store.base import Base, UTCDateTime, enum_column, utcnow


class DeliveryStatus(StrEnum):
    """pending: waiting to be sent (or retried at `next_attempt_at`); sent: the channel
    accepted it (alone or inside a digest); failed: given up after the last attempt."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Channel(Base):
    __tablename__ = "channels"
    __label__ = "Channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ChannelKind] = mapped_column(enum_column(ChannelKind, "channel_kind"))
    name: Mapped[str] = mapped_column(String(120))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)  # holds secrets: never echoed
    categories: Mapped[list[str]] = mapped_column(JSON)  # which notifications it receives
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    lock_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Delivery(Base):
    __tablename__ = "deliveries"
    __label__ = "Delivery"
    __table_args__ = (
        Index(
            "ix_deliveries_channel_id_status_next_attempt_at",
            "channel_id",
            "status",
            "next_attempt_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("runs.id", ondelete="CASCADE"), index=True
    )
    node_id: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[Category] = mapped_column(enum_column(Category, "delivery_category"))
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    message: Mapped[dict[str, Any]] = mapped_column(JSON)  # title, text, link, mentions
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    channel: Mapped[Channel] = relationship()


class DeliveryAttempt(Base):
    """One try at sending one message (alone or a digest) to a channel."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), index=True
    )
    delivery_ids: Mapped[list[int]] = mapped_column(JSON)  # every delivery this try covered
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text, default="")
    response_excerpt: Mapped[str] = mapped_column(Text, default="")
    elapsed_ms: Mapped[int] = mapped_column(Integer, default=0)
