"""A run moving through its graph: joins, decisions, dead paths, ends and effects."""

from __future__ import annotations

import pytest

from bench.workloads import runbook
from engine.errors import CueflowError, ErrorCode
from engine.model.graph_format import load_graph
from engine.model.run import (
    Advance,
    Arrivals,
    CreateTask,
    InMemoryRun,
    RunView,
    ScheduleCues,
    ScheduleTimer,
    SendNotification,
    on_finished,
    start,
)
from engine.model.run_states import NodeState
from tests.model.builder import GraphBuilder, simple

DONE, SKIPPED, READY, PENDING = (
    NodeState.DONE,
    NodeState.SKIPPED,
    NodeState.READY,
    NodeState.PENDING,
)


def finish_all(run: InMemoryRun) -> list[str]:
    """Finish the open node first in document order until none is left; the order."""
    order = {n.id: i for i, n in enumerate(run.graph.nodes)}
    finished = []
    while run.open_nodes:
        node_id = min(run.open_nodes, key=order.__getitem__)
        run.finish(node_id)
        finished.append(node_id)
    return finished


def diamond(condition_value: int | None) -> InMemoryRun:
    """start -> ask -> decide: big (n >= 100) or small (default) -> merge -> end."""
    b = GraphBuilder().variable("n").node("start", "start").node("ask", "task")
    b.node("decide", "decision").node("big", "task").node("small", "task")
    b.node("merge", "task").node("end", "end", "review")
    b.chain("start", "ask", "decide")
    b.edge("decide", "big", condition={"var": "n", "op": ">=", "value": 100})
    b.edge("decide", "small", default=True)
    b.chain("big", "merge").chain("small", "merge").chain("merge", "end")
    variables = {} if condition_value is None else {"n": condition_value}
    return InMemoryRun(b.graph(), variables=variables)


# ----- start and chains ----------------------------------------------------------------


def test_starting_a_run_finishes_start_and_opens_the_first_task():
    run = InMemoryRun(simple(("prep", "pre_event"), ("show", "execution")).graph())
    advance = run.start()
    assert advance.done == ("start",)
    assert advance.ready == ("prep",)
    assert advance.effects == (CreateTask("prep", "host"),)
    assert advance.taken_edges == ("start->prep",)
    assert advance.arrivals == {"prep": Arrivals(1, 1)}
    assert not advance.run_completed


def test_a_chain_opens_one_task_after_another_and_the_end_completes_the_run():
    run = InMemoryRun(simple(("a", "pre_event"), ("b", "execution"), ("c", "review")).graph())
    run.start()
    assert run.finish("a").ready == ("b",)
    assert run.finish("b").ready == ("c",)
    last = run.finish("c")
    assert last.done == ("c", "end")
    assert last.run_completed
    assert set(run.states.values()) == {DONE}


def test_a_person_skipping_a_task_lets_the_run_go_on():
    run = InMemoryRun(simple(("a", "pre_event"), ("b", "pre_event")).graph())
    run.start()
    advance = run.finish("a", SKIPPED)
    assert advance.skipped == ("a",)
    assert advance.ready == ("b",)
    assert advance.taken_edges == ("a->b",)


# ----- parallel joins ------------------------------------------------------------------


def test_a_parallel_join_waits_for_every_branch():
    b = GraphBuilder().node("start", "start").node("poster", "task").node("group", "task")
    b.node("script", "task").node("rehearse", "task").node("end", "end", "review")
    b.chain("start", "poster", "rehearse", "end").chain("start", "group", "rehearse")
    b.chain("start", "script", "rehearse")
    run = InMemoryRun(b.graph())
    assert run.start().ready == ("poster", "group", "script")
    assert run.finish("group").ready == ()
    assert run.arrivals["rehearse"] == Arrivals(1, 1)
    assert run.finish("poster").ready == ()
    assert run.state("rehearse") is PENDING
    assert run.finish("script").ready == ("rehearse",)


def test_a_join_whose_branch_a_person_skipped_still_opens():
    b = GraphBuilder().node("start", "start").node("a", "task").node("b", "task")
    b.node("join", "task").node("end", "end", "review")
    b.chain("start", "a", "join", "end").chain("start", "b", "join")
    run = InMemoryRun(b.graph())
    run.start()
    run.finish("a", SKIPPED)
    assert run.finish("b").ready == ("join",)


# ----- decisions and dead paths --------------------------------------------------------


def test_a_decision_takes_the_branch_whose_condition_holds():
    run = diamond(500)
    run.start()
    advance = run.finish("ask")
    assert advance.done == ("ask", "decide")
    assert advance.ready == ("big",)
    assert advance.taken_edges == ("ask->decide", "decide->big")
    assert advance.dead_edges == ("decide->small", "small->merge")
    assert advance.skipped == ("small",)  # its only path in is dead
    assert advance.arrivals["merge"] == Arrivals(1, 0)


def test_a_decision_takes_the_default_when_no_condition_holds():
    run = diamond(5)
    run.start()
    advance = run.finish("ask")
    assert advance.ready == ("small",)
    assert advance.skipped == ("big",)


def test_an_unset_variable_makes_a_condition_false_and_the_default_is_taken():
    run = diamond(None)
    run.start()
    assert run.finish("ask").ready == ("small",)


def test_the_join_after_a_decision_opens_once_the_taken_branch_is_done():
    run = diamond(500)
    run.start()
    run.finish("ask")
    assert run.state("merge") is PENDING
    advance = run.finish("big")
    assert advance.ready == ("merge",)
    run.finish("merge")
    assert run.completed
    assert run.states == {
        "start": DONE,
        "ask": DONE,
        "decide": DONE,
        "big": DONE,
        "small": SKIPPED,
        "merge": DONE,
        "end": DONE,
    }


def test_the_first_condition_that_holds_wins_in_document_order():
    b = GraphBuilder().variable("n").node("start", "start").node("decide", "decision")
    b.node("high", "task").node("mid", "task").node("low", "task").node("end", "end", "review")
    b.chain("start", "decide")
    b.edge("decide", "high", condition={"var": "n", "op": ">=", "value": 10})
    b.edge("decide", "mid", condition={"var": "n", "op": ">=", "value": 1})
    b.edge("decide", "low", default=True)
    b.chain("high", "end").chain("mid", "end").chain("low", "end")
    advance = start(b.graph(), {"n": 50})  # both conditions hold: the first one is taken
    assert advance.done == ("start", "decide")
    assert advance.ready == ("high",)
    assert advance.skipped == ("mid", "low")


def test_death_propagates_down_a_dead_branch_and_through_a_second_decision():
    b = GraphBuilder().variable("vip", "bool").node("start", "start").node("d1", "decision")
    b.node("vip_prep", "task").node("d2", "decision").node("gift", "task").node("card", "task")
    b.node("normal", "task").node("end", "end", "review")
    b.chain("start", "d1")
    b.edge("d1", "vip_prep", condition={"var": "vip", "op": "==", "value": True})
    b.edge("d1", "normal", default=True)
    b.chain("vip_prep", "d2")
    b.edge("d2", "gift", condition={"var": "vip", "op": "==", "value": True})
    b.edge("d2", "card", default=True)
    b.chain("gift", "end").chain("card", "end").chain("normal", "end")
    run = InMemoryRun(b.graph(), variables={"vip": False})
    advance = run.start()
    assert advance.ready == ("normal",)
    assert advance.skipped == ("vip_prep", "d2", "gift", "card")
    assert set(advance.dead_edges) == {
        "d1->vip_prep",
        "vip_prep->d2",
        "d2->gift",
        "d2->card",
        "gift->end",
        "card->end",
    }
    assert run.finish("normal").run_completed


def test_a_dead_chain_of_3000_nodes_is_skipped_in_one_step_without_recursion():
    b = GraphBuilder().variable("n").node("start", "start").node("decide", "decision")
    ids = [f"c{i:04d}" for i in range(3000)]
    for node_id in ids:
        b.node(node_id, "task")
    b.node("end", "end", "review").chain("start", "decide")
    b.edge("decide", ids[0], condition={"var": "n", "op": ">", "value": 0})
    b.edge("decide", "end", default=True)
    b.chain(*ids, "end")
    advance = start(b.graph(), {"n": 0})
    assert advance.skipped == tuple(ids)
    assert advance.done == ("start", "decide", "end")
    assert advance.run_completed


# ----- ends ----------------------------------------------------------------------------


def test_the_end_of_the_branch_not_taken_is_skipped_and_the_other_completes_the_run():
    b = GraphBuilder().variable("ok", "bool").node("start", "start").node("decide", "decision")
    b.node("go", "task").node("end_ok", "end", "review").node("end_cancel", "end", "review")
    b.chain("start", "decide")
    b.edge("decide", "go", condition={"var": "ok", "op": "==", "value": True})
    b.edge("decide", "end_cancel", default=True)
    b.chain("go", "end_ok")
    run = InMemoryRun(b.graph(), variables={"ok": True})
    advance = run.start()
    assert advance.skipped == ("end_cancel",)
    assert not advance.run_completed
    assert run.finish("go").run_completed


def test_with_two_ends_in_parallel_the_first_end_reached_completes_the_run():
    b = GraphBuilder().node("start", "start").node("a", "task").node("b", "task")
    b.node("end_a", "end", "review").node("end_b", "end", "review")
    b.chain("start", "a", "end_a").chain("start", "b", "end_b")
    run = InMemoryRun(b.graph())
    run.start()
    assert run.finish("a").run_completed
    assert run.open_nodes == {"b"}  # the executor cancels its task as the run completes


# ----- idempotency and refusals --------------------------------------------------------


def test_finishing_a_node_twice_changes_nothing_the_second_time():
    run = InMemoryRun(simple(("a", "pre_event"), ("b", "pre_event")).graph())
    run.start()
    view = run.view
    first = on_finished(view, "a")
    run.apply(first)
    assert on_finished(run.view, "a") == Advance()
    assert run.arrivals["b"] == Arrivals(1, 1)


def test_a_pending_node_cannot_be_finished():
    run = InMemoryRun(simple(("a", "pre_event"), ("b", "pre_event")).graph())
    run.start()
    with pytest.raises(CueflowError) as caught:
        run.finish("b")
    assert caught.value.code is ErrorCode.NODE_TRANSITION


def test_an_unknown_node_is_not_found():
    run = InMemoryRun(simple(("a", "pre_event")).graph())
    run.start()
    with pytest.raises(CueflowError) as caught:
        run.finish("ghost")
    assert caught.value.code is ErrorCode.NOT_FOUND


def test_an_advance_applied_twice_by_mistake_is_caught_at_the_join():
    b = GraphBuilder().node("start", "start").node("a", "task").node("b", "task")
    b.node("join", "task").node("end", "end", "review")
    b.chain("start", "a", "join", "end").chain("start", "b", "join")
    run = InMemoryRun(b.graph())
    run.start()
    stale = RunView(run.graph, dict(run.states), dict(run.arrivals), {})
    run.finish("a")
    run.finish("b")
    with pytest.raises(CueflowError) as caught:  # a view from before "a" was finished
        on_finished(RunView(run.graph, stale.states, run.arrivals, {}), "a")
    assert caught.value.code is ErrorCode.NODE_TRANSITION


def test_a_graph_without_start_cannot_run():
    with pytest.raises(CueflowError) as caught:
        start(GraphBuilder().node("a", "task").graph())
    assert caught.value.code is ErrorCode.RUNBOOK_HAS_ERRORS


# ----- effects of each kind ------------------------------------------------------------


def test_each_automatic_kind_asks_the_executor_for_its_own_effect():
    b = GraphBuilder().node("start", "start")
    b.node("approve", "approval", role="manager")
    b.node("until", "wait", "execution", mode="until_offset", until_offset_minutes=20)
    b.node("delay", "wait", delay_minutes=15)
    b.node("push", "notify", "execution", offset=30, channel="wecom", message="开播啦")
    b.node("ping", "notify", channel="wecom", message="hi")
    b.node("coupon", "recurring", "execution", offset=0, every_minutes=20, count=3)
    b.node("lottery", "recurring", "execution", every_minutes=30, count=2)
    b.node("end", "end", "review")
    kinds = ["approve", "until", "delay", "push", "ping", "coupon", "lottery"]
    for node_id in kinds:
        b.chain("start", node_id, "end")
    advance = start(b.graph())
    assert advance.ready == tuple(kinds)
    assert advance.effects == (
        CreateTask("approve", "manager"),
        ScheduleTimer("until", at_offset_minutes=20),
        ScheduleTimer("delay", delay_minutes=15),
        SendNotification("push", at_offset_minutes=30),
        SendNotification("ping"),
        ScheduleCues("coupon", (0, 20, 40)),
        ScheduleCues("lottery", None),
    )


# ----- the standard workload -----------------------------------------------------------


@pytest.mark.parametrize("n", [30, 300])
def test_runbook_n_runs_to_its_end_completing_the_smallest_ready_task_each_time(n):
    run = InMemoryRun(load_graph(runbook(n)))
    run.start()
    finished = finish_all(run)
    assert len(finished) == n
    assert finished[:4] == ["p0001", "p0002", "p0003", "p0004"]
    assert run.completed
    assert set(run.states.values()) == {DONE} and len(run.states) == n + 2
    assert not run.dead_edges
