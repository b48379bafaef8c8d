"""How many messages one channel may be sent now, and which of the waiting ones to merge.

Group robots accept about 20 messages a minute each (DingTalk then refuses for ten minutes).
Cueflow stays under a budget (15 by default, leaving room for people and other tools posting
through the same robot): while the messages waiting for a channel fit what is left of the
budget they go one by one; past it, they are merged, in order, into digests of at most
MAX_DIGEST_ITEMS. Nothing is dropped: what does not fit now waits for the next plan.

Pure: the caller counts what it sent in the last 60 seconds and records each send against
every pending id it covers, so each notification is sent exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from engine.notify.channels import ROBOTS, ChannelKind
from engine.notify.message import MAX_DIGEST_ITEMS, Message, digest

DEFAULT_BUDGET = 15


@dataclass(frozen=True)
class Pending:
    """A notification waiting for its channel; `id` is the caller's (a delivery row's id)."""

    id: Hashable
    message: Message


@dataclass(frozen=True)
class Send:
    """One message to send now, covering one pending notification or a digest of several."""

    ids: tuple[Hashable, ...]
    message: Message


def budget_for(kind: ChannelKind | str, per_minute: int = DEFAULT_BUDGET) -> int | None:
    """Messages a minute for this kind of channel; None for no limit (e-mail, webhooks)."""
    return per_minute if ChannelKind(kind) in ROBOTS else None


def plan_sends(
    pending: Sequence[Pending],
    sent_last_minute: int,
    *,
    budget: int | None = DEFAULT_BUDGET,
    max_items: int = MAX_DIGEST_ITEMS,
    digest_title: Callable[[Sequence[Message]], str] | None = None,
) -> list[Send]:
    """What to send now, oldest first. `pending` is oldest first too.

    With no budget, or room for every pending message, each goes alone. Otherwise the queue is
    cut into runs of at most `max_items`, each sent as one digest (a run of one alone), as many
    runs as the remaining budget allows; the rest stays pending. With no room left, nothing is
    sent and the caller plans again once a minute-old send has aged out.
    """
    if max_items < 1:
        raise ValueError("max_items must be at least 1.")
    if budget is None:
        return [_alone(p) for p in pending]
    room = max(budget - sent_last_minute, 0)
    if len(pending) <= room:
        return [_alone(p) for p in pending]
    runs = [pending[i : i + max_items] for i in range(0, len(pending), max_items)][:room]
    return [_alone(run[0]) if len(run) == 1 else _merged(run, digest_title) for run in runs]


def _alone(pending: Pending) -> Send:
    return Send((pending.id,), pending.message)


def _merged(
    run: Sequence[Pending], digest_title: Callable[[Sequence[Message]], str] | None
) -> Send:
    messages = [p.message for p in run]
    title = digest_title(messages) if digest_title else None
    return Send(tuple(p.id for p in run), digest(messages, title))
