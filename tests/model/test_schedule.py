"""The planned schedule: exact times from go-live, critical paths, slack and role load."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bench.workloads import runbook
from engine.errors import CueflowError, ErrorCode
from engine.model.graph_format import load_graph
from engine.model.problems import ProblemCode
from engine.model.schedule import plan
from engine.templates import load_template
from tests.model.builder import GraphBuilder as G

SHANGHAI = timezone(timedelta(hours=8))
GO_LIVE = datetime(2026, 6, 18, 20, 0, tzinfo=SHANGHAI)  # 今晚 8 点开播


def live() -> G:
    """poster T-3d (8h) -> setup T-2h (1h) -> rehearsal (45 min, unpinned) -> show T0 ..."""
    b = G().node("start", "start")
    b.node("poster", offset=-3 * 1440, duration=480, role="designer")
    b.node("setup", offset=-120, duration=60, role="controller")
    b.node("rehearsal", duration=45)
    b.node("group", duration=30, role="community")  # unpinned, parallel to setup
    b.node("show", "task", "execution", offset=0, duration=120)
    b.node(
        "coupon",
        "recurring",
        "execution",
        role="operator",
        offset=20,
        every_minutes=20,
        until_offset_minutes=100,
    )
    b.node("recap", "task", "review", duration=60, role="data")
    b.node("end", "end", "review")
    b.chain("start", "poster", "setup", "rehearsal", "show", "recap", "end")
    b.chain("poster", "group", "show").chain("rehearsal", "coupon", "recap")
    return b


def test_planned_times_follow_offsets_and_predecessors():
    result = plan(live().graph(), GO_LIVE, "Asia/Shanghai")
    times = {n: (p.planned_start, p.planned_due) for n, p in result.nodes.items()}
    assert times["poster"] == (
        datetime(2026, 6, 15, 20, tzinfo=SHANGHAI),
        datetime(2026, 6, 16, 4, tzinfo=SHANGHAI),
    )
    assert times["setup"][0] == datetime(2026, 6, 18, 18, tzinfo=SHANGHAI)
    # unpinned: starts when setup is due, due 45 minutes later
    assert times["rehearsal"] == (
        datetime(2026, 6, 18, 19, tzinfo=SHANGHAI),
        datetime(2026, 6, 18, 19, 45, tzinfo=SHANGHAI),
    )
    assert result.nodes["show"].start_offset_minutes == 0
    # the coupon cue: first at T+20, last at T+100
    coupon = result.nodes["coupon"]
    assert (coupon.start_offset_minutes, coupon.due_offset_minutes) == (20, 100)
    recap = result.nodes["recap"]  # waits for the show, due at T+120
    assert recap.start_offset_minutes == 120 and recap.due_offset_minutes == 180
    assert str(recap.planned_start.tzinfo) == "Asia/Shanghai"
    assert result.go_live == GO_LIVE


def test_start_node_takes_the_first_pinned_time():
    result = plan(live().graph(), GO_LIVE, "Asia/Shanghai")
    assert result.nodes["start"].start_offset_minutes == -3 * 1440


def test_unpinned_runbook_is_back_scheduled_to_go_live():
    result = plan(load_graph(runbook(30)), GO_LIVE, "UTC")
    # start -> p1 -> p2 -> p3 -> p4..p10 (30 min each): preparation takes 120 minutes
    assert result.nodes["start"].start_offset_minutes == -120
    assert result.nodes["x0001"].start_offset_minutes == 0
    assert result.nodes["r0010"].due_offset_minutes == 5 + 5 + 10 * 20
    assert result.critical_path_to_go_live == ("start", "p0001", "p0002", "p0003", "p0004", "x0001")
    assert result.critical_path_to_end[:6] == ("start", "p0001", "p0002", "p0003", "p0004", "x0001")
    assert result.critical_path_to_end[-2:] == ("r0010", "end")


def test_slack_is_how_late_a_node_may_start():
    result = plan(live().graph(), GO_LIVE, "Asia/Shanghai")
    slack = {n: p.slack_minutes for n, p in result.nodes.items()}
    assert slack["rehearsal"] == 15  # due 19:45, show pinned at 20:00
    assert slack["group"] == 3 * 1440 - 480 - 30  # due long before go-live
    assert slack["setup"] == 15
    assert slack["show"] == 0 and slack["recap"] == 0 and slack["end"] == 0
    # poster must be done before setup at T-2h: it has almost three days in hand
    assert slack["poster"] == (-120) - (-3 * 1440 + 480)


def test_critical_path_is_the_chain_that_decides_the_time():
    result = plan(live().graph(), GO_LIVE, "Asia/Shanghai")
    assert result.critical_path_to_go_live == ("show",)  # pinned: nothing pushes it
    assert result.critical_path_to_end == ("show", "recap", "end")


def test_role_load_counts_overlapping_work():
    b = G().node("start", "start").node("prep", offset=-60, duration=30, role="planner")
    b.node("explain", "task", "execution", role="host", offset=0, duration=60)
    b.node("coupon", "recurring", "execution", role="host", offset=20, every_minutes=20, count=2)
    b.node("wave", "task", "execution", role="host", offset=60, duration=10)  # back to back
    b.node("end", "end", "review").chain("start", "prep", "explain", "wave", "end")
    b.chain("prep", "coupon", "end")
    result = plan(b.graph(), GO_LIVE, "Asia/Shanghai")
    host = result.role_loads["host"]
    assert host.max_overlap == 2
    assert host.steps == ((0, 1), (20, 2), (21, 1), (40, 2), (41, 1), (60, 1), (70, 0))
    [overlap] = result.problems
    assert overlap.code is ProblemCode.ROLE_OVERLAP
    assert overlap.node_ids == ("coupon", "explain")
    assert "host" in overlap.message


def test_no_overlap_warning_outside_execution():
    b = G().node("start", "start").node("a", duration=60).node("b", duration=60)
    b.node("end", "end", "review").chain("start", "a", "end").chain("start", "b", "end")
    result = plan(b.graph(), GO_LIVE, "UTC")
    assert result.role_loads["host"].max_overlap == 2
    assert result.problems == ()


def test_times_are_exact_minutes_across_a_clock_change():
    go_live = datetime(2026, 3, 8, 12, tzinfo=UTC)  # New York springs forward at 2:00
    b = (
        G()
        .node("start", "start", offset=-12 * 60)
        .node("end", "end", "review")
        .chain("start", "end")
    )
    result = plan(b.graph(), go_live, "America/New_York")
    start = result.nodes["start"].planned_start
    assert go_live - start == timedelta(hours=12)
    assert start.utcoffset() == timedelta(hours=-5)


def test_loops_are_left_out_of_the_plan():
    b = G().node("start", "start").node("a").node("b").node("end", "end", "review")
    b.chain("start", "a", "b", "end").edge("b", "a", "loop")
    result = plan(b.graph(), GO_LIVE, "UTC")
    assert result.ignored_edges == ("loop",)
    assert set(result.nodes) == {"start", "a", "b", "end"}


@pytest.mark.parametrize(
    ("go_live", "tz", "field"),
    [
        (datetime(2026, 6, 18, 20), "Asia/Shanghai", "go_live"),
        (GO_LIVE, "Mars/Olympus_Mons", "tz"),
        (GO_LIVE, "../etc/passwd", "tz"),
    ],
)
def test_bad_time_input_is_a_validation_error(go_live, tz, field):
    with pytest.raises(CueflowError) as caught:
        plan(live().graph(), go_live, tz)
    assert caught.value.code is ErrorCode.VALIDATION
    assert caught.value.errors[0].field == field


def test_live_stream_template_plans_without_overlaps():
    result = plan(load_graph(load_template("live_stream")), GO_LIVE, "Asia/Shanghai")
    assert result.problems == ()
    assert result.nodes["opening"].planned_start == GO_LIVE
    assert result.nodes["live_plan"].planned_start == GO_LIVE - timedelta(days=7)
    assert all(p.slack_minutes >= 0 for p in result.nodes.values())
