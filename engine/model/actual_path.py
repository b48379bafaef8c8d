"""The critical path of a run as it happened, and where the slack to go-live went: the
chain of nodes that held each other up, walked back through the run's log.

The rules are part of the post-mortem's (engine/model/postmortem.py); in short: step back
from a node to the predecessor that finished last no later than the node became ready,
and count for each step how much later than planned it left the run than it found it.
The walk reads the predecessors of the nodes on the path only: linear in the graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from engine.model.graph import Graph
from engine.model.run_log import RunLog, elapsed_minutes, tenths
from engine.model.run_states import NodeState
from engine.model.vocabulary import NodeKind, Phase

PlannedTimes = Mapping[str, tuple[datetime | None, datetime | None]]  # node id -> start, due


@dataclass(frozen=True)
class PathStep:
    node_id: str
    title: str
    role: str | None
    planned_due: datetime | None
    ready_at: datetime | None
    finished_at: datetime | None
    lateness_minutes: float | None
    lost_minutes: float | None  # lateness - the lateness of the step before
    buffer_left_minutes: float | None  # go-live - finished (negative: after go-live)


@dataclass(frozen=True)
class GoLiveSlack:
    """The preparation that held the first execution node, and what it cost."""

    milestone_id: str
    milestone_title: str
    milestone_ready_at: datetime | None
    steps: tuple[PathStep, ...]  # the path to the milestone, without it
    planned_margin_minutes: float | None  # go-live - planned due of the last step
    actual_margin_minutes: float | None  # go-live - when the last step finished
    lost_minutes: float | None  # planned - actual margin
    most_lost_node_id: str | None  # the step that lost the most, if any lost


def critical_path(
    graph: Graph,
    log: RunLog,
    planned: PlannedTimes,
    late_seconds: Mapping[str, float],
    go_live: datetime,
) -> tuple[PathStep, ...]:
    """From the first node to the end node that was done (else the node that finished
    last). `late_seconds`: each node's exact lateness, where it has one."""
    finished = [n for n in log.nodes.values() if n.finished_at is not None]
    if not finished:
        return ()
    nodes = graph.node_by_id
    ends = [
        n
        for n in finished
        if n.node_id in nodes
        and nodes[n.node_id].kind is NodeKind.END
        and n.state is NodeState.DONE
    ]
    last = max(ends or finished, key=lambda n: (n.finished_at, n.finish_event_id))
    path = _walk_back(last.node_id, _predecessors(graph), log)
    return _steps(path, graph, log, planned, late_seconds, go_live)


def go_live_slack(
    graph: Graph,
    log: RunLog,
    planned: PlannedTimes,
    late_seconds: Mapping[str, float],
    go_live: datetime,
) -> GoLiveSlack | None:
    """The path to the first execution node to become ready; None if none did."""
    nodes = graph.node_by_id
    began = [
        (n.ready_at, n.node_id)
        for n in log.nodes.values()
        if n.ready_at is not None
        and n.node_id in nodes
        and nodes[n.node_id].phase is Phase.EXECUTION
    ]
    if not began:
        return None
    ready_at, milestone = min(began)
    path = _walk_back(milestone, _predecessors(graph), log)[:-1]
    steps = _steps(path, graph, log, planned, late_seconds, go_live)
    planned_margin = actual_margin = lost = most_lost = None
    if steps:
        due = steps[-1].planned_due
        planned_margin = None if due is None else elapsed_minutes(due, go_live)
        actual_margin = steps[-1].buffer_left_minutes
        if planned_margin is not None and actual_margin is not None:
            lost = tenths(planned_margin - actual_margin)
        losers = [s for s in steps if s.lost_minutes is not None and s.lost_minutes > 0]
        if losers:
            most_lost = max(losers, key=lambda s: s.lost_minutes or 0).node_id
    return GoLiveSlack(
        milestone_id=milestone,
        milestone_title=nodes[milestone].title,
        milestone_ready_at=ready_at,
        steps=steps,
        planned_margin_minutes=planned_margin,
        actual_margin_minutes=actual_margin,
        lost_minutes=lost,
        most_lost_node_id=most_lost,
    )


def _predecessors(graph: Graph) -> dict[str, list[str]]:
    preds: dict[str, list[str]] = {}
    for edge in graph.known_edges:
        preds.setdefault(edge.target, []).append(edge.source)
    return preds


def _walk_back(target: str, preds: Mapping[str, list[str]], log: RunLog) -> list[str]:
    """The nodes that held `target` up, first to last, ending with `target`."""
    path, seen = [target], {target}
    while True:
        ready = log.nodes[path[-1]].ready_at
        best, best_rank = None, None
        for pred_id in preds.get(path[-1], ()):
            pred = log.nodes.get(pred_id)
            if pred is None or pred.finished_at is None or pred_id in seen:
                continue
            # Finished by the time the node became ready first; then the last to finish.
            in_time = ready is None or pred.finished_at <= ready
            rank = (in_time, pred.finished_at, pred.finish_event_id)
            if best_rank is None or rank > best_rank:
                best, best_rank = pred_id, rank
        if best is None:
            return path[::-1]
        path.append(best)
        seen.add(best)


def _steps(
    path: list[str],
    graph: Graph,
    log: RunLog,
    planned: PlannedTimes,
    late_seconds: Mapping[str, float],
    go_live: datetime,
) -> tuple[PathStep, ...]:
    steps, previous = [], 0.0
    for node_id in path:
        node, seen = graph.node_by_id[node_id], log.nodes[node_id]
        lateness = late_seconds.get(node_id)
        lost = None if lateness is None else lateness - previous
        previous = previous if lateness is None else lateness
        finished = seen.finished_at
        steps.append(
            PathStep(
                node_id=node_id,
                title=node.title,
                role=node.role,
                planned_due=planned.get(node_id, (None, None))[1],
                ready_at=seen.ready_at,
                finished_at=finished,
                lateness_minutes=None if lateness is None else tenths(lateness / 60),
                lost_minutes=None if lost is None else tenths(lost / 60),
                buffer_left_minutes=None
                if finished is None
                else elapsed_minutes(finished, go_live),
            )
        )
    return tuple(steps)
