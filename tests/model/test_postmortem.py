"""The post-mortem of a live-stream run driven end to end, with late and early tasks,
a reassignment, problems, a reworked figure, and every figure checked exactly."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest

from bench._recorded_run import RecordedRun
from bench.workloads import runbook
from engine.model.graph import Graph
from engine.model.graph_format import load_graph
from engine.model.postmortem import PostMortem, analyse, replay_node_states
from engine.model.run_states import NodeState, TaskAction
from engine.model.schedule import plan
from tests.model.builder import GraphBuilder
from tests.model.live_stream_run import (
    CHEN,
    GO_LIVE,
    LI,
    LIU,
    NAMES,
    ROSTER,
    TARGETS,
    TZ,
    WANG,
    ZHANG,
    T,
    facts_of,
    live_stream,
)


def drive(graph: Graph, check_replay=None) -> RecordedRun:
    """The run as it happened. Lateness (minutes): plan +10, poster +25 (done by Chen,
    reassigned), warm-up -10, rehearse 0, go +3, show -2, flash +5 (its orders reworked
    later), recap +26."""
    run = RecordedRun(graph, ROSTER, TARGETS)
    run.create(T(-1440), GO_LIVE, actor_id=LIU)
    run.start(T(-220), actor_id=LIU)
    run.claim("plan", WANG, T(-215))
    run.complete("plan", WANG, T(-150))
    run.act("poster", TaskAction.REASSIGN, LIU, T(-145), assignee_id=CHEN)
    run.claim("warmup", ZHANG, T(-140))
    run.act(
        "warmup",
        TaskAction.REPORT_PROBLEM,
        ZHANG,
        T(-120),
        note="Coupon template rejected by the platform",
    )
    run.act("warmup", TaskAction.RESOLVE_PROBLEM, LIU, T(-100), note="Used last week's template")
    run.complete("warmup", ZHANG, T(-80))
    run.complete("poster", CHEN, T(-15))
    run.act(
        "rehearse", TaskAction.REPORT_PROBLEM, LI, T(-14), note="Mic battery low", blocking=False
    )
    run.complete("rehearse", LI, T(-10), note="Spare battery in")
    run.complete("go", LIU, T(3), approved=True)
    run.claim("show", LI, T(3))
    run.claim("flash", ZHANG, T(5))
    if check_replay:
        check_replay(run)
    run.act(
        "flash", TaskAction.REPORT_PROBLEM, CHEN, T(10), note="Comments flooded", blocking=False
    )
    run.complete("flash", ZHANG, T(35), metrics={"orders": 1180}, note="Sale closed")
    run.act("flash", TaskAction.REOPEN, LIU, T(60), note="Count cancelled orders out")
    run.complete("flash", ZHANG, T(70), metrics={"orders": 1234})
    run.complete("show", LI, T(118), metrics={"viewers": 45000})
    run.claim("recap", WANG, T(130))
    run.complete("recap", WANG, T(206), metrics={"gmv": 912345.67, "roi": 3.2, "repurchase": 12.5})
    return run


@pytest.fixture(scope="module")
def report() -> PostMortem:
    return analyse(facts_of(drive(live_stream())))


# ----- the log is the record -----------------------------------------------------------


def test_node_states_rebuilt_from_the_events_alone_equal_the_live_ones():
    seen = []

    def mid_show(run: RecordedRun) -> None:
        states = replay_node_states(run.events)
        assert states == run.node_states  # the live rows, show and flash active
        assert states["show"] is states["flash"] is NodeState.ACTIVE
        assert "recap" not in states  # pending: nothing was written about it yet
        seen.append(True)

    run = drive(live_stream(), check_replay=mid_show)
    assert seen
    assert replay_node_states(run.events) == run.run.states == run.node_states
    assert set(run.run.states.values()) == {NodeState.DONE}


def test_replay_lists_every_node_asked_for_as_the_live_table_does():
    run = RecordedRun(live_stream(), ROSTER, TARGETS)
    run.start(T(-220))
    run.claim("plan", WANG, T(-215))
    every = [n.id for n in live_stream().nodes]
    states = replay_node_states(run.events, every)
    assert list(states) == every
    assert (states["start"], states["plan"], states["end"]) == ("done", "active", "pending")


@pytest.mark.parametrize("seed", range(5))
def test_replay_matches_the_live_rows_after_every_event_of_a_shuffled_run(seed):
    rng = random.Random(seed)
    graph = load_graph(runbook(30))
    run = RecordedRun(graph, {"host": [1], "assistant": [2], "operator": [3], "controller": [4]})
    now = GO_LIVE
    run.start(now)
    while run.status == "running":
        now += timedelta(minutes=rng.randint(1, 40))
        node_id = rng.choice(sorted(run.tasks))
        task, roll = run.tasks[node_id], rng.random()
        if task.status in ("done", "skipped"):
            if roll < 0.1:
                run.act(node_id, TaskAction.REOPEN, 9, now)
        elif task.status == "open" and roll < 0.4:
            run.claim(node_id, 1, now)
        elif roll < 0.5:
            run.act(node_id, TaskAction.REASSIGN, 9, now, assignee_id=2)  # the node stays
        elif task.status == "claimed" and roll < 0.6:
            run.act(node_id, TaskAction.UNCLAIM, 1, now)
        elif roll < 0.65:
            run.act(node_id, TaskAction.SKIP, 9, now)
        else:
            run.complete(node_id, 1, now)
        assert replay_node_states(run.events) == run.node_states
    assert replay_node_states(run.events) == run.run.states
    assert {"task.reassign", "task.unclaim", "task.reopen"} <= {e.kind for e in run.events}


# ----- times, lateness and the on-time rate --------------------------------------------


def test_every_node_has_its_planned_and_actual_times(report):
    by_id = {t.node_id: t for t in report.nodes}
    assert [t.node_id for t in report.nodes] == [n.id for n in live_stream().nodes]
    show = by_id["show"]
    assert (show.planned_start, show.planned_due) == (T(0), T(120))
    assert (show.ready_at, show.started_at, show.finished_at) == (T(3), T(3), T(118))
    assert (show.planned_minutes, show.actual_minutes, show.lateness_minutes) == (120, 115, -2)
    assert show.on_time and show.judged and show.completed_by == LI and show.state == "done"
    # ticked off without a claim: it started when it became ready
    rehearse = by_id["rehearse"]
    assert (rehearse.started_at, rehearse.actual_minutes, rehearse.lateness_minutes) == (
        T(-15),
        5,
        0,
    )
    assert rehearse.on_time  # finished exactly at its due: on time
    # reworked after reopening: the first completion finished it, the figures are the last
    flash = by_id["flash"]
    assert (flash.finished_at, flash.lateness_minutes, flash.reopened) == (T(35), 5, 1)
    # reassigned, never claimed: Chen completed it
    poster = by_id["poster"]
    assert (poster.completed_by, poster.actual_minutes, poster.lateness_minutes) == (CHEN, 135, 25)
    # start and end are done at once: not judged, but timed
    start, end = by_id["start"], by_id["end"]
    assert (start.ready_at, start.finished_at, start.lateness_minutes) == (T(-220), T(-220), 0)
    assert (end.finished_at, end.lateness_minutes, end.judged) == (T(206), 26, False)


def test_lateness_per_node_and_the_on_time_rate(report):
    lateness = {t.node_id: t.lateness_minutes for t in report.nodes if t.judged}
    assert lateness == {
        "plan": 10,
        "poster": 25,
        "warmup": -10,
        "rehearse": 0,
        "go": 3,
        "show": -2,
        "flash": 5,
        "recap": 26,
    }
    rate = report.on_time
    assert (rate.on_time, rate.judged, rate.late) == (3, 8, 5)  # warm-up, rehearse, show
    assert rate.percent == 37.5


def test_lateness_per_role_is_by_the_node_role(report):
    rows = {r.key: r for r in report.by_role}
    assert list(rows) == ["assistant", "host", "manager", "operator"]
    assistant = rows["assistant"]  # plan +10, poster +25, recap +26
    assert (assistant.judged, assistant.on_time, assistant.late) == (3, 0, 3)
    assert (assistant.mean_late_minutes, assistant.total_late_minutes) == (20.3, 61)
    assert (assistant.early, assistant.mean_early_minutes) == (0, None)
    assert (assistant.worst_node_id, assistant.worst_lateness_minutes) == ("recap", 26)
    assert assistant.on_time_percent == 0
    operator = rows["operator"]  # warm-up -10, flash +5
    assert (operator.judged, operator.on_time, operator.on_time_percent) == (2, 1, 50)
    # One late by 5 and one early by 10: "1 late by 5 min, 1 early by 10", not a mean of -2.5.
    assert (operator.late, operator.mean_late_minutes, operator.total_late_minutes) == (1, 5, 5)
    assert (operator.early, operator.mean_early_minutes) == (1, 10)
    host = rows["host"]  # rehearse 0, show -2: worst is the first of the largest
    assert (host.on_time, host.mean_late_minutes, host.worst_node_id) == (2, None, "rehearse")
    assert (host.early, host.mean_early_minutes) == (1, 2)
    assert (rows["manager"].late, rows["manager"].mean_late_minutes) == (1, 3)


def test_lateness_per_person_is_by_who_completed_the_task(report):
    rows = {r.key: (r.name, r.judged, r.on_time, r.mean_late_minutes) for r in report.by_person}
    assert rows == {
        LI: ("Li Na", 2, 2, None),
        WANG: ("Wang Fang", 2, 0, 18),  # plan +10, recap +26
        ZHANG: ("Zhang Wei", 2, 1, 5),
        CHEN: ("Chen Jie", 1, 0, 25),  # the poster, handed to him by the manager
        LIU: ("Liu Min", 1, 0, 3),
    }
    assert [r.key for r in report.by_person] == [LI, WANG, ZHANG, CHEN, LIU]
    assert report.people == NAMES


# ----- the critical path as it happened ------------------------------------------------


def test_the_critical_path_follows_the_predecessor_that_finished_last(report):
    path = report.critical_path
    # poster (T-15) held rehearse, not warm-up (T-80); show (T+118) held recap, not flash
    assert [s.node_id for s in path] == [
        "start",
        "plan",
        "poster",
        "rehearse",
        "go",
        "show",
        "recap",
        "end",
    ]
    assert [s.lateness_minutes for s in path] == [0, 10, 25, 0, 3, -2, 26, 26]
    assert [s.lost_minutes for s in path] == [0, 10, 15, -25, 3, -5, 28, 0]
    assert sum(s.lost_minutes for s in path) == path[-1].lateness_minutes
    assert [s.buffer_left_minutes for s in path] == [220, 150, 15, 10, -3, -118, -206, -206]


def test_where_the_slack_to_go_live_was_lost(report):
    slack = report.go_live_slack
    # show and flash became ready together at T+3; ties go to the smaller id, as planned
    assert (slack.milestone_id, slack.milestone_ready_at) == ("flash", T(3))
    assert [s.node_id for s in slack.steps] == ["start", "plan", "poster", "rehearse", "go"]
    assert [s.lost_minutes for s in slack.steps] == [0, 10, 15, -25, 3]
    assert (slack.planned_margin_minutes, slack.actual_margin_minutes) == (0, -3)
    assert slack.lost_minutes == 3
    assert slack.most_lost_node_id == "poster"


# ----- metrics against targets ---------------------------------------------------------


def test_every_metric_is_held_against_its_target_and_tied_to_its_node(report):
    rows = [
        (m.node_id, m.key, m.actual, m.target, m.achievement_percent, m.entered_by)
        for m in report.metrics
    ]
    assert rows == [
        ("show", "viewers", 45000, 60000, 75.0, LI),
        ("flash", "orders", 1234, 1000, 123.4, ZHANG),  # the reworked figure stands
        ("recap", "gmv", 912345.67, 1000000, 91.2, WANG),
        ("recap", "roi", 3.2, None, None, WANG),
        ("recap", "repurchase", 12.5, 20, 62.5, WANG),
    ]
    flash = report.metrics[1]
    assert (flash.node_title, flash.phase, flash.entered_at) == (
        "Flash sale 秒杀",
        "execution",
        T(70),
    )
    assert (report.metrics[2].unit, report.metrics[2].type) == ("CNY", "money")
    assert report.unfilled_metrics == ()


# ----- problems ------------------------------------------------------------------------


def test_problems_with_who_reported_them_and_how_they_ended(report):
    rows = [
        (
            p.node_id,
            p.reported_by,
            p.reported_at,
            p.text,
            p.blocking,
            p.resolution and (p.resolution.how, p.resolution.by, p.resolution.at),
            p.resolution and (p.resolution.text, p.resolution.minutes_open),
        )
        for p in report.problems
    ]
    assert rows == [
        (
            "warmup",
            ZHANG,
            T(-120),
            "Coupon template rejected by the platform",
            True,
            ("resolved", LIU, T(-100)),
            ("Used last week's template", 20),
        ),
        (
            "rehearse",
            LI,
            T(-14),
            "Mic battery low",
            False,
            ("completed", LI, T(-10)),
            ("Spare battery in", 4),
        ),
        (
            "flash",
            CHEN,
            T(10),
            "Comments flooded",
            False,
            ("completed", ZHANG, T(35)),
            ("Sale closed", 25),
        ),
    ]


def test_the_run_itself(report):
    assert (report.status, report.started_at, report.ended_at) == ("completed", T(-220), T(206))
    # run create/start/complete 3, node.* 18, task.open 8, claims 5, completions 9 (flash
    # twice), reassign 1, problem reports 3, resolve 1, reopen 1
    assert report.event_count == 49
    assert report.go_live_changes == ()


# ----- other runs ----------------------------------------------------------------------


def test_a_cancelled_run_leaves_open_work_unjudged_and_problems_unresolved():
    run = RecordedRun(live_stream(), ROSTER, TARGETS)
    run.start(T(-220))
    run.complete("plan", WANG, T(-160))
    run.claim("warmup", ZHANG, T(-150))
    run.act("warmup", TaskAction.REPORT_PROBLEM, ZHANG, T(-130), note="Platform down")
    run.cancel(T(-100), actor_id=LIU)
    result = analyse(facts_of(run))
    assert result.status == "cancelled" and result.ended_at == T(-100)
    assert (result.on_time.judged, result.on_time.on_time, result.on_time.percent) == (1, 1, 100)
    warmup = next(t for t in result.nodes if t.node_id == "warmup")
    assert (warmup.state, warmup.finished_at, warmup.judged) == ("active", None, False)
    [problem] = result.problems
    assert (problem.blocking, problem.resolution) == (True, None)
    assert [s.node_id for s in result.critical_path] == ["start", "plan"]
    assert result.go_live_slack is None  # the show never began
    assert [(m.node_id, m.key) for m in result.unfilled_metrics] == [
        ("show", "viewers"),
        ("flash", "orders"),
        ("recap", "gmv"),
        ("recap", "roi"),
        ("recap", "repurchase"),
    ]


def test_skipped_work_is_not_judged_and_a_dead_path_has_no_lateness():
    b = GraphBuilder().variable("n").node("start", "start").node("ask").node("decide", "decision")
    b.node("big").node("small").node("merge").node("end", "end", "review")
    b.chain("start", "ask", "decide").chain("big", "merge").chain("small", "merge", "end")
    b.edge("decide", "big", condition={"var": "n", "op": ">=", "value": 100})
    b.edge("decide", "small", default=True)
    # planned: ask -90..-60, big and small -60..-30, merge -30..0 (30 minutes each)
    run = RecordedRun(b.graph(), {"host": [LI]}, {"n": 5})
    run.start(T(-90))
    run.complete("ask", LI, T(-60))  # the decision takes small; big is on a dead path
    run.act("small", TaskAction.SKIP, LIU, T(-20), note="Not needed this time")
    run.complete("merge", LI, T(0))
    result = analyse(facts_of(run, roster={"host": [LI]}))
    nodes = {t.node_id: (t.state, t.lateness_minutes, t.judged) for t in result.nodes}
    assert nodes["big"] == ("skipped", None, False)
    assert nodes["small"] == ("skipped", 10, False)  # skipped 10 minutes after its due
    assert (result.on_time.judged, result.on_time.on_time) == (2, 2)  # ask and merge
    path = result.critical_path  # small (skipped at T-20) held merge, not big (dead at T-60)
    assert [s.node_id for s in path] == ["start", "ask", "decide", "small", "merge", "end"]
    assert [s.lost_minutes for s in path] == [0, 0, 0, 10, -10, 0]
    assert result.go_live_slack is None  # no execution phase


def test_a_late_advance_does_not_move_a_finish_and_a_plan_object_is_accepted():
    run = RecordedRun(live_stream(), ROSTER, TARGETS)
    run.start(T(-220))
    run.complete("plan", WANG, T(-160), advance_at=T(-150))  # the worker was slow
    moved = GO_LIVE + timedelta(hours=1)
    run.move_go_live(T(-155), GO_LIVE, moved, actor_id=LIU)
    result = analyse(facts_of(run, go_live=moved, planned=plan(run.graph, moved, TZ)))
    plan_node = next(t for t in result.nodes if t.node_id == "plan")
    assert (plan_node.finished_at, plan_node.lateness_minutes) == (T(-160), -60)
    poster = next(t for t in result.nodes if t.node_id == "poster")
    assert poster.ready_at == T(-150)
    [change] = result.go_live_changes
    assert (change.at, change.old, change.new) == (T(-155), GO_LIVE, moved)


def test_as_dict_is_json_in_the_run_time_zone(report):
    doc = report.as_dict()
    assert json.loads(json.dumps(doc)) == doc
    assert doc["go_live"] == "2026-06-18T20:00:00+08:00"
    show = next(n for n in doc["nodes"] if n["node_id"] == "show")
    assert show["finished_at"] == "2026-06-18T21:58:00+08:00"
    assert doc["people"]["2"] == "Wang Fang"
    assert doc["problems"][0]["resolution"]["how"] == "resolved"
    assert doc["go_live_slack"]["steps"][2]["lost_minutes"] == 15
    assert doc["on_time"] == {"judged": 8, "on_time": 3, "late": 5, "percent": 37.5}


def test_events_out_of_id_order_are_read_in_id_order():
    run = drive(live_stream())
    shuffled = list(reversed(run.events))
    assert analyse(facts_of(run, events=tuple(shuffled))) == analyse(facts_of(run))
