"""Bursts to one robot are merged into digests within the budget; nothing is lost or doubled."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.notify.channels import ChannelKind
from engine.notify.limits import Pending, budget_for, plan_sends
from engine.notify.message import Category, Message


def burst(n: int) -> list[Pending]:
    return [
        Pending(f"d{i}", Message(f"任务 {i}", "上架商品", category=Category.REMINDER))
        for i in range(n)
    ]


def test_within_the_budget_each_message_goes_alone():
    sends = plan_sends(burst(5), sent_last_minute=10, budget=15)
    assert [s.ids for s in sends] == [("d0",), ("d1",), ("d2",), ("d3",), ("d4",)]
    assert sends[0].message.title == "任务 0"


def test_past_the_budget_a_burst_becomes_one_digest():
    sends = plan_sends(burst(16), sent_last_minute=0, budget=15)
    assert len(sends) == 1
    assert sends[0].ids == tuple(f"d{i}" for i in range(16))
    assert sends[0].message.category is Category.DIGEST
    assert sends[0].message.title == "16 条通知"


def test_a_huge_burst_uses_the_remaining_room_and_the_rest_waits():
    sends = plan_sends(burst(50), sent_last_minute=13, budget=15, max_items=20)
    assert [len(s.ids) for s in sends] == [20, 20]  # d40..d49 wait for the next plan


def test_with_no_room_left_nothing_is_sent_now():
    assert plan_sends(burst(3), sent_last_minute=15, budget=15) == []
    assert plan_sends(burst(3), sent_last_minute=99, budget=15) == []


def test_a_run_of_one_goes_alone_and_titles_can_be_chosen():
    sends = plan_sends(
        burst(21), sent_last_minute=0, budget=2, digest_title=lambda m: f"{len(m)} reminders"
    )
    assert [len(s.ids) for s in sends] == [20, 1]
    assert sends[0].message.title == "20 reminders"
    assert sends[1].message.title == "任务 20"


def test_e_mail_and_webhooks_have_no_budget():
    assert budget_for(ChannelKind.EMAIL) is None and budget_for("webhook") is None
    assert budget_for(ChannelKind.DINGTALK) == 15 and budget_for("wecom", 10) == 10
    assert len(plan_sends(burst(100), sent_last_minute=500, budget=None)) == 100


def test_max_items_must_be_positive():
    with pytest.raises(ValueError):
        plan_sends(burst(2), 0, max_items=0)


@given(
    n=st.integers(0, 120),
    sent=st.integers(0, 30),
    budget=st.integers(1, 20),
    max_items=st.integers(1, 25),
)
def test_every_pending_id_is_sent_at_most_once_in_order_within_the_budget(
    n, sent, budget, max_items
):
    pending = burst(n)
    sends = plan_sends(pending, sent, budget=budget, max_items=max_items)
    room = max(budget - sent, 0)
    covered = [i for s in sends for i in s.ids]
    assert len(sends) <= room
    assert max(Counter(covered).values(), default=1) == 1  # never twice
    assert covered == [p.id for p in pending[: len(covered)]]  # oldest first, no gaps
    assert all(1 <= len(s.ids) <= max_items for s in sends)
    if room * max_items >= n:
        assert len(covered) == n  # everything fits now: nothing waits
    elif room:
        assert len(covered) == room * max_items  # every slot used, full digests


@given(
    arrivals=st.lists(st.integers(0, 40), min_size=1, max_size=12),
    budget=st.integers(1, 20),
    max_items=st.integers(1, 25),
)
def test_over_time_each_notification_is_sent_exactly_once_and_no_minute_passes_the_budget(
    arrivals, budget, max_items
):
    """A caller planning every 10 s: new notifications arrive, sends age out of the minute."""
    queue: list[Pending] = []
    sent_at: list[int] = []  # tick (10 s) of each send
    delivered: Counter = Counter()
    total = 0
    tick = 0
    while tick < len(arrivals) or queue:
        for _ in range(arrivals[tick] if tick < len(arrivals) else 0):
            queue.append(Pending(total, Message(f"n{total}", "")))
            total += 1
        recent = sum(1 for t in sent_at if tick - t < 6)
        sends = plan_sends(queue, recent, budget=budget, max_items=max_items)
        sent_at += [tick] * len(sends)
        covered = {i for s in sends for i in s.ids}
        delivered.update(i for s in sends for i in s.ids)
        queue = [p for p in queue if p.id not in covered]
        tick += 1
        assert tick < 10_000, "the queue never drained"
    assert sorted(delivered) == list(range(total)) and set(delivered.values()) <= {1}
    assert all(sum(1 for t in sent_at if start <= t < start + 6) <= budget for start in sent_at)
