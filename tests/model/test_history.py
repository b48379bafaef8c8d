"""Three runs of one runbook: which nodes are late most often, how long they really take,
and the durations suggested to the planner, applied to the draft in one action."""

from __future__ import annotations

import heapq
from dataclasses import replace
from datetime import datetime

import pytest

from bench._recorded_run import RecordedRun
from engine.model.graph import Graph
from engine.model.graph_format import dump_graph, load_graph
from engine.model.history import (
    actuals_from_dict,
    actuals_of,
    apply_suggestions,
    runbook_history,
    suggested_duration,
    suggestion_edits,
)
from engine.model.postmortem import PostMortem, analyse
from tests.model.live_stream_run import ROSTER, TARGETS, T, facts_of, live_stream

PEOPLE = {"assistant": 2, "operator": 3, "host": 1, "manager": 9}
METRICS = {
    "show": {"viewers": 50000},
    "flash": {"orders": 900},
    "recap": {"gmv": 800000, "roi": 2.5, "repurchase": 15},
}

# Minutes each task really took (claimed when ready). Planned: plan 60, poster 120,
# warm-up 90, rehearse 30, go 10, show 120, flash 30, recap 60.
TASKS = ("plan", "poster", "warmup", "rehearse", "go", "show", "flash", "recap")
RUNS = [
    dict(zip(TASKS, minutes, strict=True))
    for minutes in [
        (70, 150, 90, 30, 10, 120, 30, 60),
        (65, 140, 80, 25, 10, 120, 35, 90),
        (60, 160, 85, 20, 10, 120, 30, 45),
    ]
]


def simulate(graph: Graph, minutes: dict[str, int]) -> PostMortem:
    """Start at the planned T-220; each task is claimed when ready and completed after its
    minutes, in the order the clock reaches them."""
    run = RecordedRun(graph, ROSTER, TARGETS)
    due: list[tuple[datetime, str]] = []

    def ready(advance, at: datetime) -> None:
        for node_id in advance.ready:
            run.claim(node_id, PEOPLE[graph.node_by_id[node_id].role], at)
            heapq.heappush(due, (at + (T(minutes[node_id]) - T(0)), node_id))

    ready(run.start(T(-220)), T(-220))
    while due:
        at, node_id = heapq.heappop(due)
        user = PEOPLE[graph.node_by_id[node_id].role]
        ready(run.complete(node_id, user, at, metrics=METRICS.get(node_id)), at)
    assert run.status == "completed"
    return analyse(facts_of(run))


@pytest.fixture(scope="module")
def postmortems() -> list[PostMortem]:
    graph = live_stream()
    return [simulate(graph, minutes) for minutes in RUNS]


def test_each_run_contributes_its_judged_nodes(postmortems):
    # run 1: poster took 30 minutes more and everything after it is 40 late
    lateness = [
        {a.node_id: a.lateness_minutes for a in actuals_of(i, pm).nodes}
        for i, pm in enumerate(postmortems, 1)
    ]
    assert lateness == [
        dict(plan=10, poster=40, warmup=10, rehearse=40, go=40, show=40, flash=40, recap=40),
        dict(plan=5, poster=25, warmup=-5, rehearse=20, go=20, show=20, flash=25, recap=50),
        dict(plan=0, poster=40, warmup=-5, rehearse=30, go=30, show=30, flash=30, recap=15),
    ]
    for i, pm in enumerate(postmortems, 1):
        assert actuals_from_dict(i, pm.as_dict()) == actuals_of(i, pm)


def test_nodes_late_most_often_and_by_how_much(postmortems):
    history = runbook_history([actuals_of(i, pm) for i, pm in enumerate(postmortems, 1)])
    assert history.runs == 3
    rows = [
        (
            n.node_id,
            n.runs_seen,
            n.late_count,
            n.late_percent,
            n.mean_late_minutes,
            n.median_lateness_minutes,
            n.worst_lateness_minutes,
        )
        for n in history.nodes
    ]
    assert rows == [
        ("poster", 3, 3, 100.0, 35.0, 40.0, 40.0),
        ("recap", 3, 3, 100.0, 35.0, 40.0, 50.0),
        ("flash", 3, 3, 100.0, 31.7, 30.0, 40.0),
        ("go", 3, 3, 100.0, 30.0, 30.0, 40.0),
        ("rehearse", 3, 3, 100.0, 30.0, 30.0, 40.0),
        ("show", 3, 3, 100.0, 30.0, 30.0, 40.0),
        ("plan", 3, 2, 66.7, 7.5, 5.0, 10.0),  # 0, +5, +10: the late ones by 7.5
        ("warmup", 3, 1, 33.3, 10.0, -5.0, 10.0),  # -5, -5, +10: never a mean of 0
    ]


def test_median_durations_against_the_plan_and_the_suggestions(postmortems):
    history = runbook_history([actuals_of(i, pm) for i, pm in enumerate(postmortems, 1)])
    durations = {
        n.node_id: (n.median_actual_minutes, n.planned_minutes, n.suggested_minutes)
        for n in history.nodes
    }
    assert durations == {
        "plan": (65, 60, None),  # within 10 % of the plan
        "poster": (150, 120, 150),
        "warmup": (85, 90, None),
        "rehearse": (25, 30, 25),  # shorter than planned by more than 10 %
        "go": (10, 10, None),
        "show": (120, 120, None),
        "flash": (30, 30, None),
        "recap": (60, 60, None),  # 45, 60, 90: the median holds
    }
    assert [(s.node_id, s.suggested_minutes, s.runs) for s in history.suggestions] == [
        ("poster", 150, 3),
        ("rehearse", 25, 3),
    ]
    assert suggestion_edits(history.suggestions) == [
        ("poster", {"duration_minutes": 150}),
        ("rehearse", {"duration_minutes": 25}),
    ]


def test_the_planner_applies_the_suggestions_to_the_draft_in_one_action(postmortems):
    draft = live_stream()
    runs = [actuals_of(i, pm) for i, pm in enumerate(postmortems, 1)]
    history = runbook_history(runs, draft)
    doc = apply_suggestions(dump_graph(draft), history.suggestions)
    durations = {n["id"]: n["duration_minutes"] for n in doc["nodes"]}
    assert (durations["poster"], durations["rehearse"], durations["plan"]) == (150, 25, 60)
    # the next history, against the new draft, has nothing more to suggest for them
    again = runbook_history(runs, load_graph(doc))
    assert again.suggestions == ()


def test_suggestions_follow_the_draft_and_need_two_runs(postmortems):
    runs = [actuals_of(i, pm) for i, pm in enumerate(postmortems, 1)]
    draft = live_stream()
    nodes = tuple(n for n in draft.nodes if n.id != "rehearse")
    edges = tuple(e for e in draft.edges if "rehearse" not in (e.source, e.target))
    without = replace(draft, nodes=nodes, edges=edges)
    history = runbook_history(runs, without)
    assert [s.node_id for s in history.suggestions] == ["poster"]
    assert "rehearse" not in {n.node_id for n in history.nodes}
    assert runbook_history(runs[:1]).suggestions == ()


@pytest.mark.parametrize(
    ("median", "planned", "runs", "suggested"),
    [
        (27.5, 20, 2, 30),  # rounded up to 5 minutes
        (22.0, 20, 2, None),  # within 10 %
        (22.1, 20, 2, 25),
        (3.0, None, 2, 5),  # nothing planned: at least 5
        (0.0, None, 2, None),
        (41.0, 40, 5, None),
        (50.0, 40, 1, None),  # one run is not a pattern
        (36.0, 40, 2, None),  # rounds back up to the plan
    ],
)
def test_the_suggestion_rule(median, planned, runs, suggested):
    assert suggested_duration(median, planned, runs) == suggested


def test_as_dict(postmortems):
    history = runbook_history([actuals_of(i, pm) for i, pm in enumerate(postmortems, 1)])
    doc = history.as_dict()
    assert doc["runs"] == 3
    assert doc["suggestions"][0] == {
        "node_id": "poster",
        "title": "Poster",
        "planned_minutes": 120.0,
        "median_actual_minutes": 150.0,
        "suggested_minutes": 150,
        "runs": 3,
    }
