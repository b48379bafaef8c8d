"""A small live-stream runbook with a parallel join, an approval and metric fields with
targets, its team and targets, and the facts of a run of it: for the post-mortem tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bench._recorded_run import RecordedRun
from engine.model.graph import Graph
from engine.model.postmortem import RunFacts
from engine.model.schedule import plan
from tests.model.builder import GraphBuilder

GO_LIVE = datetime(2026, 6, 18, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai
TZ = "Asia/Shanghai"
LI, WANG, ZHANG, CHEN, LIU = 1, 2, 3, 4, 9
NAMES = {LI: "Li Na", WANG: "Wang Fang", ZHANG: "Zhang Wei", CHEN: "Chen Jie", LIU: "Liu Min"}
ROSTER = {
    "host": [LI],
    "assistant": [WANG],
    "operator": [ZHANG],
    "controller": [CHEN],
    "manager": [LIU],
}
TARGETS = {
    "viewers_target": 60000,
    "orders_target": 1000,
    "gmv_target": 1000000,
    "repurchase_target": 20,
}


def T(minutes: float) -> datetime:
    """A time relative to go-live, as the runbook speaks: T(-15) is T-15min."""
    return GO_LIVE + timedelta(minutes=minutes)


def metric(key: str, label: str, type_: str, target: str | None = None, unit: str = ""):
    return {"key": key, "label": label, "type": type_, "target_variable": target, "unit": unit}


def live_stream() -> Graph:
    """plan -> (poster | warm-up) -> rehearse -> go/no-go -> (show | flash sale) -> recap.

    Planned (minutes from go-live): start -220; plan -220..-160; poster -160..-40;
    warm-up -160..-70; rehearse -40..-10; go -10..0; show 0..120; flash 0..30;
    recap 120..180; end 180.
    """
    b = GraphBuilder()
    for key in TARGETS:
        b.variable(key)
    tick = [{"id": "ok", "text": "Done"}]
    b.node("start", "start")
    b.node("plan", role="assistant", duration=60, title="直播方案", checklist=tick)
    b.node("poster", role="assistant", duration=120, title="Poster", checklist=tick)
    b.node("warmup", role="operator", duration=90, title="Warm-up", checklist=tick)
    b.node("rehearse", role="host", duration=30, title="Rehearse", checklist=tick)
    b.node("go", "approval", role="manager", duration=10, title="Go / no-go")
    b.node(
        "show",
        "task",
        "execution",
        role="host",
        duration=120,
        title="Show",
        metric_fields=[metric("viewers", "Viewers", "integer", "viewers_target")],
    )
    b.node(
        "flash",
        "task",
        "execution",
        role="operator",
        duration=30,
        title="Flash sale 秒杀",
        metric_fields=[metric("orders", "Orders", "integer", "orders_target")],
    )
    b.node(
        "recap",
        "task",
        "review",
        role="assistant",
        duration=60,
        title="Data review",
        metric_fields=[
            metric("gmv", "GMV", "money", "gmv_target", unit="CNY"),
            metric("roi", "ROI", "number"),
            metric("repurchase", "Repurchase rate", "percent", "repurchase_target", unit="%"),
        ],
    )
    b.node("end", "end", "review")
    b.chain("start", "plan", "poster", "rehearse", "go", "show", "recap", "end")
    b.chain("plan", "warmup", "rehearse").chain("go", "flash", "recap")
    graph = b.graph()  # edge ids as the document format allows them, so drafts load
    return replace(graph, edges=tuple(replace(e, id=e.id.replace("->", "-")) for e in graph.edges))


def facts_of(run: RecordedRun, **changes) -> RunFacts:
    planned = plan(run.graph, GO_LIVE, TZ)
    values = {
        "graph": run.graph,
        "go_live": GO_LIVE,
        "tz": TZ,
        "planned": {n: (p.planned_start, p.planned_due) for n, p in planned.nodes.items()},
        "events": tuple(run.events),
        "variables": run.run.variables,
        "roster": ROSTER,
        "names": NAMES,
    }
    return RunFacts(**{**values, **changes})
