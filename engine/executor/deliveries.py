"""Notifications: decide who hears of what (`notify_*`), and send them (`deliver_channel`).

Creating a delivery is part of the transaction that calls for it; sending is an RQ job per
channel. A channel's job takes the channel's lock, picks what is due, lets
engine/notify/limits merge a burst into digests within the robot's budget, sends through
engine/notify/send, and records every attempt. A failure worth retrying waits with
backoff (at least what the platform asked for); after the last attempt the delivery is
marked failed. Both outcomes are events in the audit trail.

A delivery is sent at most once while it is recorded: its status changes in the same
transaction that records the attempt, under the channel's lock, so repeated or
concurrent jobs find nothing left to send. (If a worker dies between the platform's
answer and the commit, the delivery is sent again: at least once, never lost.)
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.config import public_url_from_env
from engine.executor.advance import roster_of
from engine.executor.doorbell import DeliverChannel, later
from engine.model.access import Permission, can
from engine.model.events import EventKind
from engine.model.graph import Node
from engine.model.vocabulary import NodeKind
from engine.notify import send as sending
from engine.notify.channels import ChannelKind
from engine.notify.limits import Pending, budget_for, plan_sends
from engine.notify.message import Category, Message
from engine.notify.settings import NotifySettings
from engine.store.accounts import Membership, User
from engine.store.db import Database
from engine.store.notify import Channel, Delivery, DeliveryAttempt, DeliveryStatus
from engine.store.runs import Event, Run

MAX_ATTEMPTS = 6
BACKOFF = (30, 60, 120, 300, 600)  # seconds before the 2nd, 3rd, ... attempt
BATCH = 200  # deliveries one job considers at most


# ----- who hears of what -----------------------------------------------------------------


def render(template: str, values: Mapping[str, Any]) -> str:
    """Fill {placeholders} by name only (no attribute or index access); unknown stay."""
    out = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        if name.isidentifier() and name in values:
            out.append(str(values[name]))
        else:
            out.append("{" + name + "}")
    return "".join(out)


def run_link(run: Run) -> str:
    return f"{public_url_from_env()}/w/{run.workspace_id}/runs/{run.id}"


def notify(
    session: Session,
    run: Run,
    *,
    category: Category,
    message: Message,
    dedupe_key: str,
    node_id: str | None,
    now: datetime,
    kind: str | None = None,
    emails: Iterable[str] = (),
) -> int:
    """A delivery to every enabled channel of the workspace that takes `category` (only
    channels of `kind` when given). E-mail channels also reach `emails`. Returns how many
    deliveries were created; a `dedupe_key` already used creates none."""
    query = select(Channel).where(
        Channel.workspace_id == run.workspace_id, Channel.enabled.is_(True)
    )
    if kind is not None:
        query = query.where(Channel.kind == kind)
    created = 0
    for channel in session.scalars(query.order_by(Channel.id)):
        if str(category) not in channel.categories:
            continue
        key = f"{dedupe_key}:{channel.id}"[:120]
        if session.scalar(select(Delivery.id).where(Delivery.dedupe_key == key)) is not None:
            continue
        mentions = list(emails) if channel.kind is ChannelKind.EMAIL else []
        session.add(
            Delivery(
                workspace_id=run.workspace_id,
                channel_id=channel.id,
                run_id=run.id,
                node_id=node_id,
                category=category,
                dedupe_key=key,
                message={
                    "title": message.title,
                    "text": message.text,
                    "link": message.link,
                    "mentions": mentions,
                },
                next_attempt_at=now,
            )
        )
        later(session, DeliverChannel(channel.id, now))
        created += 1
    return created


def notify_node(session: Session, run: Run, node: Node, values: Mapping[str, Any], now) -> int:
    """A `notify` node's time has come: its message, to its channel kind or role."""
    settings = node.settings
    text = render(settings.message or node.title, values)
    emails = emails_of_role(session, run, settings.to_role) if settings.to_role else ()
    return notify(
        session,
        run,
        category=Category.NOTIFY,
        message=Message(title=node.title, text=text, link=run_link(run)),
        dedupe_key=f"run{run.id}:send:{node.id}",
        node_id=node.id,
        now=now,
        kind=settings.channel if settings.channel in set(ChannelKind) else None,
        emails=emails,
    )


def notify_cue(session: Session, run: Run, node: Node, index: int, now: datetime) -> int:
    cue = node.settings.cue if node.kind is NodeKind.RECURRING else ""
    return notify(
        session,
        run,
        category=Category.NOTIFY,
        message=Message(
            title=f"{node.title} #{index + 1}", text=cue or node.title, link=run_link(run)
        ),
        dedupe_key=f"run{run.id}:cue:{node.id}:{index}",
        node_id=node.id,
        now=now,
        emails=emails_of_role(session, run, node.role) if node.role else (),
    )


def notify_task(
    session: Session,
    run: Run,
    node: Node,
    category: Category,
    due: datetime | None,
    people: Iterable[int],
    now: datetime,
) -> int:
    """A task's reminder (to its people) or escalation (to the workspace's managers)."""
    when = f"{due:%m-%d %H:%M} UTC" if due else ""
    if category is Category.ESCALATION:
        text, emails = f"「{node.title}」已超时 overdue {when}", managers_emails(session, run)
    else:
        text, emails = f"「{node.title}」即将到期 due {when}", emails_of(session, people)
    return notify(
        session,
        run,
        category=category,
        message=Message(title=run.name, text=text, link=run_link(run), category=category),
        dedupe_key=f"run{run.id}:{category}:{node.id}:{due.isoformat() if due else ''}",
        node_id=node.id,
        now=now,
        emails=emails,
    )


def emails_of(session: Session, user_ids: Iterable[int]) -> list[str]:
    ids = list(user_ids)
    if not ids:
        return []
    return list(session.scalars(select(User.email).where(User.id.in_(ids)).order_by(User.id)))


def emails_of_role(session: Session, run: Run, role: str) -> list[str]:
    return emails_of(session, roster_of(session, run.id, role))


def managers_emails(session: Session, run: Run) -> list[str]:
    members = session.scalars(select(Membership).where(Membership.workspace_id == run.workspace_id))
    return emails_of(
        session, [m.user_id for m in members if can(m.role, Permission.SUPERVISE_TASKS)]
    )


# ----- sending -----------------------------------------------------------------------------


def deliver_channel(
    database: Database, channel_id: int, now: datetime, settings: NotifySettings
) -> int:
    """Send what is due on one channel; returns how many deliveries were settled."""
    with database.session() as session:
        session.execute(
            update(Channel).where(Channel.id == channel_id).values(lock_seq=Channel.lock_seq + 1)
        )
        channel = session.get(Channel, channel_id, populate_existing=True)
        if channel is None or not channel.enabled:
            return 0
        due = session.scalars(
            select(Delivery)
            .where(
                Delivery.channel_id == channel_id,
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.next_attempt_at <= now,
            )
            .order_by(Delivery.id)
            .limit(BATCH)
        ).all()
        recent = (
            session.scalar(
                select(func.count(DeliveryAttempt.id)).where(
                    DeliveryAttempt.channel_id == channel_id,
                    DeliveryAttempt.ok.is_(True),
                    DeliveryAttempt.at > now - timedelta(minutes=1),
                )
            )
            or 0
        )
        by_id = {d.id: d for d in due}
        pending = [Pending(d.id, _message(d)) for d in due]
        budget = budget_for(channel.kind, settings.robot_per_minute)
        settled = 0
        for planned in plan_sends(pending, recent, budget=budget):
            attempt = sending.deliver(
                channel.kind, channel.config, planned.message, now=now, settings=settings
            )
            covered = [by_id[i] for i in planned.ids]
            session.add(
                DeliveryAttempt(
                    channel_id=channel_id,
                    delivery_ids=list(planned.ids),
                    at=now,
                    ok=attempt.ok,
                    status=attempt.status,
                    error=attempt.error or "",
                    response_excerpt=attempt.response_excerpt,
                    elapsed_ms=attempt.elapsed_ms,
                )
            )
            for delivery in covered:
                settled += _settle(session, delivery, attempt, now)
        _ring_next(session, channel, now, budget is not None and len(pending) > settled)
        return settled


def _message(delivery: Delivery) -> Message:
    m = delivery.message
    return Message(
        title=m["title"],
        text=m["text"],
        link=m.get("link"),
        mentions=tuple(m.get("mentions") or ()),
        category=delivery.category,
    )


def _settle(session: Session, delivery: Delivery, attempt: sending.Attempt, now) -> int:
    delivery.attempts += 1
    if attempt.ok:
        delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, now, ""
        _event(session, delivery, EventKind.NOTIFICATION_SENT, now)
        return 1
    delivery.last_error = attempt.error or ""
    if not attempt.retryable or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        _event(session, delivery, EventKind.NOTIFICATION_FAILED, now)
        return 1
    wait = BACKOFF[min(delivery.attempts - 1, len(BACKOFF) - 1)]
    delivery.next_attempt_at = now + timedelta(seconds=max(wait, attempt.retry_after or 0))
    return 0


def _event(session: Session, delivery: Delivery, kind: EventKind, now: datetime) -> None:
    session.add(
        Event(
            workspace_id=delivery.workspace_id,
            run_id=delivery.run_id,
            at=now,
            kind=kind,
            node_id=delivery.node_id,
            after={
                "delivery_id": delivery.id,
                "channel_id": delivery.channel_id,
                "category": str(delivery.category),
                "attempts": delivery.attempts,
                "error": delivery.last_error,
            },
        )
    )


def _ring_next(session: Session, channel: Channel, now: datetime, over_budget: bool) -> None:
    """Ring again for what is still pending: at its retry time, or in a minute when the
    robot's budget is spent."""
    session.flush()
    next_at = session.scalar(
        select(func.min(Delivery.next_attempt_at)).where(
            Delivery.channel_id == channel.id, Delivery.status == DeliveryStatus.PENDING
        )
    )
    if next_at is None:
        return
    if over_budget:
        next_at = max(next_at, now + timedelta(seconds=61))
    later(session, DeliverChannel(channel.id, max(next_at, now)))
