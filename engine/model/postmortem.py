"""The post-mortem (复盘) of a run, from its events and its plan: planned against actual
times, lateness by node, role and person, the critical path as it happened and where
the slack to go-live went, metrics against targets, and the problems raised.

Pure: the caller loads the run's facts (`RunFacts`) and calls `analyse`. One pass over
the events (engine.model.run_log, which says how each time is read) and a few over the
graph, so the cost grows with the events and nodes of the run and nothing else.

The rules, in plain words. Minutes are real elapsed minutes, to 0.1, halves away from
zero; percentages likewise to 0.1. Lateness is positive when late.

- Planned: each node's planned start and due as the run holds them (its plan, moved
  with go-live). planned minutes = due - start; actual minutes = finished - started.
- lateness = finished - planned due, for a node that was done or that a person skipped
  (a node skipped on a dead path never ran: it has none). On time: finished no later
  than planned due plus `ON_TIME_TOLERANCE_MINUTES`.
- Judged nodes: a task or approval that was done (completed; not skipped, not left
  open) and has a planned due. Only they count in the on-time rate and in lateness per
  role and per person; every node still shows its times.
- On-time rate: judged nodes on time / judged nodes.
- Per role: the node's role. Per person: who completed the task (the completion that
  finished the node; a rework after reopening does not move it). Each: judged, on
  time, late, on-time percent, the mean lateness of the late ones, the early ones (done
  before their due) and how early they were on average, total late minutes (the sum of
  positive lateness), and the worst node (largest lateness; ties: first in runbook order).
  Never a signed mean: one task 11.5 minutes late among early ones reads as late.
- Critical path as it happened: from the end node that was done (else the node that
  finished last), step back to the predecessor that finished last no later than the
  node became ready (if clocks disagree, the one that finished last), until a node
  with no finished predecessor. A step's `lost_minutes` = its lateness minus the
  lateness of the step before it (the first step: its own lateness): how much later
  than planned it left the run than it found it. The lost minutes of the steps add up
  to the last step's lateness; a step without a planned due has no lateness and loses
  nothing. `buffer_left_minutes` = go-live - when the step finished.
- Slack to go-live: the milestone is the first execution-phase node to become ready
  (ties: smallest id, as in the plan). Its steps are the critical path walked back
  from it, without the milestone: the preparation that held the show. Planned margin
  = go-live - planned due of the last step; actual margin = go-live - when that step
  finished; lost = planned - actual margin = the sum of the steps' lost minutes. The
  step that lost the most (if any lost) is named.
- Metrics: every metric of the last completion of each task, in runbook order and the
  node's field order, tied to its node: the value entered, the target (the run
  variable named by `target_variable`, when it holds a number), and achievement =
  value / target x 100; None without a target or with a target of 0. Metric fields of
  tasks never completed are listed as unfilled.
- Problems: as read by run_log (who reported, when, the text, blocking; who resolved
  it, when, how and with what words, or unresolved).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from engine.model.actual_path import (
    GoLiveSlack,
    PathStep,
    PlannedTimes,
    critical_path,
    go_live_slack,
)
from engine.model.graph import Graph, Node
from engine.model.metric_results import MetricResult, UnfilledMetric, metric_results
from engine.model.nodes import HUMAN_KINDS
from engine.model.run_log import (
    EventRecord,
    ProblemReport,
    RunLog,
    percent,
    read_log,
    replay_node_states,
    tenths,
)
from engine.model.run_states import NodeState
from engine.model.schedule import Plan

__all__ = [
    "ON_TIME_TOLERANCE_MINUTES",
    "EventRecord",
    "GoLiveSlack",
    "Lateness",
    "MetricResult",
    "NodeTiming",
    "OnTimeRate",
    "PathStep",
    "PostMortem",
    "ProblemReport",
    "RunFacts",
    "UnfilledMetric",
    "analyse",
    "replay_node_states",
]

ON_TIME_TOLERANCE_MINUTES = 0


@dataclass(frozen=True)
class RunFacts:
    """What the post-mortem reads of one run. `events` in id order."""

    graph: Graph
    go_live: datetime
    tz: str
    planned: PlannedTimes | Plan
    events: Sequence[EventRecord]
    variables: Mapping[str, Any] = field(default_factory=dict)  # targets among them
    roster: Mapping[str, Sequence[int]] = field(default_factory=dict)  # role -> user ids
    names: Mapping[int, str] = field(default_factory=dict)  # user id -> display name


@dataclass(frozen=True)
class NodeTiming:
    node_id: str
    title: str
    kind: str
    phase: str
    role: str | None
    state: str
    planned_start: datetime | None
    planned_due: datetime | None
    ready_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    planned_minutes: float | None
    actual_minutes: float | None
    lateness_minutes: float | None
    on_time: bool | None
    judged: bool
    completed_by: int | None
    reopened: int


@dataclass(frozen=True)
class OnTimeRate:
    judged: int
    on_time: int
    late: int
    percent: float | None


@dataclass(frozen=True)
class Lateness:
    """Lateness of the judged nodes of one role (key: the role) or person (user id)."""

    key: str | int | None
    name: str
    judged: int
    on_time: int
    late: int
    on_time_percent: float
    mean_late_minutes: float | None  # of the late ones; None when none was late
    early: int
    mean_early_minutes: float | None  # how early (positive) the early ones were
    total_late_minutes: float
    worst_node_id: str
    worst_lateness_minutes: float


@dataclass(frozen=True)
class GoLiveChange:
    at: datetime
    old: datetime | None
    new: datetime | None


@dataclass(frozen=True)
class PostMortem:
    go_live: datetime
    tz: str
    status: str | None
    started_at: datetime | None
    ended_at: datetime | None
    go_live_changes: tuple[GoLiveChange, ...]
    nodes: tuple[NodeTiming, ...]
    on_time: OnTimeRate
    by_role: tuple[Lateness, ...]
    by_person: tuple[Lateness, ...]
    critical_path: tuple[PathStep, ...]
    go_live_slack: GoLiveSlack | None
    metrics: tuple[MetricResult, ...]
    unfilled_metrics: tuple[UnfilledMetric, ...]
    problems: tuple[ProblemReport, ...]
    roster: Mapping[str, tuple[int, ...]]
    people: Mapping[int, str]  # every person named above
    event_count: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: times in ISO 8601 in the run's time zone, keys as strings."""
        return _plain(self, ZoneInfo(self.tz))


# ----- the analysis --------------------------------------------------------------------


def analyse(facts: RunFacts) -> PostMortem:
    """The post-mortem of one run (see the rules in the module docstring)."""
    log = read_log(sorted(facts.events, key=_event_id))  # already sorted: linear
    planned = _planned_times(facts.planned)
    graph = facts.graph
    late_seconds: dict[str, float] = {}
    timings = tuple(_timing(node, log, planned, late_seconds) for node in graph.nodes)
    judged = [t for t in timings if t.judged]
    metrics, unfilled = metric_results(graph, log, facts.variables)
    roster = {role: tuple(ids) for role, ids in facts.roster.items()}
    on_time = sum(1 for t in judged if t.on_time)
    return PostMortem(
        go_live=facts.go_live,
        tz=facts.tz,
        status=log.status,
        started_at=log.started_at,
        ended_at=log.ended_at,
        go_live_changes=tuple(_go_live_change(*move) for move in log.go_live_moves),
        nodes=timings,
        on_time=OnTimeRate(
            len(judged), on_time, len(judged) - on_time, percent(on_time, len(judged))
        ),
        by_role=_lateness_by(judged, late_seconds, lambda t: t.role, lambda key: key or ""),
        by_person=_lateness_by(
            judged, late_seconds, lambda t: t.completed_by, lambda key: facts.names.get(key, "")
        ),
        critical_path=critical_path(graph, log, planned, late_seconds, facts.go_live),
        go_live_slack=go_live_slack(graph, log, planned, late_seconds, facts.go_live),
        metrics=metrics,
        unfilled_metrics=unfilled,
        problems=tuple(log.problems),
        roster=roster,
        people=_people(facts.names, timings, metrics, log.problems, roster),
        event_count=log.event_count,
    )


def _people(names, timings, metrics, problems, roster) -> dict[int, str]:
    """The name of everyone the post-mortem mentions, by user id."""
    ids = {t.completed_by for t in timings} | {m.entered_by for m in metrics}
    for problem in problems:
        ids.add(problem.reported_by)
        ids.add(problem.resolution.by if problem.resolution else None)
    ids.update(uid for members in roster.values() for uid in members)
    return {uid: names.get(uid, "") for uid in sorted(i for i in ids if i is not None)}


def _event_id(event: EventRecord) -> int:
    return event.id


def _planned_times(planned: PlannedTimes | Plan) -> PlannedTimes:
    if isinstance(planned, Plan):
        return {n: (p.planned_start, p.planned_due) for n, p in planned.nodes.items()}
    return planned


def _minutes(delta: timedelta) -> float:
    return tenths(delta.total_seconds() / 60)


def _span(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else _minutes(end - start)


def _timing(
    node: Node, log: RunLog, planned: PlannedTimes, late_seconds: dict[str, float]
) -> NodeTiming:
    seen = log.nodes.get(node.id)
    start, due = planned.get(node.id, (None, None))
    ready = seen.ready_at if seen else None
    started = seen.start if seen else None
    finished = seen.finished_at if seen else None
    state = seen.state if seen else NodeState.PENDING
    lateness = on_time = None
    # A node skipped on a dead path never ran: it has no lateness. One a person skipped has.
    ran = state is NodeState.DONE or (seen is not None and seen.finished_by is not None)
    if ran and finished is not None and due is not None:
        late_seconds[node.id] = (finished - due).total_seconds()
        lateness = _minutes(finished - due)
        on_time = finished <= due + timedelta(minutes=ON_TIME_TOLERANCE_MINUTES)
    judged = node.kind in HUMAN_KINDS and state is NodeState.DONE and lateness is not None
    return NodeTiming(
        node_id=node.id,
        title=node.title,
        kind=str(node.kind),
        phase=str(node.phase),
        role=node.role,
        state=str(state),
        planned_start=start,
        planned_due=due,
        ready_at=ready,
        started_at=started,
        finished_at=finished,
        planned_minutes=_span(start, due),
        actual_minutes=_span(started, finished),
        lateness_minutes=lateness,
        on_time=on_time,
        judged=judged,
        completed_by=seen.finished_by if seen and state is NodeState.DONE else None,
        reopened=seen.reopened if seen else 0,
    )


def _lateness_by(judged, late_seconds, key_of, name_of) -> tuple[Lateness, ...]:
    groups: dict[Any, list[NodeTiming]] = {}
    for timing in judged:
        groups.setdefault(key_of(timing), []).append(timing)
    out = []
    for key in sorted(groups, key=_key_order):
        members = groups[key]
        seconds = [late_seconds[t.node_id] for t in members]
        worst = max(range(len(members)), key=lambda i: (seconds[i], -i))
        on_time = sum(1 for t in members if t.on_time)
        late = [s for t, s in zip(members, seconds, strict=True) if not t.on_time]
        early = [-s for s in seconds if s < 0]
        out.append(
            Lateness(
                key=key,
                name=name_of(key),
                judged=len(members),
                on_time=on_time,
                late=len(late),
                on_time_percent=percent(on_time, len(members)) or 0.0,
                mean_late_minutes=_mean_minutes(late),
                early=len(early),
                mean_early_minutes=_mean_minutes(early),
                total_late_minutes=tenths(sum(s for s in seconds if s > 0) / 60),
                worst_node_id=members[worst].node_id,
                worst_lateness_minutes=tenths(seconds[worst] / 60),
            )
        )
    return tuple(out)


def _mean_minutes(seconds: list[float]) -> float | None:
    return tenths(sum(seconds) / len(seconds) / 60) if seconds else None


def _key_order(key: str | int | None) -> tuple[bool, int, str]:
    """Roles by name, people by user id, the unassigned last."""
    return (key is None, key if isinstance(key, int) else 0, key if isinstance(key, str) else "")


# ----- plain values --------------------------------------------------------------------


def _go_live_change(at: datetime, old: str, new: str) -> GoLiveChange:
    return GoLiveChange(at, _parse(old), _parse(new))


def _parse(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _plain(value: Any, zone: ZoneInfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name), zone) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v, zone) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, zone) for v in value]
    return value
