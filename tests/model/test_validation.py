"""Validation answers in the editor's terms: a code, plain words, and the ids concerned."""

from __future__ import annotations

import pytest

from bench.workloads import runbook
from engine.model.graph_format import load_graph
from engine.model.problems import ProblemCode as P
from engine.model.problems import has_errors
from engine.model.validation import validate
from engine.model.vocabulary import Severity
from engine.templates import TEMPLATES, load_template
from tests.model.builder import GraphBuilder as G
from tests.model.builder import simple, three_phases

N_GE_1 = {"var": "n", "op": ">=", "value": 1}


def around(kind: str, phase: str = "execution", *, variables=(), **node) -> G:
    """start -> prep -> x (the node under test) -> recap -> end."""
    b = G()
    for key, type_ in variables:
        b.variable(key, type_)
    b.node("start", "start").node("prep", "task")
    b.node("x", kind, phase, **node).node("recap", "task", "review").node("end", "end", "review")
    return b.chain("start", "prep", "x", "recap", "end")


def decision(*edges: tuple[str, dict | None, bool]) -> G:
    """start -> d (decision) -> a | b -> end; `edges` are the decision's paths."""
    b = G().variable("n").node("start", "start").node("d", "decision")
    b.node("a", "task").node("b", "task").node("end", "end", "review")
    b.chain("start", "d").edge("a", "end").edge("b", "end")
    for target, condition, default in edges:
        b.edge("d", target, condition=condition, default=default)
    return b


def pinned(*nodes: tuple[str, str, int | None, int | None]) -> G:
    """A chain of (id, phase, offset, duration) tasks between start and end."""
    b = G().node("start", "start")
    for node_id, phase, offset, duration in nodes:
        b.node(node_id, "task", phase, offset=offset, duration=duration)
    b.node("end", "end", "review")
    return b.chain("start", *(n[0] for n in nodes), "end")


# name: (builder, expected code, the node ids and edge ids that problem must name)
CASES = {
    "duplicate node id": (
        simple(("a", "pre_event"), ("a", "pre_event")),
        P.DUPLICATE_NODE_ID,
        ["a"],
        [],
    ),
    "duplicate edge id": (
        G()
        .node("start", "start")
        .node("a")
        .node("end", "end", "review")
        .edge("start", "a", "e")
        .edge("a", "end", "e"),
        P.DUPLICATE_EDGE_ID,
        [],
        ["e"],
    ),
    "duplicate variable": (
        three_phases().variable("v").variable("v"),
        P.DUPLICATE_VARIABLE,
        [],
        [],
    ),
    "dangling edge": (
        three_phases().edge("prep", "ghost", "e9"),
        P.DANGLING_EDGE,
        ["prep"],
        ["e9"],
    ),
    "parallel edge": (
        three_phases().edge("prep", "show", "again"),
        P.PARALLEL_EDGE,
        ["prep", "show"],
        ["prep->show", "again"],
    ),
    "no start": (G().node("a").node("end", "end", "review").chain("a", "end"), P.NO_START, [], []),
    "several starts": (
        three_phases().node("start2", "start").edge("start2", "prep"),
        P.MULTIPLE_STARTS,
        ["start", "start2"],
        [],
    ),
    "no end": (G().node("start", "start").node("a").chain("start", "a"), P.NO_END, [], []),
    "start with incoming": (
        three_phases().edge("prep", "start", "back"),
        P.START_HAS_INCOMING,
        ["start"],
        ["back"],
    ),
    "end with outgoing": (
        three_phases().node("after", "task", "review").edge("end", "after", "out"),
        P.END_HAS_OUTGOING,
        ["end"],
        ["out"],
    ),
    "cycle": (
        simple(("a", "pre_event"), ("b", "pre_event"), ("c", "pre_event")).edge("c", "a", "loop"),
        P.CYCLE,
        ["a", "b", "c"],
        ["a->b", "b->c", "loop"],
    ),
    "self loop": (three_phases().edge("prep", "prep", "me"), P.CYCLE, ["prep"], ["me"]),
    "unreachable": (
        three_phases().node("lost", "task").edge("lost", "show"),
        P.UNREACHABLE,
        ["lost"],
        [],
    ),
    "end unreachable": (
        three_phases().node("stuck", "task").edge("prep", "stuck"),
        P.END_UNREACHABLE,
        ["stuck"],
        [],
    ),
    "review to execution": (
        simple(("a", "review"), ("b", "execution")),
        P.BACKWARD_PHASE,
        ["a", "b"],
        ["a->b"],
    ),
    "execution to pre-event": (
        simple(("a", "execution"), ("b", "pre_event")),
        P.BACKWARD_PHASE,
        ["a", "b"],
        ["a->b"],
    ),
    "task without role": (around("task", role=None), P.MISSING_ROLE, ["x"], []),
    "approval without role": (around("approval", role=None), P.MISSING_ROLE, ["x"], []),
    "decision without default": (
        decision(("a", N_GE_1, False), ("b", N_GE_1, False)),
        P.DECISION_DEFAULT,
        ["d"],
        [],
    ),
    "decision with two defaults": (
        decision(("a", None, True), ("b", None, True)),
        P.DECISION_DEFAULT,
        ["d"],
        ["d->a", "d->b"],
    ),
    "default edge with a condition": (
        decision(("a", N_GE_1, True), ("b", N_GE_1, False)),
        P.DECISION_DEFAULT,
        ["d"],
        ["d->a"],
    ),
    "decision edge without condition": (
        decision(("a", None, False), ("b", None, True)),
        P.DECISION_EDGE_WITHOUT_CONDITION,
        ["d"],
        ["d->a"],
    ),
    "single-path decision": (
        decision(("a", None, True)).edge("start", "b"),
        P.DECISION_SINGLE_BRANCH,
        ["d"],
        [],
    ),
    "condition outside a decision": (
        G()
        .variable("n")
        .node("start", "start")
        .node("end", "end", "review")
        .edge("start", "end", "e", condition=N_GE_1),
        P.BRANCH_OUTSIDE_DECISION,
        ["start"],
        ["e"],
    ),
    "condition on unknown variable": (
        decision(("a", {"var": "ghost", "op": "is_set"}, False), ("b", None, True)),
        P.UNKNOWN_VARIABLE,
        ["d"],
        ["d->a"],
    ),
    "condition against unknown variable": (
        decision(
            ("a", {"var": "n", "op": ">", "value": {"var": "ghost"}}, False), ("b", None, True)
        ),
        P.UNKNOWN_VARIABLE,
        ["d"],
        ["d->a"],
    ),
    "condition type mismatch": (
        decision(("a", {"var": "n", "op": "==", "value": "many"}, False), ("b", None, True)),
        P.CONDITION_TYPE_MISMATCH,
        ["d"],
        ["d->a"],
    ),
    "duplicate checklist id": (
        around("task", checklist=[{"id": "c", "text": "1"}, {"id": "c", "text": "2"}]),
        P.TASK_DUPLICATE_KEY,
        ["x"],
        [],
    ),
    "metric target not declared": (
        around("task", metric_fields=[{"key": "gmv", "label": "GMV", "target_variable": "t"}]),
        P.UNKNOWN_TARGET_VARIABLE,
        ["x"],
        [],
    ),
    "field fills an unknown variable": (
        around("task", required_fields=[{"key": "r", "label": "R", "sets_variable": "ghost"}]),
        P.UNKNOWN_SET_VARIABLE,
        ["x"],
        [],
    ),
    "approval records in an unknown variable": (
        around("approval", sets_variable="ghost"),
        P.UNKNOWN_SET_VARIABLE,
        ["x"],
        [],
    ),
    "field fills a variable of another type": (
        around(
            "task",
            variables=[("flag", "bool")],
            required_fields=[{"key": "r", "label": "R", "type": "number", "sets_variable": "flag"}],
        ),
        P.VARIABLE_TYPE_MISMATCH,
        ["x"],
        [],
    ),
    "wait without a delay": (around("wait"), P.WAIT_INCOMPLETE, ["x"], []),
    "wait until without target": (
        around("wait", mode="until_offset"),
        P.WAIT_INCOMPLETE,
        ["x"],
        [],
    ),
    "notify to nobody": (around("notify", message="hi"), P.NOTIFY_NO_RECIPIENT, ["x"], []),
    "notify with empty message": (
        around("notify", channel="wecom"),
        P.NOTIFY_EMPTY_MESSAGE,
        ["x"],
        [],
    ),
    "notify with unknown placeholder": (
        around("notify", channel="wecom", message="GMV {gmv} at {go_live}"),
        P.NOTIFY_UNKNOWN_PLACEHOLDER,
        ["x"],
        [],
    ),
    "recurring without period": (around("recurring", count=3), P.RECURRING_INCOMPLETE, ["x"], []),
    "recurring without bound": (
        around("recurring", every_minutes=20),
        P.RECURRING_UNBOUNDED,
        ["x"],
        [],
    ),
    "recurring in pre-event": (
        around("recurring", "pre_event", every_minutes=20, count=2),
        P.OUTSIDE_PHASE_WINDOW,
        ["x"],
        [],
    ),
    "recurring past the execution window": (
        around("recurring", offset=0, every_minutes=20, until_offset_minutes=200)
        .node("late", "task", "review", offset=180)
        .edge("recap", "late"),
        P.OUTSIDE_PHASE_WINDOW,
        ["x"],
        [],
    ),
    "recurring count past the window": (
        around("recurring", offset=100, every_minutes=30, count=4)
        .node("late", "task", "review", offset=180)
        .edge("recap", "late"),
        P.OUTSIDE_PHASE_WINDOW,
        ["x"],
        [],
    ),
    "pre-event wait after go-live": (
        around("wait", "pre_event", mode="until_offset", until_offset_minutes=30),
        P.OUTSIDE_PHASE_WINDOW,
        ["x"],
        [],
    ),
    "execution wait before go-live": (
        around("wait", mode="until_offset", until_offset_minutes=-10),
        P.OUTSIDE_PHASE_WINDOW,
        ["x"],
        [],
    ),
    "pre-event task at go-live": (
        pinned(("a", "pre_event", 0, 30)),
        P.OUTSIDE_PHASE_WINDOW,
        ["a"],
        [],
    ),
    "execution task before go-live": (
        pinned(("a", "execution", -5, 5)),
        P.OUTSIDE_PHASE_WINDOW,
        ["a"],
        [],
    ),
    "review task before go-live": (
        pinned(("a", "review", -60, 5)),
        P.OUTSIDE_PHASE_WINDOW,
        ["a"],
        [],
    ),
    "execution task after review starts": (
        pinned(("a", "execution", 200, 5), ("b", "review", 180, 5)),
        P.OUTSIDE_PHASE_WINDOW,
        ["a"],
        [],
    ),
    "successor planned before predecessor is due": (
        pinned(("a", "pre_event", -120, 60), ("b", "pre_event", -90, 10)),
        P.OFFSET_ORDER,
        ["a", "b"],
        ["a->b"],
    ),
    "task with no duration": (
        pinned(("a", "pre_event", None, None)),
        P.TASK_NO_DURATION,
        ["a"],
        [],
    ),
    "custom role used once": (around("task", role="hots"), P.ROLE_USED_ONCE, ["x"], []),
    "execution node without offset": (three_phases(), P.NO_OFFSET_IN_EXECUTION, ["show"], []),
}


@pytest.mark.parametrize("name", list(CASES))
def test_problem_is_reported_with_its_ids(name):
    builder, code, node_ids, edge_ids = CASES[name]
    problems = [p for p in validate(builder.graph()) if p.code is code]
    assert problems, f"expected {code}, got {[p.code for p in validate(builder.graph())]}"
    assert any(
        sorted(p.node_ids) == sorted(node_ids) and sorted(p.edge_ids) == sorted(edge_ids)
        for p in problems
    ), problems
    assert all(p.message and "{" not in p.message[:1] for p in problems)


def test_every_problem_code_has_a_case():
    covered = {code for _, code, _, _ in CASES.values()} | {P.ROLE_OVERLAP}  # see test_schedule
    assert covered == set(P)


def test_a_clean_runbook_has_no_problem():
    graph = pinned(("a", "pre_event", -60, 30), ("b", "execution", 0, 30), ("c", "review", 60, 30))
    assert validate(graph.graph()) == []


def test_cycle_names_its_nodes_in_order():
    graph = simple(("a", "pre_event"), ("b", "pre_event"), ("c", "pre_event")).edge(
        "c", "a", "loop"
    )
    [cycle] = [p for p in validate(graph.graph()) if p.code is P.CYCLE]
    assert cycle.node_ids == ("a", "b", "c")
    assert "a → b → c → a" in cycle.message


def test_two_separate_loops_are_two_problems():
    graph = simple(*[(n, "pre_event") for n in "abcd"]).edge("b", "a", "l1").edge("d", "c", "l2")
    cycles = [p for p in validate(graph.graph()) if p.code is P.CYCLE]
    assert [c.node_ids for c in cycles] == [("a", "b"), ("c", "d")]


def test_warnings_do_not_count_as_errors():
    problems = validate(three_phases().graph())
    assert problems and all(p.severity is Severity.WARNING for p in problems)
    assert not has_errors(problems)


def test_known_roles_used_once_are_fine():
    problems = validate(around("task", role="designer").graph())
    assert P.ROLE_USED_ONCE not in {p.code for p in problems}


@pytest.mark.parametrize("n", [30, 300, 3000])
def test_runbook_n_validates_without_errors(n):
    assert not has_errors(validate(load_graph(runbook(n))))


@pytest.mark.parametrize("key", [t.key for t in TEMPLATES])
def test_templates_have_no_problem_at_all(key):
    assert validate(load_graph(load_template(key))) == []


def test_problems_serialise_for_the_api():
    [problem] = [p for p in validate(three_phases().graph())]
    assert problem.as_dict() == {
        "code": "node.no_offset_in_execution",
        "message": problem.message,
        "severity": "warning",
        "node_ids": ["show"],
        "edge_ids": [],
    }
