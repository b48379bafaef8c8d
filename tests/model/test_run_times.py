"""Due times, reminders, moving go-live and live cues: exact minutes, computed in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import CueflowError, ErrorCode
from engine.model.run_states import CueStatus
from engine.model.run_times import (
    Move,
    PlannedTime,
    TimeKind,
    cue_series,
    cue_times,
    due_at,
    due_offset,
    escalation_at,
    mark_cue_sent,
    preview_go_live_move,
    reminder_at,
    replan,
    series_over,
    shift_cue,
    skip_cue,
    times_of,
)
from tests.model.builder import GraphBuilder

SHANGHAI = ZoneInfo("Asia/Shanghai")
GO_LIVE = datetime(2026, 6, 18, 20, 0, tzinfo=SHANGHAI)  # 12:00 UTC
MIN = timedelta(minutes=1)


def node(kind="task", phase="pre_event", **kw):
    return GraphBuilder().node("n", kind, phase, **kw).graph().nodes[0]


# ----- due -----------------------------------------------------------------------------


def test_a_pinned_task_is_due_at_go_live_plus_offset_plus_duration_however_late_it_opens():
    poster = node(offset=-180, duration=60)  # poster ready by T-2h
    for ready in (GO_LIVE - 3 * 24 * 60 * MIN, GO_LIVE - 30 * MIN):
        assert due_at(poster, GO_LIVE, ready) == datetime(2026, 6, 18, 10, 0, tzinfo=UTC)
    assert due_offset(poster, -4000) == -120


def test_an_unpinned_task_is_due_its_duration_after_it_opens_or_never_without_one():
    ready = GO_LIVE - 95 * MIN
    assert due_at(node(duration=30), GO_LIVE, ready) == ready + 30 * MIN
    assert due_at(node(duration=None), GO_LIVE, ready) is None
    assert due_offset(node(duration=30), -95) == -65


def test_due_times_come_back_in_utc():
    assert due_at(node(offset=0, duration=5), GO_LIVE, GO_LIVE).tzinfo is UTC


def test_a_wait_until_an_offset_fires_then_or_at_once_when_it_opens_later():
    wait = node("wait", "execution", mode="until_offset", until_offset_minutes=20)
    assert due_offset(wait, 0) == 20
    assert due_offset(wait, 45) == 45


def test_a_delay_wait_fires_its_delay_after_it_opens_whatever_its_offset():
    wait = node("wait", offset=-60, delay_minutes=15)
    assert due_offset(wait, -200) == -185


def test_a_pinned_notification_is_sent_at_its_offset_or_at_once_when_late():
    push = node("notify", "execution", offset=30, channel="wecom", message="券来了")
    assert due_offset(push, 0) == 30
    assert due_offset(push, 40) == 40
    assert due_offset(node("notify", channel="wecom", message="hi"), -7) == -7


def test_a_recurring_node_is_due_at_its_last_cue_plus_duration():
    coupon = node("recurring", "execution", offset=10, every_minutes=20, count=3)
    assert due_offset(coupon, -100) == 50


def test_reminder_and_escalation_are_lead_before_and_delay_after_due():
    due = datetime(2026, 6, 18, 12, 0, tzinfo=UTC)
    assert reminder_at(due, 30 * MIN) == datetime(2026, 6, 18, 11, 30, tzinfo=UTC)
    assert escalation_at(due, 15 * MIN) == datetime(2026, 6, 18, 12, 15, tzinfo=UTC)


def test_a_time_without_its_utc_offset_is_refused():
    with pytest.raises(CueflowError) as caught:
        due_at(node(duration=5), datetime(2026, 6, 18, 20, 0), GO_LIVE)
    assert caught.value.code is ErrorCode.VALIDATION
    assert caught.value.errors[0].field == "go_live"


# ----- every time of a node, and moving go-live -----------------------------------------


def test_a_pinned_task_has_a_due_a_reminder_and_an_escalation_all_pinned():
    times = times_of(
        node(offset=-60, duration=30),
        GO_LIVE,
        GO_LIVE - 600 * MIN,
        reminder_lead=10 * MIN,
        escalation_delay=20 * MIN,
    )
    due = GO_LIVE.astimezone(UTC) - 30 * MIN
    assert times == (
        PlannedTime("n", TimeKind.DUE, due, True),
        PlannedTime("n", TimeKind.REMINDER, due - 10 * MIN, True),
        PlannedTime("n", TimeKind.ESCALATION, due + 20 * MIN, True),
    )


def test_a_task_handed_out_within_its_reminder_lead_gets_no_reminder():
    ready = GO_LIVE
    times = times_of(
        node(duration=5), GO_LIVE, ready, reminder_lead=15 * MIN, escalation_delay=10 * MIN
    )
    assert [t.kind for t in times] == [TimeKind.DUE, TimeKind.ESCALATION]
    longer = times_of(node(duration=30), GO_LIVE, ready, reminder_lead=15 * MIN)
    assert [t.kind for t in longer] == [TimeKind.DUE, TimeKind.REMINDER]


def test_a_wait_whose_target_passed_fires_at_once_and_does_not_follow_go_live():
    wait = node("wait", "execution", mode="until_offset", until_offset_minutes=20)
    late = GO_LIVE + 60 * MIN
    assert times_of(wait, GO_LIVE, late) == (PlannedTime("n", TimeKind.TIMER, late, False),)
    [on_time] = times_of(wait, GO_LIVE, GO_LIVE)
    assert on_time.pinned and on_time.at == GO_LIVE + 20 * MIN


def test_start_decision_and_end_have_no_times():
    assert times_of(node("decision"), GO_LIVE, GO_LIVE) == ()
    assert times_of(node(duration=None), GO_LIVE, GO_LIVE) == ()


def test_moving_go_live_moves_pinned_times_exactly_and_leaves_the_others():
    ready = GO_LIVE - 300 * MIN
    pinned = times_of(node(offset=-60, duration=30), GO_LIVE, ready, reminder_lead=10 * MIN)
    unpinned = times_of(node(duration=30), GO_LIVE, ready)
    later = GO_LIVE + timedelta(days=1, minutes=17)
    moved = replan(GO_LIVE, later, (*pinned, *unpinned))
    assert [t.at - o.at for t, o in zip(moved, (*pinned, *unpinned), strict=True)] == [
        timedelta(days=1, minutes=17),
        timedelta(days=1, minutes=17),
        timedelta(0),
    ]
    assert moved[0].at == later.astimezone(UTC) - 30 * MIN


def test_moving_go_live_across_daylight_saving_keeps_exact_elapsed_minutes():
    new_york = ZoneInfo("America/New_York")  # clocks go forward at 2:00 on 2026-03-08
    old = datetime(2026, 3, 7, 19, 0, tzinfo=new_york)
    new = datetime(2026, 3, 8, 19, 0, tzinfo=new_york)
    task = node("task", "execution", offset=30, duration=15)
    [due] = times_of(task, old, old)
    [moved] = replan(old, new, [due])
    assert moved.at - due.at == timedelta(hours=23)  # a day of 23 real hours
    assert moved.at == due_at(task, new, new)
    assert moved.at.astimezone(new_york).time().isoformat() == "19:45:00"


def test_the_preview_lists_each_time_that_would_change():
    ready = GO_LIVE - 300 * MIN
    times = (
        *times_of(node(offset=-60, duration=30), GO_LIVE, ready, escalation_delay=5 * MIN),
        *times_of(node(duration=30), GO_LIVE, ready),
    )
    earlier = GO_LIVE - 120 * MIN
    due = GO_LIVE.astimezone(UTC) - 30 * MIN
    assert preview_go_live_move(GO_LIVE, earlier, times) == (
        Move("n", TimeKind.DUE, 0, due, due - 120 * MIN),
        Move("n", TimeKind.ESCALATION, 0, due + 5 * MIN, due - 115 * MIN),
    )
    assert preview_go_live_move(GO_LIVE, GO_LIVE.astimezone(UTC), times) == ()


@given(
    st.lists(st.tuples(st.integers(-10_000, 10_000), st.booleans()), max_size=20),
    st.integers(-100_000, 100_000),
)
def test_moving_go_live_there_and_back_restores_every_time(offsets, minutes):
    times = [
        PlannedTime(f"n{i}", TimeKind.DUE, GO_LIVE + offset * MIN, pinned)
        for i, (offset, pinned) in enumerate(offsets)
    ]
    moved_go_live = GO_LIVE + minutes * MIN
    there = replan(GO_LIVE, moved_go_live, times)
    for before, after in zip(times, there, strict=True):
        assert after.at - before.at == (minutes * MIN if before.pinned else timedelta(0))
    assert replan(moved_go_live, GO_LIVE, there) == tuple(
        PlannedTime(t.node_id, t.kind, t.at.astimezone(UTC), t.pinned) for t in times
    )


# ----- cues ----------------------------------------------------------------------------


def coupon_push(**kw):
    return node("recurring", "execution", **{"offset": 0, "every_minutes": 20, "count": 4, **kw})


def test_a_pinned_cue_series_follows_go_live():
    assert cue_times(coupon_push(), GO_LIVE) == tuple(GO_LIVE + m * MIN for m in (0, 20, 40, 60))
    assert cue_times(coupon_push(count=None, until_offset_minutes=50), GO_LIVE)[-1] == (
        GO_LIVE + 40 * MIN
    )


def test_an_unpinned_cue_series_starts_when_ready_and_stops_at_its_until():
    lottery = node("recurring", "execution", every_minutes=30, until_offset_minutes=100)
    ready = GO_LIVE + 15 * MIN
    assert cue_times(lottery, GO_LIVE, ready) == (ready, ready + 30 * MIN, ready + 60 * MIN)
    counted = node("recurring", "execution", every_minutes=30, count=2)
    assert cue_times(counted, GO_LIVE, ready) == (ready, ready + 30 * MIN)
    unbounded = node("recurring", "execution", every_minutes=30)
    assert cue_times(unbounded, GO_LIVE, ready) == (ready,)
    with pytest.raises(ValueError):
        cue_times(counted, GO_LIVE)


def test_a_live_shift_moves_that_one_cue_and_keeps_it_when_go_live_moves():
    cues = cue_series(coupon_push(), GO_LIVE)
    shifted = shift_cue(cues, 1, 5)
    assert [c.at - GO_LIVE for c in shifted] == [m * MIN for m in (0, 25, 40, 60)]
    assert shifted[1].shifted_minutes == 5
    moved = replan(GO_LIVE, GO_LIVE + 60 * MIN, shifted)
    assert [c.at - GO_LIVE for c in moved] == [m * MIN for m in (60, 85, 100, 120)]


def test_a_skipped_or_sent_cue_stays_where_it_was_and_cannot_be_shifted():
    cues = mark_cue_sent(skip_cue(cue_series(coupon_push(), GO_LIVE), 2), 0)
    assert [c.status for c in cues] == [
        CueStatus.SENT,
        CueStatus.PLANNED,
        CueStatus.SKIPPED,
        CueStatus.PLANNED,
    ]
    moved = replan(GO_LIVE, GO_LIVE + 10 * MIN, cues)
    assert [c.at - GO_LIVE for c in moved] == [m * MIN for m in (0, 30, 40, 70)]
    for index in (0, 2):
        with pytest.raises(CueflowError) as caught:
            shift_cue(cues, index, 5)
        assert caught.value.code is ErrorCode.CUE_TRANSITION


def test_the_series_is_over_when_every_cue_is_sent_or_skipped():
    cues = cue_series(coupon_push(count=2), GO_LIVE)
    assert not series_over(cues)
    assert series_over(skip_cue(mark_cue_sent(cues, 0), 1))


def test_an_unknown_cue_is_not_found():
    with pytest.raises(CueflowError) as caught:
        skip_cue(cue_series(coupon_push(), GO_LIVE), 9)
    assert caught.value.code is ErrorCode.NOT_FOUND
